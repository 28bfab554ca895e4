// The fuzz suite (issue 28): every write route of the built app, over real HTTP on loopback,
// with generated bodies near each route's schema and plain junk (FUZZ_RUNS each, 10,000 by
// default, seeded and printed). No answer may be a 5xx, every 4xx is the error envelope, and
// after each route the app still answers health and serves its stored history.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { Fleet } from "../test/support/fleet";
import { FINDING_KINDS } from "../lib/core/types";
import { startApp, type App } from "./support/app";
import {
  FUZZ_ALL,
  FUZZ_CONCURRENCY,
  FUZZ_RUNS,
  FUZZ_SEED,
  OMIT,
  bodiesFor,
  checkAnswer,
  encode,
  extraHeaders,
  junkDate,
  junkString,
  junkValue,
  listOf,
  nearOf,
  objectOf,
  printable,
  seedFor,
  send,
  validOf,
  wire,
  type FuzzBody,
  type Shape,
  type Wire,
} from "./support/fuzz";

const INGEST_TOKEN = "fuzz-ingest-token-0123456789abcdef";
const AGENT_TOKEN = "fuzz-agent-token-0123456789abcdef";
const AGENT_HOST = "fuzz-host";
const AGENT_ID = 4242;

let fleet: Fleet;
let app: App;
let server: App;
let hook: http.Server;
let hookUrl: string;
let cookie: string;

// ---------------------------------------------------------------------------------------
// Valid values of the routes' fields (lib/contracts/*), relative to the time they are drawn.

const ago = (maxMs: number) => fc.integer({ min: 0, max: maxMs }).map((ms) => new Date(Date.now() - ms));
const ahead = (minMs: number, maxMs: number) =>
  fc.integer({ min: minMs, max: maxMs }).map((ms) => new Date(Date.now() + ms));
/** The forms isoDateTime accepts: Z, an offset, naive (read as UTC), without seconds. */
const isoForms = (d: fc.Arbitrary<Date>) =>
  fc.tuple(d, fc.constantFrom("z", "offset", "naive", "space", "micro")).map(([t, form]) => {
    const z = t.toISOString();
    if (form === "offset") return new Date(t.getTime() + 2 * 3600_000).toISOString().slice(0, 19) + "+02:00";
    if (form === "naive") return z.slice(0, 23);
    if (form === "space") return z.replace("T", " ");
    if (form === "micro") return `${z.slice(0, 23)}456Z`;
    return z;
  });
const recent = isoForms(ago(3600_000));
const dateWrong = fc.oneof(junkDate, junkValue);

const text = (min: number, max: number) =>
  fc.string({ unit: "grapheme", minLength: min, maxLength: max }).filter((s) => s.trim().length >= min);
const name = text(1, 40);
const hex = (min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((n) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n }));
const count = fc.nat({ max: 100_000 });
const kindCounts = fc.dictionary(fc.constantFrom(...FINDING_KINDS), fc.nat({ max: 50 }), { maxKeys: 3 });
const durations = fc.constantFrom("30s", "15m", "1h", "24h", "1d", "7d", "14d", "28d", "4w");
/** Windows no evaluation should take: huge, zero, negative, malformed (a window is at most 20 characters). */
const windowWrong = fc.oneof(
  fc.constantFrom(
    "99999999999999999999d",
    "9007199254740993s",
    "100000d",
    "1e3d",
    "0d",
    "-1d",
    "7x",
    "7 d",
    "1.5h",
    "d",
    "7D",
  ),
  junkValue,
);

const personHeaders = () =>
  fc.constantFrom<Record<string, string>>(
    { cookie },
    { cookie, origin: app.url },
    { cookie, origin: app.url, "sec-fetch-site": "same-origin" },
  );
const ingestHeaders = () => fc.constant<Record<string, string>>({ authorization: `Bearer ${INGEST_TOKEN}` });

// ---------------------------------------------------------------------------------------
// Shapes (the zod schemas, field by field).

const sessionShape: Shape = { name: { valid: text(1, 100) } };

const ackShape: Shape = {
  project: { valid: fc.oneof(fc.constantFrom("alpha", "proj-*", "fuzz-?"), text(1, 200)) },
  source: {
    valid: fc.constantFrom("container_registry", "active_indexers:fuzz-a", "docker", null),
    optional: true,
  },
  kind: { valid: fc.constantFrom(...FINDING_KINDS, null), optional: true },
  value: { valid: fc.oneof(text(1, 50), fc.constant(null)), optional: true },
  reason: { valid: text(3, 300) },
  expires_at: { valid: isoForms(ahead(120_000, 29 * 86400_000)), wrong: dateWrong },
};
const ackPatchShape: Shape = {
  reason: { valid: text(3, 300), optional: true },
  expires_at: { valid: isoForms(ahead(120_000, 29 * 86400_000)), wrong: dateWrong, optional: true },
};

