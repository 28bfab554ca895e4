// GET /api/v1/audit?actor=&action=&from=&to= - every write by a person
import { handle, json } from "@/lib/http";
import { getAudit } from "@/lib/services/audit";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getAudit(new URL(req.url).searchParams)));
