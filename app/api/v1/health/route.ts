// GET /api/v1/health - Docker reachability, database status, collector freshness; 200 or 503
import { handle, json } from "@/lib/http";
import { getHealth } from "@/lib/services/health";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const report = await getHealth();
  return json(report, report.status === "ok" ? 200 : 503);
});