/** Channel URLs: only this suite's receiver on loopback (the workplace sends nothing elsewhere). */
const channelUrl = () =>
  fc
    .oneof(fc.constant(""), fc.string({ unit: "grapheme", maxLength: 60 }))
    .map((tail) => `${hookUrl}/${encodeURI(tail).replace(/^\/+/, "")}`);
/** Wrong URLs that must never parse as http(s): any other scheme, no scheme, junk types. */
const channelUrlWrong = fc.oneof(
  fc.constantFrom(
    "ftp://127.0.0.1/x",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "127.0.0.1:9",
    "http://",
    "",
    "   ",
  ),
  fc.string({ maxLength: 40 }).map((s) => `nothttp:${s}`),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 2 })),
);
const channelShape = (): Shape => ({
  name: { valid: fc.oneof(fc.constant("env-1"), text(1, 100)) },
  kind: { valid: fc.constantFrom("json", "slack") },
  url: { valid: channelUrl(), wrong: channelUrlWrong },
});

const reviewShape: Shape = {
  phase: { valid: fc.integer({ min: 0, max: 4 }) },
  window: { valid: fc.oneof(durations, fc.constant(null)), wrong: windowWrong, optional: true },
};
const actionItemShape: Shape = {
  text: { valid: text(1, 200) },
  owner: { valid: name },
  due: {
    valid: fc.oneof(isoForms(ahead(0, 60 * 86400_000)), fc.constant(null)),
    wrong: dateWrong,
    optional: true,
  },
};
const reviewPatchShape: Shape = {
  attendees: { valid: fc.array(name, { maxLength: 3 }), optional: true },
  notes: { valid: text(0, 500), optional: true },
  // Rare, so a review is not frozen at once (a decided one is replaced by a new one).
  decision: {
    valid: fc.oneof(
      { weight: 8, arbitrary: fc.constant(OMIT) },
      fc.constantFrom("advance", "hold", "roll_back"),
    ),
  },
  accept_acknowledged: { valid: fc.boolean(), optional: true },
  rationale: { valid: text(0, 200), optional: true },
  confirm_not_ready: { valid: fc.boolean(), optional: true },
  confirm_unsettled: { valid: fc.boolean(), optional: true },
  record_phase: { valid: fc.boolean(), optional: true },
  action_items: { ...listOf(actionItemShape, 2), optional: true },
  follow_up: {
    valid: fc.oneof(isoForms(ahead(0, 60 * 86400_000)), fc.constant(null)),
    wrong: dateWrong,
    optional: true,
  },
};
const signOffShape: Shape = {
  as: { valid: fc.constantFrom("fuzz", "FUZZ", "someone-else"), optional: true },
};

const phaseShape: Shape = {
  phase: { valid: fc.integer({ min: 0, max: 4 }) },
  started_at: { valid: isoForms(ago(30 * 86400_000)), wrong: dateWrong, optional: true },
  note: { valid: text(0, 300), optional: true },
};

// A few instances and projects only: valid snapshots must not grow the fleet without bound.
const instance = fc.constantFrom("fuzz-a", "fuzz-b", "fuzz-c");
const instanceWrong = fc.oneof(
  fc.constantFrom("", "   ", "x".repeat(201)),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 2 }), fc.object()),
);
const project = fc.constantFrom("alpha", "beta", "fuzz-1");
const portForms = fc.oneof(
  fc.integer({ min: 1, max: 65535 }),
  fc.integer({ min: 1, max: 65535 }).map(String),
  fc.constantFrom("", null, " 48101 "),
);
const entryShape: Shape = {
  container_id: { valid: fc.oneof(hex(12, 64), fc.constant(null)), optional: true },
  port: { valid: portForms, optional: true },
  last_activity: { valid: fc.oneof(recent, fc.constant(null)), optional: true },
  project_path: { valid: fc.oneof(fc.constant("/home/dev/alpha"), fc.constant(null)), optional: true },
};
const indexers = {
  valid: fc.dictionary(project, validOf(entryShape), { maxKeys: 3 }),
  wrong: fc.oneof(
    fc.dictionary(fc.oneof(project, fc.constant("")), nearOf(entryShape), { maxKeys: 3 }),
    junkValue,
  ),
};
const snapshotShape: Shape = {
  instance_id: { valid: instance, wrong: instanceWrong },
  started_at: { valid: isoForms(ago(7 * 86400_000)), wrong: dateWrong },
  taken_at: { valid: recent, wrong: dateWrong },
  indexers,
  orchestrators: { ...listOf({ name: { valid: fc.constantFrom("o1", "o2") }, indexers }, 3), optional: true },
  ended: { valid: fc.oneof({ weight: 9, arbitrary: fc.constant(OMIT) }, fc.boolean()) },
};
const readEventShape: Shape = {
  at: { valid: recent, wrong: dateWrong },
  project: { valid: project },
  served_by: { valid: fc.constantFrom("docker", "fallback", "none") },
  docker_ok: { valid: fc.boolean() },
  latency_ms: {
    valid: fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.constant(null)),
    optional: true,
  },
};
const readEventsShape: Shape = {
  instance_id: { valid: instance, wrong: instanceWrong },
  events: listOf(readEventShape, 4),
};

