"use client";
// The matrix's rows: all of them, or (many projects) only those near the viewport.
import { useLayoutEffect, useRef, useState } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import type { MatrixRow } from "@/lib/ui/matrix";
import { lastedText } from "@/lib/core/staleness";
import { Row } from "./MatrixRow";

/**
 * Above this many rows only the rows near the viewport are in the DOM (plus a spacer row above
 * and below), so 2,000 projects cost what 60 do. Below it every row is rendered, so the
 * browser's own find (Ctrl+F) sees them all; above it the search box is the way to find one.
 */
export const VIRTUAL_ABOVE = 150;
const ROW_ESTIMATE_PX = 29;

export function MatrixBody({
  rows,
  editor,
  mounted,
  now,
  width,
  showHost,
  pending = 0,
  more,
}: {
  rows: MatrixRow[];
  editor: boolean;
  mounted: boolean;
  now: Date;
  width: number;
  showHost: boolean;
  /** the view's rows not loaded yet (a paged state): their room below, which loads them in view */
  pending?: number;
  more?: (el: Element | null) => void;
}) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [offset, setOffset] = useState(0);
  const virtual = rows.length > VIRTUAL_ABOVE;
  useLayoutEffect(() => {
    const el = body.current;
    if (!el || !virtual) return;
    const measure = () => setOffset(el.getBoundingClientRect().top + window.scrollY);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(document.body);
    return () => ro.disconnect();
  }, [virtual]);
  const v = useWindowVirtualizer({
    count: rows.length,
    enabled: virtual,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 10,
    scrollMargin: offset,
    initialRect: { width: 1280, height: 1000 },
  });
  const row = (r: MatrixRow, index: number) => (
    <Row
      key={r.key}
      r={r}
      index={index}
      showHost={showHost}
      groupStart={showHost && (index === 0 || rows[index - 1]?.host !== r.host)}
      editor={editor}
      measure={virtual ? v.measureElement : undefined}
      sinceText={
        mounted && r.since && r.health !== "consistent"
          ? `${r.health} for ${lastedText(r.since, now.getTime())}`
          : ""
      }
    />
  );
  const waiting =
    pending > 0 ? (
      <Spacer height={pending * ROW_ESTIMATE_PX} width={width} more={more} testId="matrix-more" />
    ) : null;
  if (!virtual)
    return (
      <tbody ref={body}>
        {rows.map(row)}
        {waiting}
      </tbody>
    );
  const items = v.getVirtualItems();
  const top = (items[0]?.start ?? offset) - offset;
  const bottom = v.getTotalSize() - ((items.at(-1)?.end ?? offset) - offset);
  return (
    <tbody ref={body}>
      {top > 0 ? <Spacer height={top} width={width} /> : null}
      {items.map((item) => row(rows[item.index]!, item.index))}
      {bottom > 0 ? <Spacer height={bottom} width={width} /> : null}
      {waiting}
    </tbody>
  );
}

function Spacer({
  height,
  width,
  more,
  testId,
}: {
  height: number;
  width: number;
  more?: ((el: Element | null) => void) | undefined;
  testId?: string;
}) {
  return (
    <tr aria-hidden="true" className="spacer" style={{ height }} ref={more} data-testid={testId}>
      <td colSpan={width} />
    </tr>
  );
}
