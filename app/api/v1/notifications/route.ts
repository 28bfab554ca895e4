// GET /api/v1/notifications - channels (URLs hidden), delivery history (errors to editors), rules
import { handle, json } from "@/lib/http";
import { getNotifications } from "@/lib/services/notifications";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getNotifications(req)));
