import { Suspense } from "react";
import { Overview } from "@/components/Overview";
import { getState } from "@/lib/services/state";

// Rendered per request with the latest poll, so the matrix is in the first HTML paint.
export const dynamic = "force-dynamic";

export default async function Page() {
  const initial = await getState().catch(() => null);
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Overview initialState={initial} />
    </Suspense>
  );
}
