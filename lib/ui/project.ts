// The project page as data: the side-by-side field table and the episode timeline. Pure.
import type { ApiEpisode, ApiProject } from "../contracts/state";

export type FieldRow = {
  field: string;
  values: { place: string; value: string; differs: boolean }[];
  differs: boolean;
};

export function sideBySide(p: ApiProject): { places: string[]; rows: FieldRow[] } {
  const running = p.containers.filter((c) => c.state === "running");
  const dockerPlaces = p.containers.map(
    (c) => `Docker ${c.id.slice(0, 12)}${c.state === "running" ? "" : ` (${c.state})`}`,
  );
  const sources = Object.keys(p.sources);
  const places = [...dockerPlaces, ...sources];
  const val = (v: string | number | null | undefined) =>
    v === null || v === undefined || v === "" ? "—" : String(v);
  const idRow = [...p.containers.map((c) => c.id), ...sources.map((s) => p.sources[s]?.container_id ?? null)];
  const portRow = [...p.containers.map((c) => c.port), ...sources.map((s) => p.sources[s]?.port ?? null)];
  const stateRow = [
    ...p.containers.map((c) => c.state),
    ...sources.map((s) => (p.sources[s] ? "has entry" : "no entry")),
  ];
  const label = (k: string) => [...p.containers.map((c) => c.labels[k] ?? null), ...sources.map(() => null)];
  const differs = (xs: (string | number | null)[], prefix = false) => {
    const present = xs.filter((x): x is string | number => x !== null);
    if (present.length < 2) return false;
    if (prefix)
      return !present.every(
        (x) =>
          running.some((c) => c.id.startsWith(String(x).toLowerCase())) ||
          present.every((y) => String(y) === String(x)),
      );
    return new Set(present.map(String)).size > 1;
  };
  // A source cell differs when Docker runs the project and the source has no entry, or holds
  // a value Docker's running container does not have (ids compared as prefixes).
  const dockerCells = p.containers.length;
  const cellDiffers = (field: string, xs: (string | number | null)[], i: number): boolean => {
    if (i < dockerCells || running.length === 0) return false;
    const held = p.sources[sources[i - dockerCells]!];
    if (held === null || held === undefined) return field === "state / entry" || field === "container id";
    const x = xs[i];
    if (x === null || x === undefined) return false;
    if (field === "container id") return !running.some((c) => c.id.startsWith(String(x).toLowerCase()));
    if (field === "port") return !running.some((c) => c.port === null || c.port === Number(x));
    return false;
  };
  const row = (field: string, xs: (string | number | null)[], d: boolean): FieldRow => {
    const values = places.map((place, i) => ({
      place,
      value: val(xs[i]),
      differs: cellDiffers(field, xs, i),
    }));
    return { field, values, differs: d || values.some((v) => v.differs) };
  };
  return {
    places,
    rows: [
      row("container id", idRow, differs(idRow, true)),
      row("port", portRow, differs(portRow)),
      row("state / entry", stateRow, p.containers.length > 0 && running.length === 0),
      row("com.l9.port", label("com.l9.port"), false),
      row("com.l9.project_path", label("com.l9.project_path"), false),
      row("com.l9.project_hash", label("com.l9.project_hash"), false),
      row("com.l9.created", label("com.l9.created"), false),
    ],
  };
}

export type TimelineLane = {
  key: string;
  source: string;
  kind: string;
  bars: { left: number; width: number; episode: ApiEpisode }[];
};

/** Episodes grouped per (source, kind), positioned as percentages of [from, to]; open ones end at `now`. */
export function timeline(episodes: ApiEpisode[], from: string, to: string, now?: number): TimelineLane[] {
  const a = Date.parse(from);
  const span = Math.max(1, Date.parse(to) - a);
  const lanes = new Map<string, TimelineLane>();
  for (const e of episodes) {
    const key = `${e.source ?? "project"} · ${e.kind}`;
    const lane = lanes.get(key) ?? { key, source: e.source ?? "project", kind: e.kind, bars: [] };
    const s = Math.max(0, (Date.parse(e.opened_at) - a) / span);
    const end = Math.min(1, ((e.closed_at ? Date.parse(e.closed_at) : (now ?? a + span)) - a) / span);
    lane.bars.push({ left: s * 100, width: Math.max(0.4, (end - s) * 100), episode: e });
    lanes.set(key, lane);
  }
  return [...lanes.values()].sort((x, y) => x.key.localeCompare(y.key));
}
