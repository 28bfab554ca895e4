import type { Metadata } from "next";
import { Suspense, type ReactNode } from "react";
import Link from "next/link";
import { Providers } from "@/components/Providers";
import { StatusBanner } from "@/components/StatusBanner";
import { RollbackBanner } from "@/components/RollbackBanner";
import { ThemeToggle } from "@/components/ThemeToggle";
import { SignIn } from "@/components/SignIn";
import { ClockToggle } from "@/components/Time";
import "./globals.css";

export const metadata: Metadata = {
  title: "L9 State Health",
  description:
    "Container state divergence across Docker, the registry file and orchestrator instances (ADR-0098)",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        <Providers>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="topbar">
            {/* elementtiming: bench:ui reads when the browser painted this (the Element Timing API). */}
            <Link href="/" className="brand" {...{ elementtiming: "brand" }}>
              L9 State Health
            </Link>
            <nav aria-label="Main">
              <Link href="/">Overview</Link>
              <Link href="/sources">Sources</Link>
              <Link href="/hosts">Hosts</Link>
              <Link href="/phases">Phases</Link>
              <Link href="/settings">Notifications</Link>
              <Link href="/audit">Audit</Link>
            </nav>
            <SignIn />
            <Suspense fallback={null}>
              <ClockToggle />
            </Suspense>
            <ThemeToggle />
          </header>
          <StatusBanner />
          <RollbackBanner />
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
