// POST /api/v1/notifications/test - send a test message to one channel
import { handle, json } from "@/lib/http";
import { testChannel } from "@/lib/services/notifications";

export const dynamic = "force-dynamic";

export const POST = handle(async (req: Request) => json(await testChannel(req), 202));
