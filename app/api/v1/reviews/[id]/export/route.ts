// GET /api/v1/reviews/{id}/export?format=md|json|pdf - the review as a document
import { handle } from "@/lib/http";
import { exportReview } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const format = new URL(req.url).searchParams.get("format") ?? "md";
  return exportReview(req, (await ctx.params).id, format);
});
