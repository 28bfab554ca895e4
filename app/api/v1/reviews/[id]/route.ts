// GET /api/v1/reviews/{id} - one review; PATCH - attendees, notes, decision (until decided)
import { handle, json } from "@/lib/http";
import { findReview, patchReview } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_req: Request, ctx: Ctx) => json(await findReview((await ctx.params).id)));
export const PATCH = handle(async (req: Request, ctx: Ctx) =>
  json(await patchReview(req, (await ctx.params).id)),
);
