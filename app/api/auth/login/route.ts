// GET /api/auth/login?back=/phases - sign in through the OpenID provider
import { handle } from "@/lib/http";
import { oidcLogin } from "@/lib/services/session";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => oidcLogin(req));
