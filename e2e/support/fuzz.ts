// The fuzz suite's parts (issue 28): a raw HTTP client (any header, any body, chunked or not),
// arbitraries that build bodies near a route's schema or plain junk, and the one check every
// answer must pass: never a 5xx, every 4xx in the error envelope.
import crypto from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import fc from "fast-check";

/** The committed default is 10,000 bodies per route; L9_FUZZ_RUNS lowers it for local iteration. */
export const FUZZ_RUNS = Number(process.env.L9_FUZZ_RUNS ?? 10_000);
/** A fixed seed (printed by every test) so a failure replays; L9_FUZZ_SEED picks another. */
export const FUZZ_SEED = Number(process.env.L9_FUZZ_SEED ?? 28_028);

/** Requests in flight at once (the server is one Node process; a few keep it busy). */
export const FUZZ_CONCURRENCY = Math.max(1, Number(process.env.L9_FUZZ_CONCURRENCY ?? 4));

/** L9_FUZZ_ALL=1: keep going after a failure and list every distinct one (still a failure). */
export const FUZZ_ALL = process.env.L9_FUZZ_ALL === "1";

/** Each test's own seed: FUZZ_SEED mixed with its title (stable across workers and order). */
export function seedFor(title: string): number {
  return (FUZZ_SEED ^ crypto.createHash("sha256").update(title).digest().readInt32BE(0)) | 0;
}

export type Wire = {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** undefined: no body at all */
  body?: string | Buffer;
  /** send without content-length (chunked transfer encoding) */
  chunked?: boolean;
};
export type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** The body as the server meant it (the fuzz sends accept-encoding sometimes). */
function decode(raw: Buffer, headers: http.IncomingHttpHeaders): Buffer {
  const enc = String(headers["content-encoding"] ?? "");
  if (enc === "gzip") return zlib.gunzipSync(raw);
  if (enc === "br") return zlib.brotliDecompressSync(raw);
  if (enc === "deflate") return zlib.inflateSync(raw);
  return raw;
}

