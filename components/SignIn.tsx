"use client";
// Who is signed in, in the top bar: sign in (a name in local mode, the provider's page with
// OpenID Connect), or sign out. Behind a proxy the proxy signs people in.
import { useState } from "react";
import { usePathname } from "next/navigation";
import { useLocalSignIn, useSessionQuery, useSignOut } from "@/lib/hooks/useSessionQuery";

export function SignIn() {
  const q = useSessionQuery();
  const signIn = useLocalSignIn();
  const signOut = useSignOut();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const s = q.data;
  if (!s) return <span className="muted signin" aria-live="polite" />;
  if (s.person) {
    return (
      <span className="signin" data-testid="signed-in">
        <span title={`signed in via ${s.person.via}${s.person.editor ? " · editor" : " · viewer"}`}>
          {s.person.name}
        </span>
        {s.sign_in.kind !== "proxy" ? (
          <button type="button" className="linkish" onClick={() => signOut.mutate()}>
            Sign out
          </button>
        ) : null}
      </span>
    );
  }
  if (s.sign_in.kind === "link") {
    return (
      <a className="signin" href={`${s.sign_in.href}?back=${encodeURIComponent(pathname)}`}>
        Sign in
      </a>
    );
  }
  if (s.sign_in.kind === "proxy") return <span className="signin muted">Not signed in (proxy)</span>;
  return open ? (
    <form
      className="signin"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) signIn.mutate({ name: name.trim() }, { onSuccess: () => setOpen(false) });
      }}
    >
      <label>
        Your name{" "}
        <input aria-label="Your name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>{" "}
      <button type="submit">Sign in</button>
      {signIn.error ? (
        <span className="error" role="alert">
          {signIn.error.message}
        </span>
      ) : null}
    </form>
  ) : (
    <button type="button" className="signin" onClick={() => setOpen(true)}>
      Sign in
    </button>
  );
}
