"use client";
// A review that cannot be shown: a page that says why, with the way back.
import Link from "next/link";
import { FetchError } from "@/lib/query";

export function ReviewMissing({ id, error }: { id: string; error: unknown }) {
  const notFound = error instanceof FetchError && error.status === 404;
  return (
    <article className="page review-missing" data-testid="review-missing">
      <p className="crumbs">
        <Link href="/phases">Phases</Link> / review {id}
      </p>
      <h1>{notFound ? "No such review" : "The review could not be loaded"}</h1>
      <p role="alert">
        {notFound
          ? `There is no review "${id}": the link may be mistyped, or it was made on another instance.`
          : `Review ${id}: ${error instanceof Error ? error.message : "the server did not answer"}.`}
      </p>
      <p>
        <Link href="/phases">Back to phase readiness and the list of reviews</Link>
      </p>
    </article>
  );
}
