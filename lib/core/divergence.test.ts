import { describe, expect, test } from "vitest";
import { computeDivergence, DivergenceMemo, roundRate } from "./divergence";
import { projectHash, pyNormpath } from "./paths";
import { parsePort } from "./ports";
import type { Container, FindingKind, Source, SourceEntry } from "./types";

const ID = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const A1 = ID(0xa1);
const A2 = ID(0xa2);
const B1 = ID(0xb1);

function ctr(id: string, project: string | null, over: Partial<Container> = {}): Container {
  const port = over.port ?? 48101;
  const path = `/home/dev/${project}`;
  return {
    id,
    name: `indexer-${project}`,
    project,
    state: "running",
    createdMs: 1_700_000_000_000,
    labels: {
      "com.l9.managed": "true",
      ...(project ? { "com.l9.project": project } : {}),
      "com.l9.project_hash": projectHash(path),
      "com.l9.port": String(port),
      "com.l9.project_path": path,
    },
    port,
    boundPort: port,
    ...over,
  };
}

function src(
  id: string,
  entries: Record<string, Partial<SourceEntry>>,
  status: Source["status"] = "ok",
): Source {
  return {
    id,
    kind: id.startsWith("active_indexers:") ? "active_indexers" : "registry_file",
    status,
    entries: new Map(
      Object.entries(entries).map(([p, e]) => [
        p,
        { containerId: e.containerId ?? null, port: e.port ?? null },
      ]),
    ),
  };
}

const REG = "container_registry";
const INST = "active_indexers:mcp-1";

function kindsOf(containers: Container[], sources: Source[], project = "alpha") {
  const r = computeDivergence({ docker: { reachable: true, containers }, sources });
  const p = r.projects.find((x) => x.project === project);
  return { r, p, kinds: (p?.findings ?? []).map((f) => f.kind).sort() as FindingKind[] };
}

describe("check findings", () => {
  test.each<[string, Container[], Source[], FindingKind[], string]>([
    [
      "all agree",
      [ctr(A1, "alpha")],
      [
        src(REG, { alpha: { port: 48101 } }),
        src(INST, { alpha: { containerId: A1.slice(0, 12), port: 48101 } }),
      ],
      [],
      "consistent",
    ],
    [
      "source has it, Docker has nothing",
      [],
      [src(REG, { alpha: { port: 48101 } })],
      ["missing_in_docker"],
      "diverged",
    ],
    [
      "Docker's container is stopped",
      [ctr(A1, "alpha", { state: "exited" })],
      [src(REG, { alpha: { port: 48101 } })],
      ["not_running"],
      "diverged",
    ],
    [
      "created but never started",
      [ctr(A1, "alpha", { state: "created" })],
      [src(INST, { alpha: { containerId: A1 } })],
      ["not_running"],
      "diverged",
    ],
    [
      "orphan: running, source lacks it",
      [ctr(A1, "alpha")],
      [src(REG, {})],
      ["missing_in_source"],
      "diverged",
    ],
    [
      "id is not a prefix of the running id",
      [ctr(A1, "alpha")],
      [src(INST, { alpha: { containerId: B1.slice(0, 12) } })],
      ["container_id_mismatch"],
      "diverged",
    ],
    [
      "full 64-hex id matches",
      [ctr(A1, "alpha")],
      [src(INST, { alpha: { containerId: A1 } })],
      [],
      "consistent",
    ],
    [
      "upper-case hex prefix still matches",
      [ctr(A1, "alpha")],
      [src(INST, { alpha: { containerId: A1.slice(0, 16).toUpperCase() } })],
      [],
      "consistent",
    ],
    [
      "port differs",
      [ctr(A1, "alpha", { port: 48102, boundPort: 48102 })],
      [src(REG, { alpha: { port: 48101 } })],
      ["port_mismatch"],
      "diverged",
    ],
    [
      "source has no port: ports not compared",
      [ctr(A1, "alpha")],
      [src(INST, { alpha: { containerId: A1 } })],
      [],
      "consistent",
    ],
    [
      "container has no port: ports not compared",
      [
        ctr(A1, "alpha", {
          port: null,
          boundPort: null,
          labels: {
            "com.l9.project": "alpha",
            "com.l9.project_hash": projectHash("/a"),
            "com.l9.port": "x",
            "com.l9.project_path": "/a",
          },
        }),
      ],
      [src(REG, { alpha: { port: 48101 } })],
      [],
      "consistent",
    ],
    [
      "stopped container: ids and ports not compared",
      [ctr(A1, "alpha", { state: "exited", port: 1 })],
      [src(INST, { alpha: { containerId: B1, port: 2 } })],
      ["not_running"],
      "diverged",
    ],
  ])("%s", (_name, containers, sources, kinds, health) => {
    const { p, kinds: got } = kindsOf(containers, sources);
    expect(got).toEqual(kinds);
    expect(p?.health).toBe(health);
  });

  test("a project only in Docker is checked against every ok source", () => {
    const { r } = kindsOf([ctr(A1, "alpha")], [src(REG, {}), src(INST, {})]);
    expect(r.checks).toBe(2);
    expect(r.diverged).toBe(2);
  });

  test("a project with only stopped containers and no source entry has no checks", () => {
    const { r, p } = kindsOf([ctr(A1, "alpha", { state: "exited" })], [src(REG, {})]);
    expect(r.checks).toBe(0);
    expect(p?.health).toBe("consistent");
  });

  test.each(["missing", "unreadable", "stale"] as const)("a %s source produces no checks", (status) => {
    const { r } = kindsOf([ctr(A1, "alpha")], [src(REG, { alpha: { port: 1 } }, status)]);
    expect(r.checks).toBe(0);
  });

  test("project names are case-sensitive", () => {
    const { r } = kindsOf([ctr(A1, "alpha")], [src(REG, { Alpha: { port: 48101 } })]);
    expect(r.projects.map((p) => p.project)).toEqual(["Alpha", "alpha"]);
    expect(r.projects.find((p) => p.project === "Alpha")?.findings.map((f) => f.kind)).toEqual([
      "missing_in_docker",
      "port_conflict",
    ]);
  });
});

