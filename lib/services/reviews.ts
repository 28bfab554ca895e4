import "server-only";
import { env, retentionLimit } from "../env";
import { getDb } from "../db";
import { ApiError, addressedOrigin, readJsonBody, zodToApiError } from "../http";
import { dockerCounters } from "../docker/client";
import { PHASE_WINDOWS } from "../core/phases";
import { unsettledCriteria } from "../core/certainty";
import { evaluateAt } from "./evaluate";
import {
  addSignOff,
  createReview,
  decisionPhaseNote,
  getReview,
  listReviews,
  undoDecision,
  updateReview,
} from "../store/reviews";
import {
  createReviewSchema,
  updateReviewSchema,
  type ApiReview,
  type StoredReview,
} from "../contracts/reviews";
import { decisionState } from "../core/decision";
import { reviewMarkdown } from "../present/review-export";
import { authorizePerson, requestOrigin } from "../access";
import { signOffSchema } from "../contracts/auth";
import { listAcksInForce } from "../store/acks";
import { afterSettingsChange } from "../collector/runtime";
import type { Person } from "../core/access";
import { parseWindow } from "../core/time";
import { renderPdf, withPdfSlot } from "../review-pdf";

export async function startReview(req: Request, now: Date = new Date()): Promise<ApiReview> {
  const person = await authorizePerson(req);
  const parsed = createReviewSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const window =
    parseWindow(parsed.data.window ?? null, retentionLimit(env())) ?? PHASE_WINDOWS[parsed.data.phase]!;
  const report = await evaluateAt(getDb(), env(), window, now, dockerCounters.refusedWrites);
  const created = await createReview(
    getDb(),
    {
      phase: parsed.data.phase,
      window,
      createdBy: person.id,
      evaluation: {
        evaluated_at: report.evaluated_at,
        current_phase: report.current_phase,
        phase: report.phases[parsed.data.phase]!,
        next: report.phases[parsed.data.phase + 1] ?? null,
        simulated: env().simulated,
        acknowledgements: await listAcksInForce(getDb(), now),
        ...(report.modes ? { modes: { live: report.modes.live, warnings: report.modes.warnings } } : {}),
      },
    },
    now,
    auditOf(req, person, now),
    minSignOffs(),
  );
  return withState(created, now);
}

const undoMs = () => env().auth.reviewUndoMs;
/** Where the decision stands now: pending (undo possible) for L9_REVIEW_UNDO_SECONDS, then frozen. */
const withState = (r: StoredReview, now: Date): ApiReview => {
  const d = decisionState(r.decided_at, undoMs(), now);
  return { ...r, decision_state: d.state, undo_until: d.undo_until, undo_seconds: undoMs() / 1000 };
};

const minSignOffs = () => env().auth.reviewMinSignOffs;
const auditOf = (req: Request, person: Person, now: Date) => ({
  at: now,
  actor: person.id,
  via: person.via,
  ...requestOrigin(req),
});

export async function findReview(id: string, now: Date = new Date()): Promise<ApiReview> {
  const r = await getReview(getDb(), id, minSignOffs());
  if (!r) throw new ApiError("not_found", `no review ${JSON.stringify(id)}`);
  return withState(r, now);
}

function assertOpen(r: ApiReview): void {
  if (r.decision_state === "pending") {
    throw new ApiError(
      "conflict",
      `review ${r.id}: the decision (${r.decision}) is pending until ${r.undo_until}; undo it (POST /api/v1/reviews/${r.id}/undo) to change anything, or wait: then it freezes`,
    );
  }
  if (r.decision) {
    throw new ApiError(
      "conflict",
      `review ${r.id} was decided (${r.decision}) at ${r.decided_at}: it is frozen`,
    );
  }
}

/** PATCH: attendees, notes, decision, by an editor. "advance" needs enough distinct sign-offs. */
export async function patchReview(req: Request, id: string, now: Date = new Date()): Promise<ApiReview> {
  const person = await authorizePerson(req);
  const current = await findReview(id, now);
  assertOpen(current);
  const parsed = updateReviewSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const { sign_offs: _never, confirm_not_ready, confirm_unsettled, record_phase, ...update } = parsed.data;
  if (update.decision) decisionReady(current, { ...update, confirm_not_ready, confirm_unsettled });
  if (update.decision === "advance" && current.sign_offs.length < current.min_sign_offs) {
    const signed = new Set(current.sign_offs.map((s) => s.by));
    const missing = current.attendees.filter((a) => !signed.has(a.toLowerCase()));
    throw new ApiError(
      "conflict",
      `an advance needs ${current.min_sign_offs} distinct sign-off(s); ${current.sign_offs.length} so far` +
        (missing.length ? `; not yet signed: ${missing.join(", ")}` : ""),
      "decision",
    );
  }
  // The decision can record the phase change it implies, in the same transaction.
  const target =
    update.decision === "advance"
      ? current.phase + 1
      : update.decision === "roll_back"
        ? current.phase - 1
        : null;
  const phaseChange =
    record_phase && target !== null && target >= 0 && target <= 4
      ? { phase: target, startedAt: now, note: decisionPhaseNote(id, update.decision!) }
      : null;
  const audit = auditOf(req, person, now);
  const review = await updateReview(getDb(), id, update, phaseChange, now, audit, minSignOffs());
  if (phaseChange) await afterSettingsChange(now, "phases");
  return withState(review, now);
}