const HEALTH = ["consistent", "warning", "diverged", "unknown"] as const;
const hostStateShape: Shape = {
  polled_at: { valid: fc.oneof(recent, fc.constant(null)) },
  poll_id: { valid: fc.oneof(fc.nat(), fc.constant(null)) },
  simulated: { valid: fc.boolean() },
  docker: objectOf({
    reachable: { valid: fc.boolean() },
    endpoint: { valid: fc.constant("unix:///var/run/docker.sock") },
    latency_ms: { valid: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null)) },
    error: { valid: fc.oneof(text(0, 40), fc.constant(null)) },
    last_ok_at: { valid: fc.oneof(recent, fc.constant(null)) },
  }),
  sources: listOf(
    {
      id: { valid: fc.constantFrom("container_registry", "active_indexers:fuzz-a") },
      kind: { valid: fc.constantFrom("registry_file", "active_indexers") },
      status: { valid: fc.constantFrom("ok", "missing", "stale") },
    },
    2,
  ),
  summary: objectOf({
    checks: { valid: count },
    diverged: { valid: count },
    divergence_rate: { valid: fc.double({ min: 0, max: 1, noNaN: true }) },
    diverged_acknowledged: { valid: count },
    divergence_rate_acknowledged: { valid: fc.double({ min: 0, max: 1, noNaN: true }) },
    acknowledgements_in_force: { valid: count },
    projects: { valid: count },
    health: { valid: fc.dictionary(fc.constantFrom(...HEALTH), count, { maxKeys: 4 }) },
  }),
  projects: listOf(
    {
      project: { valid: project },
      health: { valid: fc.constantFrom(...HEALTH) },
      containers: listOf({ id: { valid: hex(12, 64) } }, 2),
      checks: listOf(
        {
          source: { valid: fc.constantFrom("container_registry", "active_indexers:fuzz-a") },
          status: { valid: fc.constantFrom("consistent", "diverged") },
        },
        2,
      ),
      findings: listOf(
        { kind: { valid: fc.constantFrom(...FINDING_KINDS) }, message: { valid: text(1, 40) } },
        2,
      ),
      sources: {
        valid: fc.dictionary(fc.constantFrom("docker", "container_registry"), junkValue, { maxKeys: 2 }),
      },
    },
    3,
  ),
  unassigned_containers: listOf({ id: { valid: hex(12, 64) } }, 1),
  collector: objectOf({
    poll_interval_ms: { valid: fc.integer({ min: 1, max: 60_000 }) },
    duration_ms: { valid: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null)) },
  }),
};
const ref = fc.integer({ min: 1, max: 1_000_000 });
const pollShape: Shape = {
  id: { valid: fc.integer({ min: 1, max: 1_000_000 }) },
  polled_at: { valid: recent, wrong: dateWrong },
  docker_reachable: { valid: fc.boolean() },
  docker_latency_ms: { valid: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null)) },
  docker_error: { valid: fc.oneof(text(0, 60), fc.constant(null)) },
  duration_ms: { valid: fc.double({ min: 0, max: 1000, noNaN: true }) },
  interval_ms: { valid: fc.integer({ min: 1, max: 600_000 }) },
  checks: { valid: count },
  diverged: { valid: count },
  diverged_ack: { valid: count },
  projects: { valid: count },
  kind_counts: { valid: kindCounts },
  seq: { valid: count },
  cum_checks: { valid: count },
  cum_diverged: { valid: count },
  cum_diverged_ack: { valid: count },
  cum_kinds: { valid: kindCounts },
  cum_covered_ms: { valid: fc.nat() },
  cum_latency_ms: { valid: fc.nat() },
  simulated: { valid: fc.boolean() },
  new_containers: listOf(
    {
      id: { valid: hex(12, 64) },
      project: { valid: project },
      name: { valid: text(1, 40) },
      created: { valid: recent, wrong: dateWrong },
      labels: {
        valid: fc.dictionary(fc.constantFrom("com.l9.managed", "com.l9.project"), text(0, 20), {
          maxKeys: 2,
        }),
      },
      label_issues: {
        valid: fc.array(fc.constantFrom("labels_missing", "label_hash_invalid"), { maxLength: 2 }),
      },
      state: { valid: fc.constantFrom("running", "exited") },
      port: { valid: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant(null)) },
    },
    2,
  ),
  episodes_opened: listOf(
    {
      ref: { valid: ref },
      project: { valid: project },
      source: { valid: fc.constantFrom("container_registry", "docker") },
      kind: { valid: fc.constantFrom(...FINDING_KINDS) },
      subject: { valid: text(0, 40) },
      opened_at: { valid: recent, wrong: dateWrong },
      detail: { valid: fc.dictionary(fc.string({ maxLength: 8 }), junkValue, { maxKeys: 2 }) },
    },
    2,
  ),
  episodes_closed: { valid: fc.array(ref, { maxLength: 2 }) },
  runs_opened: {
    ...listOf(
      {
        ref: { valid: ref },
        project: { valid: project },
        source: { valid: fc.constantFrom("container_registry", "docker") },
        diverged: { valid: fc.boolean() },
        start_seq: { valid: count },
      },
      2,
    ),
    optional: true,
  },
  runs_closed: { ...listOf({ ref: { valid: ref }, end_seq: { valid: count } }, 2), optional: true },
  read_events: {
    ...listOf(
      {
        ref: { valid: ref },
        instance_id: { valid: instance },
        at: { valid: recent, wrong: dateWrong },
        project: { valid: project },
        served_by: { valid: fc.constantFrom("docker", "fallback", "none", "cache") },
        docker_ok: { valid: fc.boolean() },
        latency_ms: { valid: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null)) },
      },
      2,
    ),
    optional: true,
  },
  restarts: {
    ...listOf(
      {
        ref: { valid: ref },
        instance_id: { valid: instance },
        previous_instance_id: { valid: instance },
        previous_started_at: { valid: fc.oneof(recent, fc.constant(null)), wrong: dateWrong },
        started_at: { valid: recent, wrong: dateWrong },
        detected_at: { valid: recent, wrong: dateWrong },
        reason: { valid: fc.constantFrom("started_at_changed", "replaced_stale") },
        recovered_at: { valid: fc.oneof(recent, fc.constant(null)), wrong: dateWrong },
      },
      1,
    ),
    optional: true,
  },
  state: {
    valid: fc.oneof(fc.constant(null), validOf(hostStateShape)),
    wrong: fc.oneof(nearOf(hostStateShape), junkValue),
  },
};
const batchShape: Shape = {
  host: {
    valid: fc.constant(AGENT_HOST),
    wrong: fc.oneof(fc.constantFrom("other-host", "", "a b", "x".repeat(65)), junkValue),
  },
  agent_version: { valid: fc.constantFrom("0.1.0", "fuzz") },
  // One agent database feeds the host; another id is the documented 409.
  agent_id: {
    valid: fc.constant(AGENT_ID),
    wrong: fc.oneof(fc.integer({ min: 1, max: 2 ** 31 - 1 }), junkValue),
    optional: true,
  },
  buffered: { valid: count },
  dropped: { valid: count },
  polls: listOf(pollShape, 3, 1),
};