describe("several running containers", () => {
  const older = ctr(A1, "alpha", { createdMs: 1000, port: 48101, boundPort: 48101 });
  const newer = ctr(A2, "alpha", { createdMs: 2000, port: 48102, boundPort: 48102 });

  test("duplicate_containers is a project finding and makes it diverged", () => {
    const { p, r } = kindsOf([older, newer], [src(INST, { alpha: { containerId: A2, port: 48102 } })]);
    expect(p?.findings.map((f) => f.kind)).toEqual(["duplicate_containers"]);
    expect(p?.health).toBe("diverged");
    expect(r.diverged).toBe(0);
  });

  test("port compared with the container the source's id names", () => {
    const { kinds } = kindsOf(
      [older, newer],
      [src(INST, { alpha: { containerId: A1.slice(0, 12), port: 48101 } })],
    );
    expect(kinds).toEqual(["duplicate_containers"]);
  });

  test("else with the newest", () => {
    const { kinds } = kindsOf([older, newer], [src(REG, { alpha: { port: 48101 } })]);
    expect(kinds).toEqual(["duplicate_containers", "port_mismatch"]);
    const { kinds: k2 } = kindsOf([older, newer], [src(REG, { alpha: { port: 48102 } })]);
    expect(k2).toEqual(["duplicate_containers"]);
  });

  test("an id matching only a stopped container is a mismatch", () => {
    const stopped = ctr(B1, "alpha", { state: "exited" });
    const { kinds } = kindsOf([older, stopped], [src(INST, { alpha: { containerId: B1 } })]);
    expect(kinds).toEqual(["container_id_mismatch"]);
  });
});

