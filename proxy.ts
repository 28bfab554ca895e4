// Every request passes here first (CONTRACT 6g). The Host and the path's %-escapes must be
// valid, and on a loopback-only
// instance a loopback name (DNS rebinding: reads too). With L9_REQUIRE_SIGN_IN=1, reading needs
// a signed-in person: pages go to /sign-in, API calls get 401 in the error envelope. Health,
// metrics, the sign-in routes, ingest and agents' deliveries stay reachable without sign-in.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { currentPerson, hostRefusalFor } from "@/lib/access";

const OPEN = [
  /^\/api\/v1\/health$/,
  /^\/metrics$/,
  /^\/api\/v1\/session$/,
  /^\/api\/auth\//,
  /^\/api\/v1\/ingest\//,
  /^\/api\/v1\/agent\/polls$/,
  /^\/sign-in$/,
];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refusal: the error envelope for the API, a short page for a person's browser. */
function refuse(path: string, status: 400 | 403, message: string): NextResponse {
  const code = status === 400 ? "bad_request" : "forbidden";
  if (path.startsWith("/api/") || path === "/metrics") {
    return NextResponse.json(
      { error: { code, message } },
      { status, headers: { "cache-control": "no-store" } },
    );
  }
  const page = `<!doctype html><meta charset="utf-8"><title>Refused</title><p>${escapeHtml(message)}</p>\n`;
  return new NextResponse(page, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/** A path whose %-escapes are not UTF-8 cannot be a route's parameter (Next would answer 500). */
function badEscapes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export async function proxy(req: NextRequest) {
  const path = req.nextUrl.pathname;
  const host = hostRefusalFor(req);
  if (host) return refuse(path, host.status, host.message);
  if (badEscapes(path)) return refuse(path, 400, "the path has %-escapes that are not UTF-8");
  if (!env().auth.requireSignIn) return NextResponse.next();
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
