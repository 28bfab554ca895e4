// Phase-advance reviews: the evaluation frozen when the review started, and what was decided.
import type { LiveMode } from "../core/modes";
import { z } from "zod";
import { isoDateTime } from "./ingest";
import type { PhaseResult } from "../core/phases";
import type { Ack } from "../core/acks";
import type { DecisionState } from "../core/decision";

export const DECISIONS = ["advance", "hold", "roll_back"] as const;
export type Decision = (typeof DECISIONS)[number];

/** POST /api/v1/reviews. Who starts it is the signed-in person, never a field. */
export const createReviewSchema = z.object({
  phase: z.number().int().min(0).max(4),
  window: z.string().trim().max(20).nullable().optional(),
});

export const actionItemSchema = z
  .object({
    text: z.string().trim().min(1).max(1000),
    owner: z.string().trim().min(1).max(200),
    due: isoDateTime.nullable().optional(),
  })
  .strict();
export type ActionItem = { text: string; owner: string; due: string | null };

const NOT_HERE = "each person signs off with their own click: POST /api/v1/reviews/{id}/sign-off";

/** PATCH /api/v1/reviews/{id}: attendees, notes and the decision, by an editor. */
export const updateReviewSchema = z.object({
  attendees: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  notes: z.string().max(100_000).optional(),
  decision: z.enum(DECISIONS).optional(),
  /** the review explicitly accepts the acknowledged differences frozen with it */
  accept_acknowledged: z.boolean().optional(),
  /** why: required (20 characters or more) to advance a phase the evaluation says is not ready */
  rationale: z.string().trim().max(20_000).optional(),
  /** with decision "advance" on a not-ready phase: the person confirms they mean it */
  confirm_not_ready: z.boolean().optional(),
  /** with decision "advance" while a rate criterion is not settled (issue 24): the person confirms */
  confirm_unsettled: z.boolean().optional(),
  /** with the decision: record the phase change it implies (advance: phase + 1; roll back: phase - 1) */
  record_phase: z.boolean().optional(),
  action_items: z.array(actionItemSchema).max(100).optional(),
  follow_up: isoDateTime.nullable().optional(),
  sign_offs: z.never({ error: NOT_HERE }).optional(),
});

/** One person's sign-off, recorded with their identity and time. */
export type ApiSignOff = { by: string; name: string; via: string; at: string };

export type CreateReviewBody = z.input<typeof createReviewSchema>;
export type UpdateReviewBody = z.input<typeof updateReviewSchema>;

export type ApiReview = {
  id: string;
  phase: number;
  window: string;
  created_at: string;
  created_by: string;
  /** frozen at creation: never recomputed */
  evaluation: {
    evaluated_at: string;
    current_phase: number;
    phase: PhaseResult;
    next: PhaseResult | null;
    simulated: boolean;
    /** the acknowledgements in force when the review started, frozen with the evaluation */
    acknowledgements?: Ack[];
    /** issue 25: the live processes' modes then, and the warnings (mixed, behind the phase) */
    modes?: { live: LiveMode[]; warnings: string[] };
  };
  attendees: string[];
  notes: string;
  decision: (typeof DECISIONS)[number] | null;
  sign_offs: ApiSignOff[];
  decided_at: string | null;
  /** decided by (the signed-in editor who recorded the decision) */
  decided_by: string | null;
  /** distinct sign-offs an "advance" needs (L9_REVIEW_MIN_SIGN_OFFS) */
  min_sign_offs: number;
  accept_acknowledged: boolean;
  rationale: string;
  action_items: ActionItem[];
  follow_up: string | null;
  /** open, pending (recorded, may be undone until `undo_until`) or frozen (L9_REVIEW_UNDO_SECONDS) */
  decision_state: DecisionState;
  undo_until: string | null;
  /** how long a recorded decision may be undone */
  undo_seconds: number;
};

/** A review as stored; the service adds where its decision stands at the time of the request. */
export type StoredReview = Omit<ApiReview, "decision_state" | "undo_until" | "undo_seconds">;
