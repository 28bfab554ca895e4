"use client";
// The page a person lands on when this instance requires sign-in to read.
import { useEffect } from "react";
import { useSearchParams } from "next/navigation";
import { useSessionQuery } from "@/lib/hooks/useSessionQuery";
import { sameOriginBack } from "@/lib/core/access";
import { SignIn } from "./SignIn";

export function SignInView() {
  const q = useSessionQuery();
  // Same origin only, as the browser's URL parser reads it (`/\host`, `/\t/host` are off-site).
  const origin = typeof window === "undefined" ? "http://localhost" : window.location.origin;
  const safe = sameOriginBack(useSearchParams().get("back"), origin);
  // A full navigation: the router's prefetches made before sign-in still point here.
  useEffect(() => {
    if (q.data?.person) window.location.replace(safe);
  }, [q.data?.person, safe]);
  return (
    <div className="page">
      <h1>Sign in</h1>
      <p>This instance shows its data to signed-in people only.</p>
      {q.data?.sign_in.kind === "link" ? (
        <p>
          <a href={`${q.data.sign_in.href}?back=${encodeURIComponent(safe)}`}>
            Sign in with your organisation
          </a>
        </p>
      ) : (
        <SignIn />
      )}
    </div>
  );
}
