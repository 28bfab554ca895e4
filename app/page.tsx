import { Overview } from "@/components/Overview";
import { getState } from "@/lib/services/state";
import { STATE_FIRST_PAGE } from "@/lib/contracts/state-live";

// Rendered per request with the latest poll, so the matrix is in the first HTML paint. No
// Suspense boundary around it: the page is dynamic (useSearchParams works on the server), and
// with one React outlined a large page (over its 12.8 KB progressive chunk size) into a hidden
// segment, shown "Loading…" first and revealed the matrix ~0.6 s after the top bar had painted
// (Element Timing, bench:ui). e2e/ui.spec.ts "a large matrix is in the served HTML's shell…".
export const dynamic = "force-dynamic";

export default async function Page() {
  // The first screen of the matrix (issue 26): the rest comes on scroll.
  const initial = await getState(new URLSearchParams({ limit: String(STATE_FIRST_PAGE) })).catch(() => null);
  return <Overview initialState={initial} />;
}
