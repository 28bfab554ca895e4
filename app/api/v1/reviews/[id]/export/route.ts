// GET /api/v1/reviews/{id}/export?format=md|json|pdf - the review as a document
import { handle } from "@/lib/http";
import { exportReview } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const url = new URL(req.url);
  return exportReview((await ctx.params).id, url.searchParams.get("format") ?? "md", url.origin);
});
