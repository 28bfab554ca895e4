// GET /api/v1/projects/{name}?from=&to= - one project now, and its history in the range
import { handle, json } from "@/lib/http";
import { getProjectDetail } from "@/lib/services/state";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, ctx: { params: Promise<{ name: string }> }) => {
  const { name } = await ctx.params;
  return json(await getProjectDetail(name, new URL(req.url).searchParams));
});
