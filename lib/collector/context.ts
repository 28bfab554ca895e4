// What a poll needs to know besides its sources, kept fresh: Phase 1's recorded start (label
// findings weigh on health from then on, CONTRACT 6e) and the acknowledgements in force.
// Re-read once a minute, and at once when the app changes them.
import type { Db } from "../db";
import type { Env } from "../env";
import type { Ack } from "../core/acks";
import { phaseState } from "../core/phases";
import { getPhaseHistory } from "../store/phases";
import { listAcksInForce } from "../store/acks";

const REREAD_MS = 60_000;

export class PollContext {
  phase1StartMs: number | null = null;
  acks: Ack[] = [];
  private phasesAt = 0;
  private acksAt = 0;

  constructor(
    private readonly db: Db,
    private readonly cfg: Env,
  ) {}

  async refreshPhases(at: Date): Promise<void> {
    const { starts } = phaseState(await getPhaseHistory(this.db), this.cfg.currentPhase);
    this.phase1StartMs = starts[1] ? Date.parse(starts[1]) : null;
    this.phasesAt = at.getTime();
  }

  async refreshAcks(at: Date): Promise<void> {
    this.acks = await listAcksInForce(this.db, at);
    this.acksAt = at.getTime();
  }

  /** Before a poll: re-read what is older than a minute. */
  async fresh(at: Date): Promise<void> {
    if (at.getTime() - this.phasesAt > REREAD_MS) await this.refreshPhases(at);
    if (at.getTime() - this.acksAt > REREAD_MS) await this.refreshAcks(at);
  }
}
