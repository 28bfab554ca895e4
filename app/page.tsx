import { Suspense } from "react";
import { Overview } from "@/components/Overview";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Overview />
    </Suspense>
  );
}
