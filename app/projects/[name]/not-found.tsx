import Link from "next/link";

export default function ProjectNotFound() {
  return (
    <div className="page" data-testid="project-not-found">
      <h1>No such project</h1>
      <p>
        No project of that name is in Docker, in any source, or in stored history. Names are case-sensitive,
        as the orchestrator writes them.
      </p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