// ---------------------------------------------------------------------------------------

/** One fuzzed request: what to send, and which object of the app it aims at. */
type Plan = { body: FuzzBody; base: Record<string, string>; extra: Record<string, string>; target: string };

function plans(
  bodies: fc.Arbitrary<FuzzBody>,
  base: fc.Arbitrary<Record<string, string>>,
  targets: fc.Arbitrary<string> = fc.constant(""),
): fc.Arbitrary<Plan> {
  return fc.record({ body: bodies, base, extra: extraHeaders, target: targets }).map((p) => printable(p));
}

/**
 * Runs FUZZ_RUNS generated cases against one app (`exec` sends one and checks its answer),
 * then the app must still answer health and serve its history. The cases are drawn up front
 * from the test's seed (case N of a seed is always the same body) and sent FUZZ_CONCURRENCY at
 * a time, so 10,000 per route fit in CI. With L9_FUZZ_ALL=1 a failing case does not stop the
 * run: every distinct failure is listed at the end (the test still fails).
 */
async function runFuzz<T>(target: App, arb: fc.Arbitrary<T>, exec: (p: T) => Promise<number>) {
  const title = test.info().title;
  const seed = seedFor(title);
  console.log(
    `[fuzz] ${title}: seed ${seed}, ${FUZZ_RUNS} runs, ${FUZZ_CONCURRENCY} at a time (L9_FUZZ_SEED=${FUZZ_SEED})`,
  );
  const before = await stateOf(target);
  const started = Date.now();
  const statuses: Record<number, number> = {};
  const failures = new Map<string, string>();
  const cases = fc.sample(arb, { seed, numRuns: FUZZ_RUNS });
  let next = 0;
  let stop: Error | null = null;
  const worker = async () => {
    while (!stop && next < cases.length) {
      const index = next++;
      try {
        const status = await exec(cases[index]!);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch (err) {
        const text = `case ${index} of seed ${seed}: ${(err as Error).message}`;
        if (!FUZZ_ALL) {
          stop ??= new Error(text);
          return;
        }
        const [why = "", request = ""] = (err as Error).message.split("\n");
        const route = request.replace(/\/[^/ ]*[\d%][^/ ]*/g, "/:id");
        const key = why + route + (/\[api\] unhandled error.*|\[server\].*/.exec(text)?.[0] ?? "");
        if (!failures.has(key)) failures.set(key, text);
      }
    }
  };
  await Promise.all(Array.from({ length: FUZZ_CONCURRENCY }, worker));
  if (stop) throw stop;
  console.log(
    `[fuzz] ${title}: ${FUZZ_RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s, statuses ${JSON.stringify(statuses)}`,
  );
  if (failures.size)
    throw new Error(`${failures.size} distinct failure(s):\n\n${[...failures.values()].join("\n\n")}`);
  await expectHealthy(target, before);
}

/** One plan sent as a body to a route; `after` may follow up on what a 2xx created. */
function fuzz(
  target: App,
  arb: fc.Arbitrary<Plan>,
  toWire: (p: Plan) => Promise<Wire> | Wire,
  after?: (p: Plan, status: number, body: unknown) => Promise<void>,
) {
  return runFuzz(target, arb, async (p) => {
    const w = await toWire(p);
    const a = await send(target.url, w);
    const body = checkAnswer(w, a, target.logs);
    if (after) await after(p, a.status, body);
    return a.status;
  });
}

async function stateOf(target: App) {
  const res = await fetch(`${target.url}/api/v1/state`);
  expect(res.status, "state is served").toBe(200);
  return (await res.json()) as { polled_at: string | null };
}

/**
 * Health answers, the stored history is served, and (standalone) polls went on during the
 * run. A server polls nothing: its health is 503 until an agent delivered recently.
 */
async function expectHealthy(target: App, before: { polled_at: string | null }) {
  const health = await fetch(`${target.url}/api/v1/health`);
  const report = (await health.json()) as { status: string; role: string };
  if (report.role === "server") {
    expect([200, 503], JSON.stringify(report)).toContain(health.status);
    const hosts = await fetch(`${target.url}/api/v1/hosts`);
    expect(hosts.status).toBe(200);
  } else {
    expect(health.status, JSON.stringify(report)).toBe(200);
    await expect
      .poll(async () => (await stateOf(target)).polled_at, {
        message: "polls go on after the run",
        timeout: 15_000,
      })
      .not.toBe(before.polled_at);
  }
  for (const path of [
    "/api/v1/state",
    "/api/v1/series?from=now-1h",
    "/api/v1/overview",
    "/api/v1/phases",
    "/api/v1/acknowledgements",
    "/api/v1/reviews",
    "/api/v1/notifications",
    "/api/v1/audit",
  ]) {
    const res = await fetch(`${target.url}${path}`);
    expect(res.status, `${path} is served after the run`).toBe(200);
  }
}

const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(app.url, {
    method,
    path,
    headers: { cookie, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function createAck(): Promise<number> {
  const a = await json("POST", "/api/v1/acknowledgements", {
    project: "fuzz-*",
    reason: "fuzz suite target",
    expires_at: new Date(Date.now() + 86400_000).toISOString(),
  });
  expect(a.status, a.text).toBe(201);
  return (JSON.parse(a.text) as { id: number }).id;
}

async function createReview(): Promise<string> {
  const r = await json("POST", "/api/v1/reviews", { phase: 0 });
  expect(r.status, r.text).toBe(201);
  return (JSON.parse(r.text) as { id: string }).id;
}

async function createChannel(): Promise<number> {
  const name = `fuzz-${crypto.randomBytes(4).toString("hex")}`;
  const r = await json("POST", "/api/v1/notifications/channels", { name, kind: "json", url: `${hookUrl}/x` });
  expect(r.status, r.text).toBe(201);
  return channelId(JSON.parse(r.text), name);
}

function channelId(body: unknown, name: string): number {
  const ch = (body as { channels: { id: number | null; name: string }[] }).channels.find(
    (c) => c.name === name,
  );
  expect(ch?.id, `channel ${name} in the answer`).toEqual(expect.any(Number));
  return ch!.id!;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // A webhook receiver on loopback: channel URLs point only here.
  hook = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", () => r()));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  fleet = new Fleet(process.env.E2E_DOCKER_SOCKET!);
  await fleet.run({ project: "alpha", port: 48601, phase1: true });
  app = await startApp({
    DOCKER_HOST: `unix://${fleet.socketPath}`,
    L9_LABEL_SELECTOR: fleet.selector,
    L9_INGEST_TOKEN: `fuzz:${INGEST_TOKEN}`,
    L9_WEBHOOKS: `json:${hookUrl}/env`,
    L9_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
  });
  server = await startApp({ L9_ROLE: "server", L9_AGENT_TOKENS: `${AGENT_HOST}:${AGENT_TOKEN}` });
  const res = await send(app.url, {
    method: "POST",
    path: "/api/v1/session",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "fuzz" }),
  });
  expect(res.status, res.text).toBe(200);
  cookie = String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^l9_session=/);
});