/** POST /api/v1/reviews/{id}/undo: an editor takes back a pending decision (and its phase change). */
export async function undoReviewDecision(
  req: Request,
  id: string,
  now: Date = new Date(),
): Promise<ApiReview> {
  const person = await authorizePerson(req);
  const current = await findReview(id, now);
  if (current.decision_state !== "pending") {
    throw new ApiError(
      "conflict",
      current.decision
        ? `review ${id}: the decision (${current.decision}) froze at ${new Date(new Date(current.decided_at!).getTime() + undoMs()).toISOString()}; it can no longer be undone`
        : `review ${id} has no decision to undo`,
    );
  }
  const undone = await undoDecision(
    getDb(),
    id,
    new Date(now.getTime() - undoMs()),
    auditOf(req, person, now),
    minSignOffs(),
  );
  if (!undone)
    throw new ApiError("conflict", `review ${id}: the decision froze meanwhile; it can no longer be undone`);
  await afterSettingsChange(now, "phases");
  return withState(undone, now);
}

/**
 * A decision is fit to record: someone attended, and an advance of a phase that is not ready
 * carries a written rationale and an explicit confirmation.
 */
function decisionReady(
  r: ApiReview,
  u: {
    attendees?: string[];
    rationale?: string;
    decision?: string;
    confirm_not_ready?: boolean;
    confirm_unsettled?: boolean;
  },
): void {
  const attendees = u.attendees ?? r.attendees;
  if (attendees.length === 0)
    throw new ApiError("bad_request", "attendees: name who took part before deciding", "attendees");
  const notReady = !r.evaluation.phase.ready;
  if (u.decision === "advance" && notReady) {
    if ((u.rationale ?? r.rationale).trim().length < 20) {
      throw new ApiError(
        "bad_request",
        "rationale: advancing a phase that is not ready needs a written rationale (20 characters or more)",
        "rationale",
      );
    }
    if (!u.confirm_not_ready) {
      throw new ApiError(
        "bad_request",
        "confirm_not_ready: confirm that you advance although the criteria are not all met",
        "confirm_not_ready",
      );
    }
  }
  if (u.decision === "advance") unsettledConfirmed(r, u);
}

/** Issue 24: advancing on a criterion whose interval straddles its target needs the same confirmation. */
function unsettledConfirmed(r: ApiReview, u: { rationale?: string; confirm_unsettled?: boolean }): void {
  const ids = unsettledCriteria(r.evaluation.phase).map((c) => c.id);
  if (ids.length === 0) return;
  if ((u.rationale ?? r.rationale).trim().length < 20)
    throw new ApiError(
      "bad_request",
      `rationale: advancing on criteria that are not settled (${ids.join(", ")}) needs a written rationale (20 characters or more)`,
      "rationale",
    );
  if (!u.confirm_unsettled)
    throw new ApiError(
      "bad_request",
      `confirm_unsettled: not settled yet (their 95% interval straddles the target): ${ids.join(", ")}; confirm that you advance on them`,
      "confirm_unsettled",
    );
}

/** POST /api/v1/reviews/{id}/sign-off: the signed-in person's own sign-off, never anyone else's. */
export async function signOffReview(req: Request, id: string, now: Date = new Date()): Promise<ApiReview> {
  const person = await authorizePerson(req, { editor: false });
  const body = signOffSchema.safeParse(await readJsonBody(req));
  if (!body.success) throw zodToApiError(body.error);
  const as = body.data.as?.toLowerCase();
  if (as && as !== person.id && as !== person.email) {
    throw new ApiError("forbidden", `a sign-off is always your own: you are signed in as ${person.id}`, "as");
  }
  const current = await findReview(id, now);
  assertOpen(current);
  const signOff = { by: person.id, name: person.name, via: person.via, at: now.toISOString() };
  return withState(await addSignOff(getDb(), id, signOff, auditOf(req, person, now), minSignOffs()), now);
}

export const getReviews = async (now: Date = new Date()) =>
  (await listReviews(getDb(), minSignOffs())).map((r) => withState(r, now));

export async function exportReview(
  req: Request,
  id: string,
  format: string,
  now: Date = new Date(),
): Promise<Response> {
  const r = await findReview(id);
  const name = `l9-phase${r.phase}-review-${r.id}`;
  // Every export says what it is, where it lives and when it was made, in UTC: one host for
  // all of it, the configured public URL or else the origin the request came to.
  const base = env().auth.publicUrl?.replace(/\/$/, "") ?? addressedOrigin(req);
  const ctx = {
    permalink: `${base}/reviews/${encodeURIComponent(r.id)}`,
    environment: `${base}${r.evaluation.simulated ? " (simulated data)" : ""}`,
    generatedAt: now.toISOString(),
  };
  if (format === "json")
    return new Response(JSON.stringify(r, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.json"`,
      },
    });
  if (format === "md")
    return new Response(reviewMarkdown(r, ctx), {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.md"`,
      },
    });
  if (format === "pdf") {
    const pdf = await withPdfSlot(() => renderPdf(req, r, ctx));
    return new Response(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${name}.pdf"`,
      },
    });
  }
  throw new ApiError("bad_request", "format: one of md, json, pdf", "format");
}

export { PDF_WAITING_MAX } from "../review-pdf";
