import { Suspense } from "react";
import { HostsView } from "@/components/HostsView";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <HostsView />
    </Suspense>
  );
}
