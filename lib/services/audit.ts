import "server-only";
import { getDb } from "../db";
import { listAudit } from "../store/audit";
import { parseInstant } from "../core/time";
import { ApiError } from "../http";
import type { ApiAuditPage } from "../contracts/auth";

/** GET /api/v1/audit?actor=&action=&from=&to= */
export async function getAudit(search: URLSearchParams, now: Date = new Date()): Promise<ApiAuditPage> {
  const at = (key: "from" | "to") => {
    const raw = search.get(key);
    if (!raw) return undefined;
    const d = parseInstant(raw, now);
    if (!d) throw new ApiError("bad_request", `${key}: expected an ISO-8601 time or now-<duration>`, key);
    return d;
  };
  return listAudit(getDb(), {
    actor: search.get("actor") || undefined,
    action: search.get("action") || undefined,
    from: at("from"),
    to: at("to"),
  });
}
