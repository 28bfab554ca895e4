// GET /api/v1/acknowledgements - in force and history; POST - an editor acknowledges a difference
import { handle, json } from "@/lib/http";
import { getAcks, postAck } from "@/lib/services/acks";

export const dynamic = "force-dynamic";

export const GET = handle(async () => json(await getAcks()));
export const POST = handle(async (req: Request) => json(await postAck(req), 201));
