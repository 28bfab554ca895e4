// GET /api/v1/overview - divergence and read-path figures over the last 1 h, 24 h and 7 d
import { handle, json } from "@/lib/http";
import { getOverview } from "@/lib/services/overview";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) =>
  json(await getOverview(new Date(), new URL(req.url).searchParams)),
);