test.afterAll(async () => {
  await app?.stop();
  await server?.stop();
  await fleet?.cleanup();
  await new Promise((r) => hook?.close(r));
});

test.beforeEach(() => test.setTimeout(20 * 60_000));

test("session: POST /api/v1/session (local sign-in)", async () => {
  const base = fc.constantFrom<Record<string, string>>({}, { origin: app.url }, { cookie });
  await fuzz(app, plans(bodiesFor(sessionShape), base), (p) =>
    wire("POST", "/api/v1/session", p.base, p.body, p.extra),
  );
});

test("session: DELETE /api/v1/session (sign out)", async () => {
  const base = fc.constantFrom<Record<string, string>>({}, { cookie }, { cookie, origin: app.url });
  await fuzz(app, plans(bodiesFor({}), base), (p) =>
    wire("DELETE", "/api/v1/session", p.base, p.body, p.extra),
  );
});

test("acknowledgements: POST /api/v1/acknowledgements", async () => {
  await fuzz(
    app,
    plans(bodiesFor(ackShape), personHeaders()),
    (p) => wire("POST", "/api/v1/acknowledgements", p.base, p.body, p.extra),
    // Each one a valid body created is ended at once: the set in force stays small.
    async (_p, status, body) => {
      if (status !== 201) return;
      const id = (body as { id: number }).id;
      const end = await json("DELETE", `/api/v1/acknowledgements/${id}`, {});
      expect(end.status, end.text).toBe(200);
    },
  );
});

