// GET /api/v1/reviews - recent reviews; POST - start a review (freezes the evaluation)
import { handle, json } from "@/lib/http";
import { getReviews, startReview } from "@/lib/services/reviews";

export const dynamic = "force-dynamic";

export const GET = handle(async () => json({ reviews: await getReviews() }));
export const POST = handle(async (req: Request) => json(await startReview(req), 201));
