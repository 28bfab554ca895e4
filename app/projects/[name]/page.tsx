import { Suspense } from "react";
import { notFound } from "next/navigation";
import { ProjectView } from "@/components/ProjectView";
import { projectExists } from "@/lib/services/state";

export const dynamic = "force-dynamic";

export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  // A project never seen is a real 404, rendered on the server: nothing to retry or flip.
  if (!(await projectExists(name))) notFound();
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <ProjectView name={name} />
    </Suspense>
  );
}