/** One request over loopback, exactly as given (Host included when the test sets one). */
export function send(base: string, w: Wire): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...w.headers };
    const body = w.body === undefined ? undefined : Buffer.from(w.body);
    // Node frames a DELETE body only when told: say chunked explicitly, or give the length.
    if (body && w.chunked) headers["transfer-encoding"] = "chunked";
    else if (body) headers["content-length"] = String(body.byteLength);
    const req = http.request(
      { host: url.hostname, port: url.port, method: w.method, path: w.path, headers, agent, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: decode(raw, res.headers).toString(),
            });
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within 60 s: ${w.method} ${w.path}`)));
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const CODES = new Set([
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
]);

const short = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** What a failing request looked like, short enough to read in a report. */
export function describeWire(w: Wire): string {
  const body = w.body === undefined ? "(no body)" : short(String(w.body));
  return `${w.method} ${short(w.path, 200)}${w.chunked ? " (chunked)" : ""}\n  headers: ${short(JSON.stringify(w.headers), 400)}\n  body: ${body}`;
}

/**
 * No 5xx, ever; a 4xx carries `{error: {code, message}}` as JSON. Returns the parsed body of a
 * 2xx (or null) so a test can follow up on what it created.
 */
export function checkAnswer(w: Wire, a: Answer, appLog: () => string): unknown {
  const fail = (why: string) => {
    const stack = appLog()
      .split("\n")
      .filter((l) => /unhandled error|request failed|Error|    at /.test(l))
      .slice(-12)
      .join("\n");
    throw new Error(
      `${why}\n${describeWire(w)}\n  answer: ${a.status} ${short(a.text, 400)}` +
        (a.status >= 500 ? `\n  app log:\n${stack}` : ""),
    );
  };
  if (a.status >= 500) fail(`HTTP ${a.status}`);
  // A redirect is Next normalising a path (e.g. a dot segment): fine when it says where to.
  if (a.status >= 300 && a.status < 400 && a.headers.location) return null;
  if (a.status < 200 || a.status >= 400) {
    if (a.status < 400) fail(`unexpected HTTP ${a.status}`);
    if (!/^application\/json/i.test(String(a.headers["content-type"] ?? "")))
      fail(`HTTP ${a.status} without a JSON error envelope`);
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      fail(`HTTP ${a.status}: the body is not JSON`);
    }
    const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof e?.code !== "string" || !CODES.has(e.code) || typeof e.message !== "string" || !e.message)
      fail(`HTTP ${a.status} outside the error envelope {error:{code,message}}`);
    return null;
  }
  try {
    return a.text ? (JSON.parse(a.text) as unknown) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------
// JSON text with tokens JSON.stringify cannot write (1e999 is Infinity once parsed, -0, 20 digits).

export class RawJson {
  constructor(readonly text: string) {}
}

export function toJsonText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

const rawNumbers = [
  "1e999",
  "-1e999",
  "-0",
  "1e-400",
  "99999999999999999999",
  "-99999999999999999999",
  "9007199254740993",
  "2147483648",
  "1.0",
  "4.0000000000000001",
  "0.1e1",
].map((t) => new RawJson(t));

/** Strings that break parsers, databases and renderers. */
export const junkString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\t\n",
    "NaN",
    "Infinity",
    "-Infinity",
    "null",
    "undefined",
    "true",
    "0",
    "-1",
    "1e999",
    "99999999999999999999",
    "0x1F",
    "__proto__",
    "constructor",
    "toString",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "\udfff\ud800",
    "\u202e\u0644\u0627",
    "\ufeff",
    "👩‍👩‍👧‍👦",
    "<script>alert(1)</script>",
    '\'; DROP TABLE "Review"; --',
    "%E0%A4%A",
    "../../etc/passwd",
    "${jndi:x}",
    "{{7*7}}",
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  // Very long: 1k to 120k characters (the 1 MiB limit stays for the oversize case).
  fc
    .tuple(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1_000, max: 120_000 }),
    )
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
);

/** Date-times a schema must refuse or survive: impossible, far away, odd forms. */
export const junkDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "2026-02-30T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-04-31T12:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:60:00Z",
    "2026-01-01T23:59:60Z",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+2359",
    "1969-12-31T23:59:59.999999999Z",
    "2026-01-01T00:00:00+99:99",
    "2026-01-01T00:00:00-2400",
    "2026-01-01",
    "2026-01-01T00:00",
    "2026-01-01 00:00:00.1234567",
    "275760-09-13T00:00:00Z",
    "+275760-09-13T00:00:00.000Z",
    "-000001-01-01T00:00:00Z",
    "2099-01-01T00:00:00Z",
    "now",
    "now-7d",
    "1764000000000",
  ),
  fc
    .date({
      min: new Date("0000-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
);

/** Any JSON value, hostile on purpose: numbers past every limit, wrong types, nesting. */
export const junkValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324),
    fc.constantFrom(...rawNumbers),
    junkString,
    junkDate,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(junkString, fc.string({ maxLength: 8 })), tie("v"), { maxKeys: 4 }),
  ),
})).v;

/** A raw JSON text nested thousands deep. */
const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([n, arrays]) => (arrays ? "[".repeat(n) + "]".repeat(n) : '{"a":'.repeat(n) + "1" + "}".repeat(n)));

/** Bodies that are not JSON at all, or barely. */
export const junkText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[",
    '{"a":',
    "{'a': 1}",
    "{a:1}",
    '{"a":1,}',
    "undefined",
    "NaN",
    "\ufeff{}",
    '\ufeff{"phase":1}',
    "null",
    "true",
    "1",
    '"string"',
    "[]",
    "{}",
    "a=1&b=2",
    "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--",
    '{"a":1}{"b":2}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    "\u0000",
  ),
  fc.string({ unit: "binary", maxLength: 200 }),
  deepJson,
);

export type FuzzBody = { text: string | undefined; contentType: string | undefined; chunked: boolean };

const contentTypes = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  { weight: 3, arbitrary: fc.constant("application/json; charset=utf-8") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "APPLICATION/JSON",
      "application/json;charset=latin1",
      "application/json ; x=y",
      "application/json;;;",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      "",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonx",
      "application/problem+json",
      "json",
      "*/*",
    ),
  },
);

/**
 * A body as sent: mostly the given JSON values as text, sometimes mangled (truncated, with a
 * BOM, trailing junk), sometimes raw junk or no body at all; mostly as application/json.
 */
export function encode(values: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzBody> {
  const text = fc.oneof(
    { weight: 16, arbitrary: values.map(toJsonText) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(values.map(toJsonText), fc.nat(), fc.constantFrom("cut", "bom", "tail", "pad"))
        .map(([t, n, how]) =>
          how === "cut"
            ? t.slice(0, n % Math.max(1, t.length))
            : how === "bom"
              ? `\ufeff${t}`
              : how === "tail"
                ? `${t},`
                : `  \n\t${t}\n `,
        ),
    },
    { weight: 2, arbitrary: junkText },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.record({ text, contentType: contentTypes, chunked: fc.boolean() });
}

/** An oversize body, now and then: 1 MiB and a little more. */
export const oversize: fc.Arbitrary<FuzzBody> = fc.constant({
  text: JSON.stringify({ padding: "x".repeat(1024 * 1024 + 10) }),
  contentType: "application/json",
  chunked: false,
});

// ---------------------------------------------------------------------------------------
// Bodies near a schema. Each field has its valid values and, optionally, the wrong values
// worth trying there (default: any junk value); a near body mixes valid, wrong and missing
// fields, and sometimes extra ones.

export type Field = { valid: fc.Arbitrary<unknown>; wrong?: fc.Arbitrary<unknown>; optional?: boolean };
export type Shape = Record<string, Field>;

/** A field left out (a valid arbitrary may produce it, e.g. a rarely given field). */
export const OMIT: unknown = Symbol("omit");

/** Only valid values (optional fields left out half of the time). */
export function validOf(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(shape).map(([k, f]) =>
    (f.optional ? fc.oneof(f.valid, fc.constant(OMIT)) : f.valid).map((v) => [k, v] as const),
  );
  return fc
    .tuple(...entries)
    .map((kv) => Object.fromEntries(kv.filter(([, v]) => v !== OMIT)) as Record<string, unknown>);
}

/** Valid, wrong and missing fields mixed, sometimes with extra fields. */
export function nearOf(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(shape).map(([k, f]) =>
    fc
      .oneof(
        { weight: 5, arbitrary: f.valid },
        { weight: 2, arbitrary: f.wrong ?? junkValue },
        { weight: 1, arbitrary: f.wrong ? f.wrong : fc.constant(null) },
        { weight: 1, arbitrary: fc.constant(OMIT) },
      )
      .map((v) => [k, v] as const),
  );
  const extra = fc.option(
    fc.dictionary(fc.constantFrom("extra", "id", "__proto__", "as", "set_by", "x"), junkValue, {
      maxKeys: 2,
    }),
    {
      freq: 4,
      nil: undefined,
    },
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([kv, more]) => ({
    ...Object.fromEntries(kv.filter(([, v]) => v !== OMIT)),
    ...(more ?? {}),
  }));
}

/** Top-level bodies for a schema: valid, near, junk values in place of the object, raw junk. */
export function bodiesFor(shape: Shape, validOverride?: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzBody> {
  const values = fc.oneof(
    { weight: 4, arbitrary: validOverride ?? validOf(shape) },
    { weight: 6, arbitrary: nearOf(shape) },
    { weight: 1, arbitrary: junkValue },
    { weight: 1, arbitrary: fc.array(validOverride ?? validOf(shape), { maxLength: 2 }) },
  );
  return fc.oneof({ weight: 200, arbitrary: encode(values) }, { weight: 1, arbitrary: oversize });
}

/** Headers that are odd but within limits: long values, many of them, unusual accepts. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        "x-fuzz": fc.integer({ min: 1, max: 8_000 }).map((n) => "x".repeat(n)),
        accept: fc.constantFrom("*/*", "text/html", "application/xml", "", "application/json;q=0"),
        "accept-encoding": fc.constantFrom("gzip", "br", "identity;q=0", "*"),
        "user-agent": fc.string({ unit: "grapheme-ascii", maxLength: 400 }),
        "x-forwarded-for": fc.constantFrom("10.0.0.1", "evil", "::1, 10.0.0.1"),
        "x-l9-peer": fc.constantFrom("10.0.0.9", "127.0.0.1"),
      },
      { requiredKeys: [] },
    ),
  },
);

/** A list field: valid items, or near ones, or junk in its place. */
export const listOf = (shape: Shape, maxLength: number, minLength = 0): Field => ({
  valid: fc.array(validOf(shape), { minLength, maxLength }),
  wrong: fc.oneof(fc.array(nearOf(shape), { maxLength: Math.min(maxLength, 3) }), junkValue),
});

/** An object field: valid, or near, or junk in its place. */
export const objectOf = (shape: Shape): Field => ({
  valid: validOf(shape),
  wrong: fc.oneof(nearOf(shape), junkValue),
});

/** Puts a body on the wire with the route's base headers. */
export function wire(
  method: string,
  path: string,
  headers: Record<string, string>,
  b: FuzzBody,
  extra: Record<string, string> = {},
): Wire {
  const h: Record<string, string> = { ...extra, ...headers };
  if (b.contentType !== undefined) h["content-type"] = b.contentType;
  return { method, path, headers: h, body: b.text, chunked: b.chunked };
}

/** Plans print short in fast-check's counterexamples (bodies may be 120k characters). */
export function printable<T extends object>(x: T): T {
  const text = () =>
    short(
      JSON.stringify(x, (_k, v: unknown) => (typeof v === "string" ? short(v, 300) : v)),
      2000,
    );
  Object.defineProperty(x, fc.toStringMethod, { value: text, enumerable: false });
  return x;
}
