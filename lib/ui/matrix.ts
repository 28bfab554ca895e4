// The health matrix as data: rows, columns, filters and sorting, derived from the state body.
// Pure: components only render what this returns.
import type { ApiFinding, ApiProject, ApiState } from "../contracts/state";
import type { FindingKind, Health } from "../core/types";
import { LABEL_KINDS } from "../core/types";
import type { CellStatus } from "../core/cells";

export type MatrixFilters = {
  health: Health | "";
  kind: FindingKind | "";
  source: string;
  labels: boolean;
  q: string;
};
export type SortKey = "project" | "health" | "since" | "findings";
export type MatrixSort = { key: SortKey; dir: "asc" | "desc" };

export type Cell = {
  source: string;
  /** what this place holds: container id prefix, port, state */
  value: string;
  status: CellStatus;
  kinds: FindingKind[];
  /** every finding of this cell is an acknowledged (known) difference: shown muted */
  acknowledged?: boolean;
  /** issue 25: the check is in flight (Docker changed after the source's snapshot): not counted */
  inFlight?: boolean;
};

export type MatrixRow = {
  /** unique per row: the project, or on a server "<host>/<project>" */
  key: string;
  project: string;
  /** on a server: the machine it runs on */
  host: string | null;
  health: Health;
  cells: Cell[];
  kinds: FindingKind[];
  /** the oldest open finding's start, for "diverged for 3 h 12 m" */
  since: string | null;
  findings: ApiFinding[];
  /** issue 25: some check of the project is in flight (shown beside the health, not counted) */
  inFlight?: boolean;
};

const HEALTH_ORDER: Record<Health, number> = { diverged: 0, unknown: 1, warning: 2, consistent: 3 };
const LABEL_SET = new Set<string>(LABEL_KINDS);

/** A server's state (issue 14): the state says its role and its hosts. */
const isServer = (state: ApiState) => state.role === "server";

/** The hosts a server holds (before any `?host=` filter), sorted; null on one machine. */
export const stateHosts = (state: ApiState): string[] | null =>
  isServer(state) ? (state.hosts ?? []) : null;

type FleetLayout = {
  columns: string[];
  /** per host: column -> that host's own source id (as its projects' checks name it) */
  local: Map<string, Map<string, { id: string; stale: boolean }>>;
};

/**
 * On a server the columns are places, not one machine's sources: Docker, "registry", then
 * "orchestrator 1", "orchestrator 2"… (each host's instances by start time); a cell shows what
 * its own host's source holds there.
 */
function fleetLayout(state: ApiState): FleetLayout {
  const local = new Map<string, Map<string, { id: string; stale: boolean }>>();
  let registry = false;
  let most = 0;
  for (const host of new Set(state.sources.map((s) => s.host ?? ""))) {
    const own = state.sources.filter((s) => (s.host ?? "") === host);
    const m = new Map<string, { id: string; stale: boolean }>();
    const reg = own.find((s) => s.kind === "registry_file" && s.status === "ok");
    if (reg) {
      registry = true;
      m.set("registry", { id: reg.id, stale: false });
    }
    own
      .filter((s) => s.kind === "active_indexers" && (s.status === "ok" || s.status === "stale"))
      .sort((a, b) => (a.started_at ?? "").localeCompare(b.started_at ?? "") || a.id.localeCompare(b.id))
      .forEach((s, i) => m.set(`orchestrator ${i + 1}`, { id: s.id, stale: s.status === "stale" }));
    most = Math.max(most, m.size - (reg ? 1 : 0));
    local.set(host, m);
  }
  const columns = [
    "docker",
    ...(registry ? ["registry"] : []),
    ...Array.from({ length: most }, (_, i) => `orchestrator ${i + 1}`),
  ];
  return { columns, local };
}

/**
 * Stable columns: Docker, the registry file, then orchestrator instances by start time (not by
 * their random ids). A stale instance keeps its column, marked, until it leaves the sources.
 */
export function matrixColumns(state: ApiState): string[] {
  if (isServer(state)) return fleetLayout(state).columns;
  const registry = state.sources.filter((s) => s.kind === "registry_file" && s.status === "ok");
  const instances = state.sources
    .filter((s) => s.kind === "active_indexers" && (s.status === "ok" || s.status === "stale"))
    .sort((a, b) => (a.started_at ?? "").localeCompare(b.started_at ?? "") || a.id.localeCompare(b.id));
  return ["docker", ...registry.map((s) => s.id), ...instances.map((s) => s.id)];
}

/** Columns whose source went silent (maybe crashed): shown as such. */
export function staleColumns(state: ApiState): Set<string> {
  // On a server a column holds many hosts' instances: stale ones are marked in their cells.
  if (isServer(state)) return new Set();
  return new Set(state.sources.filter((s) => s.status === "stale").map((s) => s.id));
}

function dockerCell(p: ApiProject): Cell {
  const running = p.containers.filter((c) => c.state === "running");
  const shown = running.length ? running : p.containers;
  const value =
    shown.length === 0
      ? "—"
      : shown
          .map((c) => `${c.id.slice(0, 12)} :${c.port ?? "?"}${c.state === "running" ? "" : ` (${c.state})`}`)
          .join(", ");
  const kinds = p.findings.filter((f) => !f.source).map((f) => f.kind);
  return { source: "docker", value, status: p.docker_status, kinds };
}