describe("port conflicts", () => {
  test("a registry entry left behind claims a port another project's container now has", () => {
    const { r } = kindsOf(
      [ctr(A1, "alpha", { port: 48101 })],
      [src(REG, { alpha: { port: 48101 }, beta: { port: 48101 } })],
    );
    const alpha = r.projects.find((p) => p.project === "alpha");
    const beta = r.projects.find((p) => p.project === "beta");
    expect(alpha?.findings.map((f) => f.kind)).toEqual(["port_conflict"]);
    expect(alpha?.findings[0]?.actual).toBe(48101);
    expect(beta?.findings.map((f) => f.kind).sort()).toEqual(["missing_in_docker", "port_conflict"]);
    expect(alpha?.health).toBe("diverged");
  });

  test("claims across two sources", () => {
    const { r } = kindsOf([], [src(REG, { alpha: { port: 48101 } }), src(INST, { beta: { port: 48101 } })]);
    expect(r.projects.every((p) => p.findings.some((f) => f.kind === "port_conflict"))).toBe(true);
  });

  test("stopped containers and non-ok sources claim nothing", () => {
    const { r } = kindsOf(
      [ctr(A1, "alpha"), ctr(B1, "beta", { state: "exited" })],
      [src(REG, { alpha: { port: 48101 } }), src(INST, { gamma: { port: 48101 } }, "stale")],
    );
    expect(r.projects.flatMap((p) => p.findings).filter((f) => f.kind === "port_conflict")).toEqual([]);
  });

  test("the same project claiming a port twice is no conflict", () => {
    const { kinds } = kindsOf(
      [ctr(A1, "alpha")],
      [src(REG, { alpha: { port: 48101 } }), src(INST, { alpha: { containerId: A1, port: 48101 } })],
    );
    expect(kinds).toEqual([]);
  });
});

describe("label findings", () => {
  const path = "/home/dev/alpha";
  const good = {
    "com.l9.managed": "true",
    "com.l9.project": "alpha",
    "com.l9.project_hash": projectHash(path),
    "com.l9.port": "48101",
    "com.l9.project_path": path,
  };
  test.each<[string, Record<string, string>, number | null, FindingKind[]]>([
    ["valid Phase 1 labels", good, 48101, []],
    [
      "Phase 0 labels only",
      { "com.l9.managed": "true", "com.l9.project": "alpha", "com.l9.created": "1" },
      48101,
      ["labels_missing"],
    ],
    ["one label missing", { ...good, "com.l9.port": "" }, 48101, ["labels_missing"]],
    [
      "hash of another path",
      { ...good, "com.l9.project_hash": projectHash("/home/dev/beta") },
      48101,
      ["label_hash_invalid"],
    ],
    [
      "hash upper-case",
      { ...good, "com.l9.project_hash": projectHash(path).toUpperCase() },
      48101,
      ["label_hash_invalid"],
    ],
    [
      "hash of the un-normalised path is valid for a normalised one",
      { ...good, "com.l9.project_path": "/home/dev/./x/../alpha/" },
      48101,
      [],
    ],
    [
      "port label differs from the bound port",
      { ...good, "com.l9.port": "48102" },
      48101,
      ["label_port_mismatch"],
    ],
    ["port label not a number", { ...good, "com.l9.port": "http" }, 48101, ["label_port_mismatch"]],
    ["no bound port: port label not compared", { ...good, "com.l9.port": "48102" }, null, []],
  ])("%s", (_name, labels, boundPort, kinds) => {
    const c = ctr(A1, "alpha", { labels, boundPort, port: parsePort(labels["com.l9.port"]) ?? boundPort });
    const { p } = kindsOf([c], [src(INST, { alpha: { containerId: A1 } })]);
    expect(p?.findings.map((f) => f.kind)).toEqual(kinds);
    expect(p?.health).toBe(kinds.length ? "warning" : "consistent");
  });

  test("stopped containers are not label-checked", () => {
    const c = ctr(A1, "alpha", { state: "exited", labels: { "com.l9.project": "alpha" } });
    const { p } = kindsOf([c], []);
    expect(p?.findings).toEqual([]);
  });
});

