// DELETE /api/v1/notifications/channels/{id} - an editor removes a channel added in the app
import { handle, json } from "@/lib/http";
import { deleteChannel } from "@/lib/services/notifications";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = handle(async (req: Request, ctx: Ctx) =>
  json(await deleteChannel(req, (await ctx.params).id)),
);
