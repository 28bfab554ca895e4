// With L9_REQUIRE_SIGN_IN=1, reading needs a signed-in person too (CONTRACT 6g): pages go to
// /sign-in, API calls get 401 in the error envelope. Health, metrics, the sign-in routes,
// ingest and agents' deliveries (machines, with their own token rules) stay reachable.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { currentPerson } from "@/lib/access";

const OPEN = [
  /^\/api\/v1\/health$/,
  /^\/metrics$/,
  /^\/api\/v1\/session$/,
  /^\/api\/auth\//,
  /^\/api\/v1\/ingest\//,
  /^\/api\/v1\/agent\/polls$/,
  /^\/sign-in$/,
];

export async function proxy(req: NextRequest) {
  if (!env().auth.requireSignIn) return NextResponse.next();
  const path = req.nextUrl.pathname;
  if (OPEN.some((re) => re.test(path))) return NextResponse.next();
  if (await currentPerson(req)) return NextResponse.next();
  if (path.startsWith("/api/")) {
    return NextResponse.json(
      { error: { code: "unauthorized", message: "sign in to read (L9_REQUIRE_SIGN_IN is set)" } },
      { status: 401 },
    );
  }
  const to = new URL("/sign-in", req.url);
  to.searchParams.set("back", `${path}${req.nextUrl.search}`);
  return NextResponse.redirect(to);
}

export const config = { matcher: ["/((?!_next/|icon.svg).*)"] };