describe("summary and Docker down", () => {
  test("rate, counts and projects", () => {
    const { r } = kindsOf(
      [ctr(A1, "alpha"), ctr(B1, "beta", { port: 48102, boundPort: 48102 })],
      [src(REG, { alpha: { port: 48101 }, beta: { port: 48102 }, gamma: { port: 48103 } })],
    );
    expect(r.checks).toBe(3);
    expect(r.diverged).toBe(1);
    expect(r.divergenceRate).toBe(0.3333);
    expect(r.kindCounts).toEqual({ missing_in_docker: 1 });
  });

  test("Docker unreachable: no checks, every project unknown", () => {
    const r = computeDivergence({
      docker: { reachable: false, lastKnown: [ctr(A1, "alpha")] },
      sources: [src(REG, { beta: { port: 1 } })],
    });
    expect(r.checks).toBe(0);
    expect(r.projects.map((p) => [p.project, p.health])).toEqual([
      ["alpha", "unknown"],
      ["beta", "unknown"],
    ]);
  });

  test("containers without a project label are set aside", () => {
    const r = computeDivergence({ docker: { reachable: true, containers: [ctr(A1, null)] }, sources: [] });
    expect(r.projects).toEqual([]);
    expect(r.unassigned).toHaveLength(1);
  });

  test.each([
    [0, 0, 0],
    [1, 3, 0.3333],
    [3, 14, 0.2143],
    [1, 20, 0.05],
  ])("roundRate(%d, %d) = %d", (d, c, want) => {
    expect(roundRate(d, c)).toBe(want);
  });
});

describe("paths and ports", () => {
  test.each([
    ["/home/dev/alpha", "/home/dev/alpha"],
    ["/home/dev/alpha/", "/home/dev/alpha"],
    ["/home//dev/./alpha", "/home/dev/alpha"],
    ["/home/dev/x/../alpha", "/home/dev/alpha"],
    ["//srv/alpha", "//srv/alpha"],
    ["///srv/alpha", "/srv/alpha"],
    ["/../alpha", "/alpha"],
    ["a/../../b", "../b"],
    ["", "."],
  ])("normpath(%s) = %s", (input, want) => {
    expect(pyNormpath(input)).toBe(want);
  });

  test("sha256 of the normalised path, as Python computes it", () => {
    // python3 -c "import hashlib,os;print(hashlib.sha256(os.path.abspath(os.path.normpath('/home/dev/alpha')).encode()).hexdigest())"
    const want = "48f15bc771d17a3429c2df343198def558e0ce7ae3bb5050a6be8c4f0be59caf";
    expect(projectHash("/home/dev/alpha")).toBe(want);
    expect(projectHash("/home/dev/alpha/")).toBe(want);
  });

  test.each<[unknown, number | null]>([
    [48101, 48101],
    ["48101", 48101],
    [" 8080 ", 8080],
    [0, null],
    [70000, null],
    ["80a", null],
    [1.5, null],
    [null, null],
    [true, null],
  ])("parsePort(%o) = %o", (v, want) => {
    expect(parsePort(v)).toBe(want);
  });
});

