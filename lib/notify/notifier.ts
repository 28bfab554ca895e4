// Built-in notifications for teams without Prometheus. After each poll the notifier works out
// which conditions hold (pure: lib/core/alerts.ts), advances the alert episodes, and hands
// each firing or recovery to the deliverer, which never blocks the poll.
import type { Db } from "../db";
import { appUrl, type Env } from "../env";
import type { ApiState } from "../contracts/state";
import { parseDuration } from "../core/time";
import { PHASE_WINDOWS, phaseState } from "../core/phases";
import {
  advanceAlerts,
  conditionsOf,
  describe,
  DEFAULT_AFTER_MS,
  type AlertEpisode,
  type AlertRule,
  type ConditionInput,
} from "../core/alerts";
import { getWindowFigures } from "../store/window-figures";
import { getPhaseHistory } from "../store/phases";
import { listChannels } from "../store/notifications";
import { listAcksInForce } from "../store/acks";
import { loadAlertEpisodes, saveAlertEpisodes } from "../store/alert-episodes";
import type { Ack } from "../core/acks";
import { Deliverer, type Channel, type DeliveryTiming } from "./deliver";
import { policyOf, type Resolve } from "./address";
import { log } from "../log";

const FIGURES_EVERY_MS = 60_000;

export type PhaseFigures = NonNullable<ConditionInput["phases"]>;

export class Notifier {
  private episodes = new Map<string, AlertEpisode>();
  /** whether `episodes` holds what the database holds (issue 26: read again after standing down) */
  private loaded = false;
  private gate: ConditionInput["gate"] = null;
  private phases: PhaseFigures | null = null;
  private acks: Ack[] = [];
  private figuresAt = 0;
  readonly deliverer: Deliverer;

  constructor(
    private readonly db: Db,
    private readonly cfg: Env,
    /** phase readiness, evaluated elsewhere (at most once a minute) */
    private readonly evaluatePhases: (now: Date) => Promise<PhaseFigures | null>,
    timing?: DeliveryTiming,
    resolve?: Resolve,
  ) {
    this.deliverer = new Deliverer(db, cfg.notify.ratePerMin, { policy: policyOf(cfg), resolve }, timing);
  }

  afterMs = (rule: AlertRule): number => {
    const override = this.cfg.notify.afterOverride;
    return override ? (parseDuration(override) ?? DEFAULT_AFTER_MS[rule]) : DEFAULT_AFTER_MS[rule];
  };

  /** Every channel: from L9_WEBHOOKS and those added in the app. */
  async channels(): Promise<Channel[]> {
    const stored = await listChannels(this.db);
    return [...this.cfg.notify.webhooks, ...stored.map((c) => ({ name: c.name, kind: c.kind, url: c.url }))];
  }

  private chain: Promise<void> = Promise.resolve();

  /**
   * Issue 26: another process sends the notifications now (or may have): what this one holds of
   * the episodes is stale; the next step reads them from the database again.
   */
  standDown(): void {
    this.chain = this.chain.then(() => {
      this.loaded = false;
      this.episodes = new Map();
    });
  }

  /** Called after each poll; steps run one after another and never throw into the collector. */
  onPolled(state: ApiState, now: Date): Promise<void> {
    this.chain = this.chain.then(() => this.step(state, now));
    return this.chain;
  }

  private async step(state: ApiState, now: Date): Promise<void> {
    try {
      if (now.getTime() - this.figuresAt >= FIGURES_EVERY_MS) await this.refreshFigures(now);
      const conditions = conditionsOf({
        docker: state.docker,
        projects: state.projects.map((p) => ({
          // On a server a name repeats across hosts: each host's project is its own alert.
          project: p.host ? `${p.host}/${p.project}` : p.project,
          health: p.health,
          kinds: [...new Set(p.findings.filter((f) => !f.informational).map((f) => f.kind))],
        })),
        sources: state.sources,
        gate: this.gate,
        phases: this.phases,
        acks: this.acks,
        now,
      });
      if (!this.loaded) {
        this.episodes = await loadAlertEpisodes(this.db);
        this.loaded = true;
      }
      const { episodes, notifications } = advanceAlerts(this.episodes, conditions, now, this.afterMs);
      // Stored before anything is sent: a process taking over goes on from here, so a message
      // is sent at most once (one cut off by its sender's death stays "sending" in the history).
      await saveAlertEpisodes(this.db, this.episodes, episodes, now);
      this.episodes = episodes;
      if (notifications.length === 0) return;
      const channels = await this.channels();
      const base = appUrl(this.cfg);
      for (const n of notifications) {
        const d = describe(n, base);
        log("notify", "info", `${n.event}: ${d.title}`, { channels: channels.length });
        const body = {
          event: n.event,
          alert: n.condition.rule,
          key: n.condition.key,
          severity: n.condition.severity,
          subject: n.condition.subject,
          message: n.condition.message,
          gate: n.condition.gate,
          since: n.since,
          at: n.at,
          url: d.url,
          text: d.text,
        };
        for (const c of channels) {
          this.deliverer.send(c, {
            alertKey: n.condition.key,
            event: n.event,
            title: d.title,
            text: d.text,
            url: d.url,
            body,
          });
        }
      }
    } catch (err) {
      log("notify", "error", "notifications skipped for this poll", { error: String(err) });
    }
  }

  private async refreshFigures(now: Date): Promise<void> {
    this.figuresAt = now.getTime();
    const { current } = phaseState(await getPhaseHistory(this.db), this.cfg.currentPhase);
    const window = PHASE_WINDOWS[current] ?? "7d";
    const from = new Date(now.getTime() - (parseDuration(window) ?? 7 * 86400_000));
    const w = await getWindowFigures(this.db, from, now);
    this.gate = {
      phase: current,
      window,
      checks: w.checks,
      rate: w.checks >= 100 ? w.diverged / w.checks : null,
    };
    this.phases = await this.evaluatePhases(now).catch(() => this.phases);
    this.acks = await listAcksInForce(this.db, now);
  }
}
