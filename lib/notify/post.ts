// One webhook POST that can only reach an allowed address: an IP literal is checked before the
// request, a name inside the socket's own lookup, so the address checked is the address
// connected to (no DNS rebinding in between). Redirects are never followed.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { refusal, systemResolve, targetOf, type Resolve, type TargetPolicy } from "./address";

export type PostOptions = { timeoutMs: number; policy: TargetPolicy; resolve?: Resolve };

class Refused extends Error {
  readonly code = "L9_REFUSED";
  constructor(readonly rule: string) {
    super(`refused: ${rule}`);
  }
}
class TimedOut extends Error {
  readonly code = "L9_TIMEOUT";
}

/** What a delivery error may say: a class, never an address, a port or a URL. */
const CODE_CLASSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ECONNABORTED: "connection reset",
  ETIMEDOUT: "timed out",
  ENOTFOUND: "name not resolved",
  EAI_AGAIN: "name not resolved",
  EAI_FAIL: "name not resolved",
  EAI_NODATA: "name not resolved",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "host unreachable",
  EADDRNOTAVAIL: "host unreachable",
};
const KNOWN =
  /^(HTTP \d{3}|redirect not followed \(HTTP \d{3}\)|no answer within \d+ ms|refused: [A-Za-z0-9_ ()'-]+|TLS error|delivery error|connection refused|connection reset|timed out|name not resolved|host unreachable)$/;

/** A stored error as it may be shown (older rows kept raw codes or messages: those become a class). */
export function errorClass(stored: string): string {
  if (KNOWN.test(stored)) return stored;
  return CODE_CLASSES[stored] ?? "delivery error";
}

function classify(err: unknown, timeoutMs: number): string {
  if (err instanceof Refused) return err.message;
  if (err instanceof TimedOut) return `no answer within ${timeoutMs} ms`;
  // Several addresses tried (happy eyeballs): the first one's reason.
  const e = err instanceof AggregateError && err.errors.length ? err.errors[0] : err;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string") return "delivery error";
  if (code === "L9_REFUSED" && e instanceof Refused) return e.message;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return "TLS error";
  return CODE_CLASSES[code] ?? "delivery error";
}

/** POSTs a JSON body; null when the receiver took it (2xx), else the class of why not. */
export async function postJson(url: string, body: unknown, o: PostOptions): Promise<string | null> {
  const u = new URL(url);
  const target = targetOf(u);
  const resolve = o.resolve ?? systemResolve;
  if (isIP(target.host)) {
    const rule = await refusal(target, [target.host], o.policy, resolve);
    if (rule) return `refused: ${rule}`;
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname)
      .then(async (all) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const addrs = all.filter((a) => !wanted || a.family === wanted);
        if (!addrs.length) throw Object.assign(new Error("no address"), { code: "ENOTFOUND" });
        const rule = await refusal(
          target,
          addrs.map((a) => a.address),
          o.policy,
          resolve,
        );
        if (rule) throw new Refused(rule);
        if (options.all) callback(null, addrs);
        else callback(null, addrs[0]!.address, addrs[0]!.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, "", 0));
  };
  const payload = JSON.stringify(body);
  const auth =
    u.username || u.password
      ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`
      : undefined;
  return new Promise((done) => {
    const req = (u.protocol === "https:" ? https : http).request({
      method: "POST",
      host: target.host,
      port: target.port,
      path: `${u.pathname}${u.search}`,
      // The URL's user and password travel as Basic authentication, never in a message.
      auth,
      agent: false,
      lookup,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(payload),
        "user-agent": "l9-state-health",
      },
    });
    const timer = setTimeout(() => req.destroy(new TimedOut()), o.timeoutMs);
    let settled = false;
    const finish = (result: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(result);
    };
    req.on("response", (res) => {
      const s = res.statusCode ?? 0;
      // The status is the answer: the body is not read, so no receiver can hold the socket.
      res.destroy();
      finish(
        s >= 200 && s < 300 ? null : s >= 300 && s < 400 ? `redirect not followed (HTTP ${s})` : `HTTP ${s}`,
      );
    });
    req.on("error", (err) => finish(classify(err, o.timeoutMs)));
    req.end(payload);
  });
}