describe("CONTRACT 6: the real orchestrator's shape", () => {
  const bare = (id: string, project: string, createdMs: number): Container => ({
    ...ctr(id, project),
    createdMs,
    labels: { "com.l9.managed": "true", "com.l9.project": project, "com.l9.created": "1" },
  });
  const P1 = 1_800_000_000_000;

  test.each([
    ["Phase 1 not started (null): informational, health consistent", null, P1 + 1, true, "consistent"],
    ["container older than Phase 1's start: informational", P1, P1 - 1, true, "consistent"],
    ["container created at Phase 1's start: a warning", P1, P1, false, "warning"],
    ["container created after Phase 1's start: a warning", P1, P1 + 60_000, false, "warning"],
    ["no Phase 1 information (section 2 alone): a warning", undefined, P1, false, "warning"],
  ] as const)("6e %s", (_name, since, createdMs, informational, health) => {
    const r = computeDivergence({
      docker: { reachable: true, containers: [bare(A1, "alpha", createdMs)] },
      sources: [],
      labelsRequiredSinceMs: since,
    });
    const f = r.projects[0]!.findings.find((x) => x.kind === "labels_missing")!;
    expect(f.informational === true).toBe(informational);
    expect(r.projects[0]!.health).toBe(health);
  });

  test("labels_missing: expected lists the Phase 1 labels, actual the ones present (null for none)", () => {
    const none = computeDivergence({
      docker: { reachable: true, containers: [bare(A1, "alpha", P1)] },
      sources: [],
    });
    expect(none.projects[0]!.findings[0]).toMatchObject({
      expected: "com.l9.project_hash, com.l9.port, com.l9.project_path",
      actual: null,
    });
    const one = ctr(A1, "alpha", {});
    delete one.labels["com.l9.project_hash"];
    const r = computeDivergence({ docker: { reachable: true, containers: [one] }, sources: [] });
    expect(r.projects[0]!.findings[0]).toMatchObject({ actual: "com.l9.port, com.l9.project_path" });
  });

  test("6a: two dicts of one process holding a project differently is a divergence of that check", () => {
    const copies = [
      { holder: "orchestrator 1", containerId: A1.slice(0, 12), port: 48101 },
      { holder: "orchestrator 2", containerId: A2.slice(0, 12), port: 48102 },
    ];
    const inst: Source = {
      id: INST,
      kind: "active_indexers",
      status: "ok",
      entries: new Map([["alpha", { containerId: A1.slice(0, 12), port: 48101, copies }]]),
    };
    const { p, r } = kindsOf([ctr(A1, "alpha")], [inst]);
    expect(p?.checks[0]?.findings.map((f) => f.kind)).toEqual(["legacy_copies_disagree"]);
    expect(p?.checks[0]?.findings[0]?.message).toMatch(
      /orchestrator 1 has container a1a1.*orchestrator 2 has/,
    );
    expect(r.diverged).toBe(1);
  });

  test("6a: copies that agree are one consistent check", () => {
    const same = { containerId: A1.slice(0, 12), port: 48101 };
    const inst: Source = {
      id: INST,
      kind: "active_indexers",
      status: "ok",
      entries: new Map([
        [
          "alpha",
          {
            ...same,
            copies: [
              { holder: "o1", ...same },
              { holder: "o2", ...same },
            ],
          },
        ],
      ]),
    };
    const { p } = kindsOf([ctr(A1, "alpha")], [inst]);
    expect(p?.checks[0]?.status).toBe("consistent");
  });

  test.each([
    [
      "a project known under projects",
      new Set(["alpha"]),
      /knows alpha under "projects" but keeps no container_ports entry/,
    ],
    ["an unknown project", new Set<string>(), /has no entry for it \(orphan\)/],
  ])("registry message for %s", (_name, known, message) => {
    const reg: Source = { ...src(REG, {}), known };
    const { p } = kindsOf([ctr(A1, "alpha")], [reg]);
    expect(p?.findings[0]).toMatchObject({ kind: "missing_in_source" });
    expect(p?.findings[0]?.message).toMatch(message);
  });
});

