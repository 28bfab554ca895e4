// POST /api/v1/reviews/{id}/undo - take back a pending decision before it freezes
import { handle, json } from "@/lib/http";
import { undoReviewDecision } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const POST = handle(async (req: Request, ctx: Ctx) =>
  json(await undoReviewDecision(req, (await ctx.params).id)),
);
