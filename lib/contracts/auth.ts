// Who is signed in, and the bodies of the session and audit routes (CONTRACT 6g).
import { z } from "zod";
import type { AuthModeName } from "../core/access";

export type ApiPerson = {
  /** the identity recorded on writes: email (OpenID Connect, proxy) or the local name */
  id: string;
  name: string;
  via: AuthModeName;
  editor: boolean;
};

/** GET /api/v1/session */
export type ApiSession = {
  mode: AuthModeName;
  person: ApiPerson | null;
  /** how a person signs in here: a name (local), a link (OpenID Connect), or nothing (proxy) */
  sign_in: { kind: "name" } | { kind: "link"; href: string } | { kind: "proxy"; header: string };
  require_sign_in: boolean;
  review_min_sign_offs: number;
};

/** POST /api/v1/session (local mode): the local user's name, given once. */
export const localSignInSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export type LocalSignInBody = z.input<typeof localSignInSchema>;

/** POST /api/v1/reviews/{id}/sign-off: always the signed-in person's own. */
export const signOffSchema = z.object({ as: z.string().trim().max(200).optional() }).strict();
export type SignOffBody = z.input<typeof signOffSchema>;

export type ApiAuditEntry = {
  id: number;
  at: string;
  actor: string;
  via: string;
  action: string;
  target: string;
  detail: unknown;
  from: string;
  user_agent: string;
};

export type ApiAuditPage = { entries: ApiAuditEntry[]; actors: string[]; actions: string[] };