describe("reuse across polls (DivergenceMemo)", () => {
  // A small deterministic generator, so a failure can be replayed.
  function rng(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }

  test("a memo never changes the answer: 200 polls of random changes, compared with a fresh computation", () => {
    // Inputs follow the memo's rule: a changed container or source map is a new object.
    const rand = rng(7);
    const projects = Array.from({ length: 30 }, (_, i) => `p${i}`);
    let containers = projects.map((p, i) => ctr(ID(i + 1), p, { port: 48100 + i }));
    let regEntries = new Map<string, SourceEntry>(
      projects.map((p, i) => [p, { containerId: null, port: 48100 + i }]),
    );
    let instEntries = new Map<string, SourceEntry>(
      projects.map((p, i) => [p, { containerId: ID(i + 1).slice(0, 12), port: 48100 + i }]),
    );
    let known = new Set<string>();
    let since: number | null | undefined = undefined;
    const memo = new DivergenceMemo();
    let hits = 0;
    for (let poll = 0; poll < 200; poll++) {
      // Change a few things, each kind of input at some polls.
      const r = rand();
      const i = Math.floor(rand() * projects.length);
      const p = projects[i]!;
      if (r < 0.15)
        containers = containers.map((c) =>
          c.project === p ? { ...c, state: c.state === "running" ? "exited" : "running" } : c,
        );
      else if (r < 0.25)
        containers = [
          ...containers,
          ctr(ID(100 + poll), p, { port: 48100 + i, createdMs: 1_800_000_000_000 + poll }),
        ];
      else if (r < 0.3) containers = containers.filter((c) => c.project !== p);
      else if (r < 0.4)
        regEntries = new Map(regEntries).set(p, { containerId: null, port: 48100 + Math.floor(rand() * 5) }); // may collide: a port conflict
      else if (r < 0.45) {
        regEntries = new Map(regEntries);
        regEntries.delete(p);
      } else if (r < 0.55)
        instEntries = new Map(instEntries).set(p, { containerId: ID(200 + poll).slice(0, 12), port: null });
      else if (r < 0.6) known = new Set([...known, p]);
      else if (r < 0.63) since = since === undefined ? null : since === null ? 1_750_000_000_000 : undefined;
      const sources: Source[] = [
        { id: REG, kind: "registry_file", status: "ok", entries: regEntries, known },
        { id: INST, kind: "active_indexers", status: rand() < 0.05 ? "stale" : "ok", entries: instEntries },
      ];
      const input = {
        docker: { reachable: true as const, containers },
        sources,
        labelsRequiredSinceMs: since,
      };
      const withMemo = computeDivergence(input, memo);
      hits += memo.hits;
      expect(withMemo).toEqual(computeDivergence(input));
    }
    // Most polls change one project: the memo must have been used, or this test proves nothing.
    expect(hits).toBeGreaterThan(200 * 10);
  });

  test("an unchanged poll is all hits; a changed container, entry or Phase 1 start is recomputed", () => {
    const containers = [ctr(A1, "alpha"), ctr(B1, "beta", { port: 48102 })];
    const reg = new Map<string, SourceEntry>([
      ["alpha", { containerId: null, port: 48101 }],
      ["beta", { containerId: null, port: 48102 }],
    ]);
    let sources: Source[] = [{ id: REG, kind: "registry_file", status: "ok", entries: reg }];
    const memo = new DivergenceMemo();
    const first = computeDivergence({ docker: { reachable: true, containers }, sources }, memo);
    expect(memo.hits).toBe(0);
    const again = computeDivergence({ docker: { reachable: true, containers }, sources }, memo);
    expect(memo.hits).toBe(2);
    expect(again.projects[0]).toBe(first.projects[0]);
    // A source that is not ok comes with a fresh empty map each poll: still nothing changed.
    const stale = (): Source => ({ id: INST, kind: "active_indexers", status: "stale", entries: new Map() });
    const withStale = computeDivergence(
      { docker: { reachable: true, containers }, sources: [...sources, stale()] },
      memo,
    );
    expect(
      computeDivergence({ docker: { reachable: true, containers }, sources: [...sources, stale()] }, memo),
    ).toBe(withStale);

    const killed = [{ ...containers[0]!, state: "exited" }, containers[1]!];
    const r = computeDivergence({ docker: { reachable: true, containers: killed }, sources }, memo);
    expect(memo.hits).toBe(1);
    expect(r.projects.find((p) => p.project === "alpha")?.health).toBe("diverged");

    // Sources are immutable: a change is a new map (the registry adapter re-reads into one).
    const reg2 = new Map(reg).set("beta", { containerId: null, port: 48109 });
    sources = [{ id: REG, kind: "registry_file", status: "ok", entries: reg2 }];
    computeDivergence({ docker: { reachable: true, containers: killed }, sources }, memo);
    expect(memo.hits).toBe(1);

    computeDivergence(
      { docker: { reachable: true, containers: killed }, sources, labelsRequiredSinceMs: null },
      memo,
    );
    expect(memo.hits).toBe(0);
  });
});
