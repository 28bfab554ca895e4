import { Suspense } from "react";
import { ReviewView } from "@/components/ReviewView";

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ReviewView id={id} />
    </Suspense>
  );
}
