// Named, seeded scenarios. setup() brings the fleet to the state the scenario is about
// (integration tests assert the findings it causes); tick() keeps it drifting for the demo.
import { pick } from "./rng";
import type { SimFleet } from "./fleet";
import type { SimOrchestrator } from "./orchestrator";

export type Scenario = {
  name: string;
  description: string;
  phase: number;
  instances: number;
  projects: number;
  /** per process, before least-recently-used eviction (default 20) */
  maxIndexers?: number;
  /** the fleet behaves like the real neural-tools orchestrator (FleetOptions.upstream) */
  upstream?: boolean;
  /** the fleet behaves like the ADR-0098 branch (FleetOptions.branch) */
  branch?: boolean;
  setup: (fleet: SimFleet, rng: () => number) => Promise<void>;
  tick: (fleet: SimFleet, rng: () => number, n: number) => Promise<void>;
};

const names = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `proj-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ""}`,
  );

async function ensureAll(fleet: SimFleet, projects: string[]) {
  for (const o of fleet.instances) for (const p of projects) await o.ensureIndexer(p);
}

async function readSome(fleet: SimFleet, rng: () => number, projects: string[], n: number) {
  for (const o of fleet.instances) for (let i = 0; i < n; i++) o.read(pick(rng, projects));
  await Promise.all(fleet.instances.map((o) => o.flushReads()));
}

/** Each orchestrator of an upstream-like process serves its own projects (one per service). */
const ownProjects = (fleet: SimFleet, ps: string[], i: number) =>
  ps.filter((_, j) => j % fleet.instances.length === i);