export function matrixRows(state: ApiState): MatrixRow[] {
  const fleet = isServer(state) ? fleetLayout(state) : null;
  const cols = (fleet ? fleet.columns : matrixColumns(state)).slice(1);
  const staleCols = staleColumns(state);
  return state.projects.map((p) => {
    const cells: Cell[] = [dockerCell(p)];
    const places = fleet ? fleet.local.get(p.host ?? "") : null;
    for (const col of cols) {
      // One machine: the column is the source. A server: this host's source in that place.
      const place = fleet ? places?.get(col) : { id: col, stale: staleCols.has(col) };
      const src = place?.id ?? "";
      const held = place ? p.sources[src] : undefined;
      const check = place ? p.checks.find((c) => c.source === src) : undefined;
      const value = place?.stale
        ? "stale"
        : held
          ? [
              held.container_id ? held.container_id.slice(0, 12) : null,
              held.port !== null ? `:${held.port}` : null,
            ]
              .filter(Boolean)
              .join(" ") || "(entry)"
          : "—";
      cells.push({
        source: col,
        value,
        // Issue 25: an in-flight check is a warning-coloured cell that says "in flight" in words.
        status: check ? (check.in_flight ? "warning" : check.status) : "absent",
        kinds: check?.findings.map((f) => f.kind) ?? [],
        acknowledged: !!check && check.findings.length > 0 && check.findings.every((f) => f.acknowledgement),
        ...(check?.in_flight ? { inFlight: true } : {}),
      });
    }
    // "Diverged for" counts from the divergence itself, not from an older label warning.
    const counted =
      p.health === "diverged"
        ? p.findings.filter((f) => !LABEL_SET.has(f.kind))
        : p.findings.filter((f) => !f.informational);
    const opened = counted
      .map((f) => f.opened_at)
      .filter((x): x is string => !!x)
      .sort();
    return {
      key: p.host !== undefined ? `${p.host}/${p.project}` : p.project,
      project: p.project,
      host: p.host ?? null,
      health: p.health,
      cells,
      kinds: [...new Set(p.findings.map((f) => f.kind))].sort(),
      since: opened[0] ?? null,
      findings: p.findings,
      ...(p.checks.some((c) => c.in_flight) ? { inFlight: true } : {}),
    };
  });
}

/** The state is already narrowed to a host on the server (`?host=`): these are the page's filters. */
export function filterRows(rows: MatrixRow[], f: MatrixFilters): MatrixRow[] {
  const q = f.q.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.health || r.health === f.health) &&
      (!f.kind || r.kinds.includes(f.kind)) &&
      (!f.source ||
        r.cells.some((c) => c.source === f.source && (c.status === "diverged" || c.status === "warning"))) &&
      (!f.labels || r.kinds.some((k) => LABEL_SET.has(k))) &&
      (!q ||
        r.project.toLowerCase().includes(q) ||
        (r.host ?? "").toLowerCase().includes(q) ||
        r.cells.some((c) => c.value.toLowerCase().includes(q))),
  );
}

/**
 * Names in one order everywhere: the server pages in it (lib/ui/state-order) and the browser
 * sorts in it, so a page never lands amid the rows shown. A fixed locale, not the reader's: a
 * Danish browser would put "aa…" after "z…", and the pages would disagree with the screen.
 */
export const textOrder = new Intl.Collator("en").compare;

/** A row's place in a sort: [host, the sort's value, project] (also a page cursor). */
export type OrderKey = [string, number | string, string];

export function orderKey(
  r: Pick<MatrixRow, "host" | "project" | "health" | "since" | "findings">,
  key: SortKey,
): OrderKey {
  const value =
    key === "health"
      ? HEALTH_ORDER[r.health]
      : key === "since"
        ? (r.since ?? "~")
        : key === "findings"
          ? r.findings.length
          : 0;
  return [r.host ?? "", value, r.project];
}

/** On a server the matrix is grouped by host: hosts in order, the chosen sort within each, then the name. */
export function compareKeys(a: OrderKey, b: OrderKey, dir: MatrixSort["dir"]): number {
  const value =
    typeof a[1] === "number" && typeof b[1] === "number"
      ? a[1] - b[1]
      : textOrder(String(a[1]), String(b[1]));
  return textOrder(a[0], b[0]) || (dir === "asc" ? 1 : -1) * (value || textOrder(a[2], b[2]));
}

export function sortRows(rows: MatrixRow[], s: MatrixSort): MatrixRow[] {
  const keys = new Map(rows.map((r) => [r, orderKey(r, s.key)]));
  return [...rows].sort((a, b) => compareKeys(keys.get(a)!, keys.get(b)!, s.dir));
}

/** The source `active_indexers:*` (CONTRACT 7a): containers no live process holds. */
export const UNION_COLUMN = "active_indexers:*";

/** A matrix column's header as a person reads it. */
export function columnLabel(column: string): string {
  if (column === "docker") return "Docker";
  if (column === UNION_COLUMN) return "no live orchestrator";
  return column;
}

/** The overview's line on test containers (CONTRACT 7e), or null when there are none. */
export function testContainersNote(state: ApiState): { text: string; mixed: string[] } | null {
  const tests = state.test_containers ?? [];
  if (tests.length === 0) return null;
  const mixed = [...new Set(tests.flatMap((t) => (t.mixed && t.project !== null ? [t.project] : [])))].sort();
  const n = tests.length;
  const text =
    `${n} test container${n === 1 ? "" : "s"} (com.l9.test=true) left out of every check and rate` +
    (mixed.length
      ? `; ${mixed.join(", ")} ${mixed.length === 1 ? "has" : "have"} test and real containers side by side: check the test label is meant`
      : "");
  return { text, mixed };
}
