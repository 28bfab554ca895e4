// The labels above a time chart, laid out so they never collide or leave the chart: one row per
// kind of mark (phase changes, restarts, Docker outages), marks closer than a label's width
// grouped into one ("9 restarts") whose card lists them. Pure: widths in, positions out.

export type MarkItem = { at: number; text: string };
export type MarkRowKind = "phase_change" | "restart" | "mode_rollback" | "outage";
export type LabelGroup = {
  /** where its line(s) are, in ms: the first and last item */
  from: number;
  to: number;
  items: MarkItem[];
  label: string;
  /** the label's left edge and width in px, inside [0, width] */
  left: number;
  width: number;
};

const NOUNS: Record<MarkRowKind, [string, string]> = {
  phase_change: ["phase change", "phase changes"],
  restart: ["restart", "restarts"],
  mode_rollback: ["mode rollback", "mode rollbacks"],
  outage: ["Docker down", "Docker outages"],
};

export function groupLabel(kind: MarkRowKind, n: number): string {
  const [one, many] = NOUNS[kind];
  return n === 1 ? one : `${n} ${many}`;
}

/** A label's width at the charts' 12 px type, a little generous (system fonts differ). */
export const labelWidth = (text: string) => Math.ceil(text.length * 7.2) + 18;

/**
 * One row's labels: items sorted by time, each centred on its line, grouped while two labels would
 * come closer than `gap` px, then clamped into [0, width]; a clamp that makes two collide merges
 * them too. `x(ms)` is the pixel position of an instant on the chart's axis.
 */
export function layoutRow(
  kind: MarkRowKind,
  items: MarkItem[],
  x: (ms: number) => number,
  width: number,
  gap = 6,
): LabelGroup[] {
  const sorted = [...items].sort((a, b) => a.at - b.at);
  let groups: MarkItem[][] = sorted.map((i) => [i]);
  for (;;) {
    const placed = groups.map((g) => place(kind, g, x, width));
    const clash = placed.findIndex(
      (p, i) => i > 0 && p.left < placed[i - 1]!.left + placed[i - 1]!.width + gap,
    );
    if (clash < 0) return placed;
    groups = [
      ...groups.slice(0, clash - 1),
      [...groups[clash - 1]!, ...groups[clash]!],
      ...groups.slice(clash + 1),
    ];
  }
}

function place(kind: MarkRowKind, items: MarkItem[], x: (ms: number) => number, width: number): LabelGroup {
  const from = items[0]!.at;
  const to = items.at(-1)!.at;
  const label = groupLabel(kind, items.length);
  const w = Math.min(labelWidth(label), width);
  const centre = (x(from) + x(to)) / 2;
  const left = Math.max(0, Math.min(width - w, centre - w / 2));
  return { from, to, items, label, left, width: w };
}

/** Runs of buckets without any poll (the app was not running): [start, end) in ms. */
export function gapSpans(
  points: { t: string; polls: number }[],
  bucketMs: number,
): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const p of points) {
    if (p.polls > 0) continue;
    const start = Date.parse(p.t);
    const last = out.at(-1);
    if (last && last.to >= start) last.to = start + bucketMs;
    else out.push({ from: start, to: start + bucketMs });
  }
  return out;
}

/** The tooltip's list of marks: a few named, the rest counted (a crowd of restarts is one line). */
export function tipMarks(marks: string[], max = 3): string[] {
  if (marks.length <= max) return marks;
  return [...marks.slice(0, max - 1), `and ${marks.length - max + 1} more marks in this bucket`];
}
