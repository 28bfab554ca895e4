import crypto from "node:crypto";
import type { Db } from "../db";
import type { ApiReview } from "../contracts/reviews";

type Row = NonNullable<Awaited<ReturnType<Db["review"]["findUnique"]>>>;

function toApi(r: Row): ApiReview {
  return {
    id: r.id,
    phase: r.phase,
    window: r.window,
    created_at: r.createdAt.toISOString(),
    created_by: r.createdBy,
    evaluation: JSON.parse(r.evaluation) as ApiReview["evaluation"],
    attendees: JSON.parse(r.attendees) as string[],
    notes: r.notes,
    decision: (r.decision as ApiReview["decision"]) ?? null,
    sign_offs: JSON.parse(r.signOffs) as string[],
    decided_at: r.decidedAt?.toISOString() ?? null,
  };
}

export async function createReview(
  db: Db,
  r: { phase: number; window: string; createdBy: string; evaluation: ApiReview["evaluation"] },
  now: Date,
): Promise<ApiReview> {
  const row = await db.review.create({
    data: {
      id: crypto.randomBytes(6).toString("hex"),
      phase: r.phase,
      window: r.window,
      createdAt: now,
      createdBy: r.createdBy,
      evaluation: JSON.stringify(r.evaluation),
    },
  });
  return toApi(row);
}

export async function getReview(db: Db, id: string): Promise<ApiReview | null> {
  const row = await db.review.findUnique({ where: { id } });
  return row ? toApi(row) : null;
}

export async function listReviews(db: Db): Promise<ApiReview[]> {
  return (await db.review.findMany({ orderBy: { createdAt: "desc" }, take: 50 })).map(toApi);
}

/** Records attendees, notes, decision and sign-offs. The evaluation itself is never touched. */
export async function updateReview(
  db: Db,
  id: string,
  u: { attendees?: string[]; notes?: string; decision?: string; sign_offs?: string[] },
  now: Date,
): Promise<ApiReview> {
  const row = await db.review.update({
    where: { id },
    data: {
      ...(u.attendees ? { attendees: JSON.stringify(u.attendees) } : {}),
      ...(u.notes !== undefined ? { notes: u.notes } : {}),
      ...(u.sign_offs ? { signOffs: JSON.stringify(u.sign_offs) } : {}),
      ...(u.decision ? { decision: u.decision, decidedAt: now } : {}),
    },
  });
  return toApi(row);
}
