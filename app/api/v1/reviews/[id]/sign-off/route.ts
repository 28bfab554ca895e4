// POST /api/v1/reviews/{id}/sign-off - the signed-in person's own sign-off
import { handle, json } from "@/lib/http";
import { signOffReview } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const POST = handle(async (req: Request, ctx: Ctx) =>
  json(await signOffReview(req, (await ctx.params).id), 201),
);
