// POST /api/v1/notifications/channels - an editor adds a webhook channel
import { handle, json } from "@/lib/http";
import { postChannel } from "@/lib/services/notifications";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await postChannel(req), 201));