export const SCENARIOS: Scenario[] = [
  {
    name: "upstream-like",
    description:
      'The real server\'s shape: three orchestrators in one process, dynamic ports ("" in the dict), timestamped auto-removed containers, a registry without container_ports, clean exits.',
    phase: 0,
    instances: 3,
    projects: 6,
    upstream: true,
    async setup(fleet) {
      const ps = names(this.projects);
      for (const [i, o] of fleet.instances.entries())
        for (const p of ownProjects(fleet, ps, i)) await o.ensureIndexer(p);
      await fleet.heartbeat();
      // The MCP server exits cleanly and starts again: its new dicts re-adopt the containers.
      await fleet.restartCleanly();
      for (const [i, o] of fleet.instances.entries())
        for (const p of ownProjects(fleet, ps, i)) await o.ensureIndexer(p);
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      const i = Math.floor(rng() * fleet.instances.length);
      const o = fleet.instances[i]!;
      const own = ownProjects(fleet, ps, i);
      if (rng() < 0.1) await o.idleCleanup(pick(rng, own));
      else await o.ensureIndexer(pick(rng, own));
      if (n % 40 === 39) {
        await fleet.restartCleanly();
        for (const [j, x] of fleet.instances.entries())
          for (const p of ownProjects(fleet, ps, j)) await x.ensureIndexer(p);
      }
      await fleet.heartbeat();
    },
  },
  {
    name: "phase0-baseline",
    description:
      "Phase 0 today: two orchestrator processes, a registry with one entry left behind by idle clean-up: a few per cent divergence.",
    phase: 0,
    instances: 2,
    projects: 24,
    maxIndexers: 40,
    async setup(fleet) {
      const ps = names(this.projects);
      await ensureAll(fleet, ps);
      // Idle clean-up by one process: the container goes, the registry entry and the other process's entry stay.
      await fleet.instances[0]!.idleCleanup(ps[0]!);
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      const o = pick(rng, fleet.instances);
      if (rng() < 0.08) await o.idleCleanup(pick(rng, ps));
      else await o.ensureIndexer(pick(rng, ps));
      if (n % 10 === 0) await fleet.instances[0]!.collectGarbage();
      await readSome(fleet, rng, ps, 3);
      await fleet.heartbeat();
    },
  },
  {
    name: "crash-and-recover",
    description:
      "An orchestrator process crashes: its dict is lost while its containers keep running; it comes back under a new instance_id and re-adopts them.",
    phase: 0,
    instances: 2,
    projects: 8,
    async setup(fleet) {
      await ensureAll(fleet, names(this.projects));
      await fleet.crash(0);
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      // The new process touches its projects again, one per tick, until it has them all.
      const o = fleet.instances[0]!;
      const missing = ps.filter((p) => !o.active.has(p));
      if (missing.length > 0) await o.ensureIndexer(missing[0]!);
      else if (n % 60 === 59) await fleet.crash(0);
      await readSome(fleet, rng, ps, 2);
      await fleet.heartbeat();
    },
  },
  {
    name: "port-reuse",
    description:
      "Idle clean-up frees a port the registry still maps to the old project; the next project gets it: a port conflict.",
    phase: 0,
    instances: 1,
    projects: 4,
    async setup(fleet) {
      const o = fleet.instances[0]!;
      const [a, b, c] = names(3) as [string, string, string];
      await o.ensureIndexer(a);
      await o.ensureIndexer(b);
      await o.idleCleanup(a);
      await o.ensureIndexer(c);
      await fleet.heartbeat();
    },
    async tick(fleet, rng) {
      const ps = names(this.projects);
      const o = fleet.instances[0]!;
      if (rng() < 0.1) await o.idleCleanup(pick(rng, ps));
      else await o.ensureIndexer(pick(rng, ps));
      await fleet.heartbeat();
    },
  },
  {
    name: "phase1-rollout",
    description:
      "Phase 1 rolls out: containers started before it lack the new labels; every new one carries them.",
    phase: 0,
    instances: 1,
    projects: 6,
    async setup(fleet) {
      const ps = names(this.projects);
      await ensureAll(fleet, ps);
      fleet.setPhase(1);
      const o = fleet.instances[0]!;
      for (const p of ps.slice(0, 3)) {
        await o.idleCleanup(p);
        await o.ensureIndexer(p);
      }
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      const o = fleet.instances[0]!;
      if (n % 5 === 4) {
        const p = pick(rng, ps);
        await o.idleCleanup(p);
        await o.ensureIndexer(p);
      }
      await fleet.heartbeat();
    },
  },
  {
    name: "phase2-outages",
    description: "Phase 2 reads Docker first; during Docker outage windows reads fall back to the dict.",
    phase: 2,
    instances: 2,
    projects: 8,
    async setup(fleet, rng) {
      const ps = names(this.projects);
      await ensureAll(fleet, ps);
      await readSome(fleet, rng, ps, 40);
      for (const o of fleet.instances) o.dockerDown = true;
      await readSome(fleet, rng, ps, 3);
      for (const o of fleet.instances) o.dockerDown = false;
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      const down = n % 30 >= 27;
      for (const o of fleet.instances) o.dockerDown = down;
      await readSome(fleet, rng, ps, 5);
      await fleet.heartbeat();
    },
  },
  {
    name: "phase3-clean",
    description:
      "Phase 3: Docker is the source of truth; processes rebuild their dict from Docker, also after a crash: zero divergence.",
    phase: 3,
    instances: 2,
    projects: 8,
    async setup(fleet) {
      const ps = names(this.projects);
      for (const p of ps) await fleet.instances[0]!.ensureIndexer(p);
      for (const o of fleet.instances) await o.rebuildFromDocker();
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      const ps = names(this.projects);
      for (const o of fleet.instances) await o.rebuildFromDocker();
      if (n % 45 === 44) await fleet.crash(Math.floor(rng() * fleet.instances.length));
      await readSome(fleet, rng, ps, 3);
      await fleet.heartbeat();
    },
  },
  {
    name: "adr-branch",
    description:
      "The ADR-0098 branch: three processes each holding its own project, stopped indexers kept 24 h (one left by a process that was killed), ports allocated from 48100 in each process's memory, 12-hex hashes, a test container, a Phase 3 rebuild of a dict.",
    phase: 1,
    instances: 3,
    projects: 6,
    branch: true,
    async setup(fleet) {
      const [a, b, c, d, e, f] = names(this.projects) as [string, string, string, string, string, string];
      const [p0, p1, p2] = fleet.instances as [SimOrchestrator, SimOrchestrator, SimOrchestrator];
      // Each process ensures its own project (and one more it then stops: the grace period).
      await p0.ensureIndexer(a);
      await p0.ensureIndexer(d);
      await p0.stopIndexer(d);
      await p1.ensureIndexer(b);
      await p1.ensureIndexer(e);
      await p1.stopIndexer(e);
      await p2.ensureIndexer(c);
      await p2.ensureIndexer(f);
      await p2.stopIndexer(f);
      await fleet.testRun("test-widget");
      await fleet.heartbeat();
      // 48100 and 48101 are now allocated by every process; 48101's containers are all stopped.
      // p1 is killed: its running b and its stopped e stay, held and listed by nobody live.
      fleet.kill(1);
      // Phase 3: p2 replaces its dict with one rebuilt from Docker.
      await p2.rebuildFromDocker();
      await fleet.heartbeat();
    },
    async tick(fleet, rng, n) {
      for (const o of fleet.instances) {
        const own = [...o.own].filter((p) => !o.stopped.has(p));
        if (own.length === 0) continue;
        await o.ensureIndexer(pick(rng, own));
        for (let i = 0; i < 2; i++) o.read(pick(rng, own));
        if (n % 30 === 29) await o.rebuildFromDocker();
      }
      await Promise.all(fleet.instances.map((o) => o.flushReads()));
      await fleet.heartbeat();
    },
  },
];

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario "${name}"; one of: ${SCENARIOS.map((x) => x.name).join(", ")}`);
  return s;
}
