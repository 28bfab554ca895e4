import { Suspense } from "react";
import { PhasesView } from "@/components/PhasesView";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <PhasesView />
    </Suspense>
  );
}
