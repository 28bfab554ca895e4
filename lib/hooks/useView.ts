"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { DEFAULT_REFRESH_MS } from "../query";
import { readView, writeView, type ViewState } from "../ui/url";

/** The view (range, filters, sort, refresh) lives in the URL: a link reproduces it. */
export function useView(): [ViewState, (next: Partial<ViewState>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const defaults = { refresh: DEFAULT_REFRESH_MS };
  const view = useMemo(() => readView(params, defaults), [params]); // eslint-disable-line react-hooks/exhaustive-deps
  const set = useCallback(
    (next: Partial<ViewState>) => {
      const merged = { ...view, ...next, filters: { ...view.filters, ...next.filters }, sort: { ...view.sort, ...next.sort } };
      router.replace(`${pathname}${writeView(merged, { refresh: DEFAULT_REFRESH_MS })}`, { scroll: false });
    },
    [view, router, pathname],
  );
  return [view, set];
}
