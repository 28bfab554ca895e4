import crypto from "node:crypto";
import { readJson, stringsJson } from "./json";
import type { Db } from "../db";
import type { ApiReview, ApiSignOff, StoredReview } from "../contracts/reviews";
import { recordAudit, type AuditInput } from "./audit";

type Row = NonNullable<Awaited<ReturnType<Db["review"]["findUnique"]>>>;

/** Sign-offs as stored: objects since sign-in; plain names from before it are kept as they were. */
export function parseSignOffs(text: string): ApiSignOff[] {
  const raw = JSON.parse(text) as unknown[];
  return raw.map((x) =>
    typeof x === "string" ? { by: x, name: x, via: "unverified", at: "" } : (x as ApiSignOff),
  );
}

function toApi(r: Row, minSignOffs: number): StoredReview {
  return {
    id: r.id,
    phase: r.phase,
    window: r.window,
    created_at: r.createdAt.toISOString(),
    created_by: r.createdBy,
    evaluation: JSON.parse(r.evaluation) as ApiReview["evaluation"],
    attendees: readJson(stringsJson, r.attendees, "Review.attendees"),
    notes: r.notes,
    decision: (r.decision as ApiReview["decision"]) ?? null,
    sign_offs: parseSignOffs(r.signOffs),
    decided_at: r.decidedAt?.toISOString() ?? null,
    decided_by: r.decidedBy,
    min_sign_offs: minSignOffs,
    accept_acknowledged: r.acceptAcknowledged,
    rationale: r.rationale,
    action_items: JSON.parse(r.actionItems) as ApiReview["action_items"],
    follow_up: r.followUp?.toISOString() ?? null,
  };
}

/** Each write by a person is stored with its audit entry, in one transaction. */
type Audit = Omit<AuditInput, "target" | "detail" | "action">;

export async function createReview(
  db: Db,
  r: { phase: number; window: string; createdBy: string; evaluation: ApiReview["evaluation"] },
  now: Date,
  audit: Audit,
  minSignOffs: number,
): Promise<StoredReview> {
  const id = crypto.randomBytes(6).toString("hex");
  const row = await db.$transaction(async (tx) => {
    const created = await tx.review.create({
      data: {
        id,
        phase: r.phase,
        window: r.window,
        createdAt: now,
        createdBy: r.createdBy,
        evaluation: JSON.stringify(r.evaluation),
      },
    });
    await recordAudit(tx, {
      ...audit,
      action: "review.start",
      target: `review:${id}`,
      detail: { phase: r.phase, window: r.window },
    });
    return created;
  });
  return toApi(row, minSignOffs);
}

export async function getReview(db: Db, id: string, minSignOffs: number): Promise<StoredReview | null> {
  const row = await db.review.findUnique({ where: { id } });
  return row ? toApi(row, minSignOffs) : null;
}

export async function listReviews(db: Db, minSignOffs: number): Promise<StoredReview[]> {
  const rows = await db.review.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return rows.map((r) => toApi(r, minSignOffs));
}

/** Records attendees, notes and the decision. The evaluation itself is never touched. */
export async function updateReview(
  db: Db,
  id: string,
  u: {
    attendees?: string[];
    notes?: string;
    decision?: string;
    accept_acknowledged?: boolean;
    rationale?: string;
    action_items?: { text: string; owner: string; due?: Date | null }[];
    follow_up?: Date | null;
  },
  /** the phase change the decision records in the same transaction, if any */
  phaseChange: { phase: number; startedAt: Date; note: string } | null,
  now: Date,
  audit: Audit,
  minSignOffs: number,
): Promise<StoredReview> {
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.review.update({
      where: { id },
      data: {
        ...(u.attendees ? { attendees: JSON.stringify(u.attendees) } : {}),
        ...(u.notes !== undefined ? { notes: u.notes } : {}),
        ...(u.accept_acknowledged !== undefined ? { acceptAcknowledged: u.accept_acknowledged } : {}),
        ...(u.rationale !== undefined ? { rationale: u.rationale } : {}),
        ...(u.action_items
          ? {
              actionItems: JSON.stringify(
                u.action_items.map((a) => ({
                  text: a.text,
                  owner: a.owner,
                  due: a.due?.toISOString() ?? null,
                })),
              ),
            }
          : {}),
        ...(u.follow_up !== undefined ? { followUp: u.follow_up } : {}),
        ...(u.decision ? { decision: u.decision, decidedAt: now, decidedBy: audit.actor } : {}),
      },
    });
    await recordAudit(tx, {
      ...audit,
      action: u.decision ? "review.decide" : "review.update",
      target: `review:${id}`,
      detail: u,
    });
    if (phaseChange) {
      await tx.phaseChange.create({
        data: { ...phaseChange, setBy: audit.actor, setAt: audit.at },
      });
      await recordAudit(tx, {
        ...audit,
        action: "phase.set",
        target: `phase:${phaseChange.phase}`,
        detail: {
          phase: phaseChange.phase,
          started_at: phaseChange.startedAt.toISOString(),
          note: phaseChange.note,
        },
      });
    }
    return updated;
  });
  return toApi(row, minSignOffs);
}

/** Adds the person's own sign-off (once per identity). */
export async function addSignOff(
  db: Db,
  id: string,
  s: ApiSignOff,
  audit: Audit,
  minSignOffs: number,
): Promise<StoredReview> {
  const row = await db.$transaction(async (tx) => {
    const current = await tx.review.findUniqueOrThrow({ where: { id } });
    const list = parseSignOffs(current.signOffs);
    if (list.some((x) => x.by === s.by)) return current;
    const updated = await tx.review.update({
      where: { id },
      data: { signOffs: JSON.stringify([...list, s]) },
    });
    await recordAudit(tx, {
      ...audit,
      action: "review.sign_off",
      target: `review:${id}`,
      detail: { at: s.at },
    });
    return updated;
  });
  return toApi(row, minSignOffs);
}

/** The note a decision's phase change carries: how an undo finds the row it recorded. */
export const decisionPhaseNote = (id: string, decision: string) => `recorded with review ${id} (${decision})`;

/**
 * Undoes a pending decision and the phase change recorded with it. The window is checked in
 * the same statement, so a decision that froze meanwhile is never undone (null: it froze).
 */
export async function undoDecision(
  db: Db,
  id: string,
  pendingSince: Date,
  audit: Audit,
  minSignOffs: number,
): Promise<StoredReview | null> {
  const row = await db.$transaction(async (tx) => {
    const current = await tx.review.findUniqueOrThrow({ where: { id } });
    const cleared = await tx.review.updateMany({
      where: { id, decision: { not: null }, decidedAt: { gt: pendingSince } },
      data: { decision: null, decidedAt: null, decidedBy: null },
    });
    if (cleared.count === 0 || !current.decision || !current.decidedAt) return null;
    const phase = await tx.phaseChange.deleteMany({
      where: { note: decisionPhaseNote(id, current.decision), setAt: current.decidedAt },
    });
    await recordAudit(tx, {
      ...audit,
      action: "review.undo",
      target: `review:${id}`,
      detail: {
        decision: current.decision,
        decided_at: current.decidedAt.toISOString(),
        phase_change_removed: phase.count > 0,
      },
    });
    return tx.review.findUniqueOrThrow({ where: { id } });
  });
  return row ? toApi(row, minSignOffs) : null;
}
