import { Suspense } from "react";
import { SourcesView } from "@/components/SourcesView";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <SourcesView />
    </Suspense>
  );
}