test("acknowledgements: PATCH /api/v1/acknowledgements/{id}", async () => {
  const id = await createAck();
  await fuzz(app, plans(bodiesFor(ackPatchShape), personHeaders()), (p) =>
    wire("PATCH", `/api/v1/acknowledgements/${id}`, p.base, p.body, p.extra),
  );
});

test("acknowledgements: DELETE /api/v1/acknowledgements/{id}", async () => {
  const ended = await createAck();
  await json("DELETE", `/api/v1/acknowledgements/${ended}`, {});
  // Each fresh case's own acknowledgement (cases run side by side).
  const fresh = new WeakMap<Plan, number>();
  const targets = fc.constantFrom("fresh", "ended", "ended", "ended", "missing");
  await fuzz(
    app,
    plans(bodiesFor({}), personHeaders(), targets),
    async (p) => {
      if (p.target === "fresh") fresh.set(p, await createAck());
      const id = p.target === "missing" ? 987_654 : p.target === "fresh" ? fresh.get(p) : ended;
      return wire("DELETE", `/api/v1/acknowledgements/${id}`, p.base, p.body, p.extra);
    },
    async (p) => {
      // A fresh one the fuzzed request did not end is ended now: the set in force stays small.
      if (p.target !== "fresh") return;
      const end = await json("DELETE", `/api/v1/acknowledgements/${fresh.get(p)}`, {});
      expect(end.status, end.text).toBe(200);
    },
  );
});

test("notification channels: POST /api/v1/notifications/channels", async () => {
  await fuzz(
    app,
    plans(bodiesFor(channelShape()), personHeaders()),
    (p) => wire("POST", "/api/v1/notifications/channels", p.base, p.body, p.extra),
    // A channel a valid body added is removed at once (alerts would go to every channel).
    async (_p, status, body) => {
      if (status !== 201) return;
      const stored = (body as { channels: { id: number | null; source: string }[] }).channels.filter(
        (c) => c.source === "app",
      );
      for (const c of stored) {
        const del = await json("DELETE", `/api/v1/notifications/channels/${c.id}`, {});
        // 404: a case running beside this one removed it first.
        expect([200, 404], del.text).toContain(del.status);
      }
    },
  );
});

test("notification channels: DELETE /api/v1/notifications/channels/{id}", async () => {
  const targets = fc.constantFrom("fresh", "missing", "missing");
  // Each case's own channel (cases run side by side).
  const fresh = new WeakMap<Plan, number>();
  await fuzz(
    app,
    plans(bodiesFor({}), personHeaders(), targets),
    async (p) => {
      const id = p.target === "fresh" ? await createChannel() : 987_654;
      if (p.target === "fresh") fresh.set(p, id);
      return wire("DELETE", `/api/v1/notifications/channels/${id}`, p.base, p.body, p.extra);
    },
    // A fresh one the fuzzed request did not remove is removed now.
    async (p) => {
      if (p.target !== "fresh") return;
      const del = await json("DELETE", `/api/v1/notifications/channels/${fresh.get(p)}`, {});
      expect([200, 404], del.text).toContain(del.status);
    },
  );
});

test("notification channels: POST /api/v1/notifications/test (test send)", async () => {
  const shape: Shape = { channel: { valid: fc.constantFrom("env-1", "no-such-channel") } };
  await fuzz(app, plans(bodiesFor(shape), personHeaders()), (p) =>
    wire("POST", "/api/v1/notifications/test", p.base, p.body, p.extra),
  );
});

test("reviews: POST /api/v1/reviews (start)", async () => {
  await fuzz(app, plans(bodiesFor(reviewShape), personHeaders()), (p) =>
    wire("POST", "/api/v1/reviews", p.base, p.body, p.extra),
  );
});

test("reviews: PATCH /api/v1/reviews/{id} (update, decide)", async () => {
  let open = await createReview();
  await fuzz(
    app,
    plans(bodiesFor(reviewPatchShape), personHeaders()),
    (p) => wire("PATCH", `/api/v1/reviews/${open}`, p.base, p.body, p.extra),
    // A decided review is frozen: the next bodies go to a new one.
    async (_p, status, body) => {
      if (status === 200 && (body as { decision: string | null }).decision) open = await createReview();
    },
  );
});

