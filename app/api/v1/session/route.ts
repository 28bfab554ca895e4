// GET /api/v1/session - who is signed in; POST - the local user's name; DELETE - sign out
import { handle, json } from "@/lib/http";
import { getSession, signInLocal, signOut } from "@/lib/services/session";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => json(await getSession(req)));
export const POST = handle(async (req: Request) => signInLocal(req));
export const DELETE = handle(async (req: Request) => signOut(req));
