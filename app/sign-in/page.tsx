import { Suspense } from "react";
import { SignInView } from "@/components/SignInView";

export default function Page() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <SignInView />
    </Suspense>
  );
}