test("reviews: POST /api/v1/reviews/{id}/sign-off", async () => {
  const id = await createReview();
  await fuzz(app, plans(bodiesFor(signOffShape), personHeaders()), (p) =>
    wire("POST", `/api/v1/reviews/${id}/sign-off`, p.base, p.body, p.extra),
  );
});

test("phases: POST /api/v1/phases/current", async () => {
  await fuzz(app, plans(bodiesFor(phaseShape), personHeaders()), (p) =>
    wire("POST", "/api/v1/phases/current", p.base, p.body, p.extra),
  );
});

test("ingest: POST /api/v1/ingest/active-indexers", async () => {
  await fuzz(app, plans(bodiesFor(snapshotShape), ingestHeaders()), (p) =>
    wire("POST", "/api/v1/ingest/active-indexers", p.base, p.body, p.extra),
  );
});

test("ingest: POST /api/v1/ingest/read-events", async () => {
  await fuzz(app, plans(bodiesFor(readEventsShape), ingestHeaders()), (p) =>
    wire("POST", "/api/v1/ingest/read-events", p.base, p.body, p.extra),
  );
});

test("agent deliveries: POST /api/v1/agent/polls (server)", async () => {
  const base = fc.constant<Record<string, string>>({ authorization: `Bearer ${AGENT_TOKEN}` });
  await fuzz(server, plans(bodiesFor(batchShape), base), (p) =>
    wire("POST", "/api/v1/agent/polls", p.base, p.body, p.extra),
  );
  const hosts = await fetch(`${server.url}/api/v1/hosts`);
  expect(hosts.status).toBe(200);
});

