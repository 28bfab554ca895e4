import { Suspense } from "react";
import { AuditView } from "@/components/AuditView";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <AuditView />
    </Suspense>
  );
}
