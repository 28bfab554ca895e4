// GET /api/auth/callback - the OpenID provider's redirect back with a code
import { handle } from "@/lib/http";
import { oidcCallback } from "@/lib/services/session";

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request) => oidcCallback(req));
