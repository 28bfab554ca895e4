// GET /api/v1/acknowledgements/{id} - one; PATCH - extend or re-word; DELETE - end it now
import { handle, json } from "@/lib/http";
import { deleteAck, findAck, patchAck } from "@/lib/services/acks";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_req: Request, ctx: Ctx) => json(await findAck((await ctx.params).id)));
export const PATCH = handle(async (req: Request, ctx: Ctx) =>
  json(await patchAck(req, (await ctx.params).id)),
);
export const DELETE = handle(async (req: Request, ctx: Ctx) =>
  json(await deleteAck(req, (await ctx.params).id)),
);
