import { Overview } from "@/components/Overview";
import { getState } from "@/lib/services/state";
import { orderText, STATE_FIRST_PAGE } from "@/lib/contracts/state-live";
import { readView } from "@/lib/ui/url";
import { viewOrder } from "@/lib/ui/state-order";

// Rendered per request with the latest poll, so the matrix is in the first HTML paint. No
// Suspense boundary around it: the page is dynamic (useSearchParams works on the server), and
// with one React outlined a large page (over its 12.8 KB progressive chunk size) into a hidden
// segment, shown "Loading…" first and revealed the matrix ~0.6 s after the top bar had painted
// (Element Timing, bench:ui). e2e/ui.spec.ts "a large matrix is in the served HTML's shell…".
export const dynamic = "force-dynamic";

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The first screen of the matrix in the link's sort and filters (issue 26): the rest on scroll.
  const sp = await searchParams;
  const view = readView({ get: (k) => (typeof sp[k] === "string" ? sp[k] : null) }, { refresh: 0 });
  const q = new URLSearchParams(orderText(viewOrder(view)));
  q.set("limit", String(STATE_FIRST_PAGE));
  const initial = await getState(q).catch(() => null);
  return <Overview initialState={initial} />;
}
