import { Suspense } from "react";
import { ProjectView } from "@/components/ProjectView";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ProjectView name={decodeURIComponent(name)} />
    </Suspense>
  );
}
