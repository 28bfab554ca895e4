import "server-only";
// The session cookie: a person's identity sealed (encrypted and signed) by iron-session, and
// the short-lived OpenID Connect login state. No hand-written crypto: sealData/unsealData.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import { dataDir, env } from "../env";
import type { Person } from "../core/access";

export const SESSION_COOKIE = "l9_session";
const LOGIN_COOKIE = "l9_login";
const SESSION_TTL_S = 30 * 86400;
const LOCAL_TTL_S = 365 * 86400;
const LOGIN_TTL_S = 600;

const personSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.string().nullable(),
  groups: z.array(z.string()),
  via: z.enum(["local", "oidc", "proxy"]),
});
const loginSchema = z.object({
  state: z.string(),
  verifier: z.string(),
  nonce: z.string(),
  back: z.string(),
});
export type LoginState = z.infer<typeof loginSchema>;

const g = globalThis as typeof globalThis & { __l9SessionSecret?: string };

/**
 * L9_SESSION_SECRET, else a random secret kept beside the database (mode 600), so sessions
 * survive a restart without configuration.
 */
function secret(): string {
  const configured = env().auth.sessionSecret;
  if (configured) return configured;
  if (g.__l9SessionSecret) return g.__l9SessionSecret;
  const file = path.join(dataDir(env().databaseUrl), ".l9-session-secret");
  try {
    g.__l9SessionSecret = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fresh = crypto.randomBytes(32).toString("hex");
    fs.writeFileSync(file, fresh, { mode: 0o600, flag: "wx" });
    g.__l9SessionSecret = fresh;
  }
  if (g.__l9SessionSecret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters`);
  return g.__l9SessionSecret;
}

/**
 * A cookie's value, or null. A value with broken %-escapes is treated as absent: no sealed
 * cookie of ours has one, and refusing it would lock the person out of every page until
 * they find and clear it by hand.
 */
function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Secure when the app is served over HTTPS (its public URL, or the request itself). */
function secureFor(req: Request): boolean {
  const publicUrl = env().auth.publicUrl;
  return publicUrl ? publicUrl.startsWith("https:") : new URL(req.url).protocol === "https:";
}

function cookie(req: Request, name: string, value: string, maxAge: number): string {
  const attrs = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
  ];
  if (secureFor(req)) attrs.push("Secure");
  return attrs.join("; ");
}

export async function readSession(req: Request): Promise<Person | null> {
  const sealed = readCookie(req, SESSION_COOKIE);
  if (!sealed) return null;
  try {
    const parsed = personSchema.safeParse(await unsealData(sealed, { password: secret() }));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function sessionCookie(req: Request, person: Person): Promise<string> {
  const ttl = person.via === "local" ? LOCAL_TTL_S : SESSION_TTL_S;
  return cookie(req, SESSION_COOKIE, await sealData(person, { password: secret(), ttl }), ttl);
}

export function clearSessionCookie(req: Request): string {
  return cookie(req, SESSION_COOKIE, "", 0);
}

export async function loginCookie(req: Request, state: LoginState): Promise<string> {
  return cookie(
    req,
    LOGIN_COOKIE,
    await sealData(state, { password: secret(), ttl: LOGIN_TTL_S }),
    LOGIN_TTL_S,
  );
}

export async function readLoginState(req: Request): Promise<LoginState | null> {
  const sealed = readCookie(req, LOGIN_COOKIE);
  if (!sealed) return null;
  try {
    const parsed = loginSchema.safeParse(await unsealData(sealed, { password: secret() }));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function clearLoginCookie(req: Request): string {
  return cookie(req, LOGIN_COOKIE, "", 0);
}