/** Ids in paths: numbers past every integer type, junk, encodings a URL parser may choke on. */
const pathId = fc.oneof(
  fc.constantFrom(
    "99999999999999999999",
    "1e400",
    "1e3",
    "-1",
    "-0",
    "0",
    "0x1F",
    "1.0",
    "1.5",
    "9007199254740993",
    "2147483648",
    "%E0%A4%A",
    "%",
    "%00",
    "%2e%2e",
    "..%2f..",
    "NaN",
    "Infinity",
    "%201",
    "%2F",
    "x".repeat(2000),
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.nat().map(String),
);

test("ids in paths: acknowledgements, channels, reviews", async () => {
  const routes = fc.constantFrom<[string, string, string?]>(
    ["PATCH", "/api/v1/acknowledgements/"],
    ["DELETE", "/api/v1/acknowledgements/"],
    ["DELETE", "/api/v1/notifications/channels/"],
    ["PATCH", "/api/v1/reviews/"],
    ["POST", "/api/v1/reviews/", "/sign-off"],
  );
  const arb = fc
    .record({
      route: routes,
      id: pathId,
      body: encode(fc.oneof(validOf(ackPatchShape), validOf(signOffShape), junkValue)),
      base: personHeaders(),
    })
    .map((p) => printable(p));
  await runFuzz(app, arb, async (p) => {
    const [method, prefix, suffix = ""] = p.route;
    const w = wire(method, `${prefix}${p.id}${suffix}`, p.base, p.body);
    const a = await send(app.url, w);
    checkAnswer(w, a, app.logs);
    return a.status;
  });
});

/**
 * Refusals: valid bodies sent without sign-in, cross-origin, with a machine token, a wrong
 * token, a junk or badly encoded cookie, a foreign or malformed Host. Each is a 4xx in the
 * envelope (401/403 where the refusal is about who or where), never a 5xx.
 */
test("refusals: unauthenticated, cross-origin, bad cookies and hosts on every write route", async () => {
  const reviewId = await createReview();
  const ackId = await createAck();
  type Route = {
    method: string;
    path: string;
    body: fc.Arbitrary<unknown>;
    who: "person" | "machine" | "agent" | "session";
  };
  const routes: Route[] = [
    { method: "POST", path: "/api/v1/session", body: validOf(sessionShape), who: "session" },
    { method: "DELETE", path: "/api/v1/session", body: fc.constant({}), who: "session" },
    { method: "POST", path: "/api/v1/acknowledgements", body: validOf(ackShape), who: "person" },
    {
      method: "PATCH",
      path: `/api/v1/acknowledgements/${ackId}`,
      body: validOf(ackPatchShape),
      who: "person",
    },
    { method: "DELETE", path: `/api/v1/acknowledgements/${ackId}`, body: fc.constant({}), who: "person" },
    { method: "POST", path: "/api/v1/notifications/channels", body: validOf(channelShape()), who: "person" },
    { method: "DELETE", path: "/api/v1/notifications/channels/1", body: fc.constant({}), who: "person" },
    {
      method: "POST",
      path: "/api/v1/notifications/test",
      body: fc.constant({ channel: "env-1" }),
      who: "person",
    },
    { method: "POST", path: "/api/v1/reviews", body: validOf(reviewShape), who: "person" },
    {
      method: "PATCH",
      path: `/api/v1/reviews/${reviewId}`,
      body: fc.constant({ notes: "x" }),
      who: "person",
    },
    { method: "POST", path: `/api/v1/reviews/${reviewId}/sign-off`, body: fc.constant({}), who: "person" },
    { method: "POST", path: "/api/v1/phases/current", body: validOf(phaseShape), who: "person" },
    { method: "POST", path: "/api/v1/ingest/active-indexers", body: validOf(snapshotShape), who: "machine" },
    { method: "POST", path: "/api/v1/ingest/read-events", body: validOf(readEventsShape), who: "machine" },
    { method: "POST", path: "/api/v1/agent/polls", body: validOf(batchShape), who: "agent" },
  ];
  // Each way of asking wrongly, with the statuses it may get (null: any, as long as no 5xx).
  type Way = {
    name: string;
    headers: (r: Route) => Record<string, string>;
    expect: (r: Route) => number[] | null;
  };
  const own = (r: Route): Record<string, string> =>
    r.who === "machine"
      ? { authorization: `Bearer ${INGEST_TOKEN}` }
      : r.who === "agent"
        ? { authorization: `Bearer ${AGENT_TOKEN}` }
        : { cookie };
  // 409: another name than the installation's one local identity (issue 28, local mode).
  const signIn = [200, 400, 409];
  const ways: Way[] = [
    {
      name: "not signed in, no token",
      headers: () => ({}),
      expect: (r) => (r.who === "session" ? signIn : [401]),
    },
    {
      name: "a wrong bearer token",
      headers: () => ({ authorization: "Bearer nope-nope-nope-nope" }),
      expect: (r) => (r.who === "person" ? [403] : r.who === "session" ? signIn : [401]),
    },
    {
      name: "cross-origin",
      headers: (r) => ({ ...own(r), origin: "http://evil.example" }),
      expect: () => [403],
    },
    { name: "origin null", headers: (r) => ({ ...own(r), origin: "null" }), expect: () => [403] },
    {
      name: "cross-site fetch",
      headers: (r) => ({ ...own(r), "sec-fetch-site": "cross-site" }),
      expect: () => [403],
    },
    {
      name: "same-site fetch",
      headers: (r) => ({ ...own(r), "sec-fetch-site": "same-site" }),
      expect: () => [403],
    },
    {
      name: "text/plain",
      headers: (r) => ({ ...own(r), "content-type": "text/plain" }),
      expect: () => [403],
    },
    {
      name: "foreign Host (DNS rebinding)",
      headers: (r) => ({ ...own(r), host: "evil.example" }),
      expect: () => [403],
    },
    {
      name: "a forged session cookie",
      headers: (r) => ({ ...own(r), cookie: "l9_session=Fe26.2**forged**" }),
      expect: (r) => (r.who === "person" ? [401] : r.who === "session" ? signIn : null),
    },
  ];
  // Free-form ways: any cookie (bad %-encoding included), any Host, in any combination.
  const cookieJunk = fc.oneof(
    fc.constantFrom(
      "l9_session=%E0%A4%A",
      "l9_session=%",
      "a=%ZZ; l9_session=%E0",
      "l9_session=" + "A".repeat(4000),
      "=;;=; ;",
      "l9_session",
    ),
    junkString
      .filter((s) => !/[\r\n\u0000-\u001f\u007f-\uffff]/.test(s))
      .map((s) => `l9_session=${s.slice(0, 4000)}`),
  );
  const hostJunk = fc.constantFrom(
    "127.0.0.1 evil",
    "a b",
    "127.0.0.1:",
    "[::1]",
    "localhost",
    "127.0.0.1:99999",
    "[::1",
    "%41",
    "127.1",
    "LOCALHOST.",
  );
  const arb = fc
    .record({
      route: fc.constantFrom(...routes.keys()),
      way: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ways.keys()) },
        { weight: 1, arbitrary: fc.constant(-1) },
        { weight: 1, arbitrary: fc.constant(-2) },
      ),
      cookie: cookieJunk,
      host: hostJunk,
      n: fc.nat(),
    })
    .chain((p) => routes[p.route]!.body.map((body) => printable({ ...p, body })));
  await runFuzz(app, arb, async (p) => {
    const r = routes[p.route]!;
    const target = r.who === "agent" ? server : app;
    const way = ways[p.way];
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (way) Object.assign(headers, way.headers(r));
    else if (p.way === -1) Object.assign(headers, own(r), { cookie: p.cookie });
    else Object.assign(headers, own(r), { host: p.host });
    const w: Wire = { method: r.method, path: r.path, headers, body: JSON.stringify(p.body) };
    const a = await send(target.url, w);
    checkAnswer(w, a, target.logs);
    const allowed = way?.expect(r);
    if (way && allowed) {
      if (!allowed.includes(a.status))
        throw new Error(
          `${way.name}: ${r.method} ${r.path} answered ${a.status}, expected ${allowed.join(" or ")}: ${a.text.slice(0, 300)}`,
        );
    }
    return a.status;
  });
});
