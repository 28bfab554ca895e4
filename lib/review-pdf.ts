import "server-only";
// A review as a PDF: Chromium through Playwright renders the print layout as the requester,
// one render at a time per instance (services/reviews.ts exportReview calls it).
import { env } from "./env";
import { ApiError } from "./http";
import type { ApiReview } from "./contracts/reviews";
import type { ExportContext } from "./present/review-export";
import { CHROMIUM_ARGS } from "./chromium-args";

/** One PDF render at a time per instance (each is a Chromium), and at most this many waiting. */
export const PDF_WAITING_MAX = 2;

type PdfGate = { busy: boolean; waiting: (() => void)[] };
const gp = globalThis as typeof globalThis & { __l9PdfGate?: PdfGate };

export async function withPdfSlot<T>(render: () => Promise<T>): Promise<T> {
  const gate = (gp.__l9PdfGate ??= { busy: false, waiting: [] });
  if (gate.busy) {
    if (gate.waiting.length >= PDF_WAITING_MAX) {
      throw new ApiError(
        "rate_limited",
        `a PDF export is being rendered and ${PDF_WAITING_MAX} are waiting: try again shortly (Markdown and JSON exports are not limited)`,
        undefined,
        { "retry-after": String(Math.max(1, Math.ceil(env().pdfTimeoutMs / 3000))) },
      );
    }
    await new Promise<void>((resolve) => gate.waiting.push(resolve));
  } else gate.busy = true;
  try {
    return await render();
  } finally {
    // Hand the slot straight to the next in line, or free it.
    const next = gate.waiting.shift();
    if (next) next();
    else gate.busy = false;
  }
}

/**
 * The app as this process serves it, on its own listen address (loopback when it listens on
 * every address): the only origin the renderer may load, and the only one the requester's
 * credentials are sent to.
 */
function ownOrigin(): string {
  const { hostname, port } = env();
  const host = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * The review's print layout, rendered by Chromium through Playwright, as the requester: their
 * session cookie (and a trusted proxy's identity header) go with every request to the app's
 * own origin, and nothing else is loaded, so sign-in required (L9_REQUIRE_SIGN_IN) works.
 */
export async function renderPdf(req: Request, r: ApiReview, ctx: ExportContext): Promise<Buffer> {
  const { chromium } = await import("playwright-core");
  const executablePath = env().chromiumPath;
  const origin = ownOrigin();
  const auth = env().auth;
  const credentials: Record<string, string> = {};
  const cookies = (req.headers.get("cookie") ?? "")
    .split(";")
    .filter((part) => part.includes("="))
    .map((part) => [part.slice(0, part.indexOf("=")).trim(), part.slice(part.indexOf("=") + 1).trim()])
    .filter(([name]) => name)
    .map(([name, value]) => ({ name: name!, value: value!, url: origin }));
  const proxied = auth.mode === "proxy" && auth.proxyHeader ? req.headers.get(auth.proxyHeader) : null;
  if (proxied && auth.proxyHeader) credentials[auth.proxyHeader.toLowerCase()] = proxied;

  // A render (launch, load, print) that takes longer is stopped and its Chromium closed.
  const timeoutMs = env().pdfTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  let timedOut = false;
  // At the deadline the browser is closed, which ends whatever step is in flight.
  const timer = setTimeout(() => {
    timedOut = true;
    void browser?.close().catch(() => undefined);
  }, timeoutMs);
  const stopped = () =>
    new ApiError(
      "unavailable",
      `PDF export stopped after ${timeoutMs} ms (L9_PDF_TIMEOUT_MS): the review did not render in time`,
    );
  try {
    try {
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: left() });
    } catch (err) {
      if (timedOut) throw stopped();
      throw new ApiError(
        "unavailable",
        `PDF export needs Chromium at ${executablePath} (apt-get install chromium): ${(err as Error).message.split("\n")[0]}`,
      );
    }
    if (timedOut) throw stopped();
    // Exports are in UTC whatever the server's zone: the page renders its times in UTC here.
    const browsing = await browser.newContext({ timezoneId: "UTC" });
    // Bound to the app's own origin (a Cookie header cannot be set per request in Playwright).
    await browsing.addCookies(cookies);
    const page = await browsing.newPage();
    page.setDefaultTimeout(left());
    await page.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.origin !== origin) return route.abort("blockedbyclient");
      return route.continue({ headers: { ...route.request().headers(), ...credentials } });
    });
    await page.goto(`${origin}/reviews/${encodeURIComponent(r.id)}?print=1`, {
      waitUntil: "networkidle",
      timeout: left(),
    });
    await page.getByTestId("review-ready").waitFor({ timeout: Math.min(15_000, left()) });
    const esc = (s: string) =>
      s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
    const small =
      'style="font-size:8px;width:100%;padding:0 12mm;color:#444;display:flex;justify-content:space-between"';
    // A tagged PDF (structure for screen readers) with an outline, a header and page numbers.
    return await page.pdf({
      format: "A4",
      printBackground: true,
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      headerTemplate: `<div ${small}><span>L9 State Health · Phase ${r.phase} review ${esc(r.id)}</span><span>${esc(ctx.permalink)}</span></div>`,
      footerTemplate: `<div ${small}><span>Generated ${esc(ctx.generatedAt)} (UTC) · ${esc(ctx.environment)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: "18mm", bottom: "18mm", left: "12mm", right: "12mm" },
    });
  } catch (err) {
    if (timedOut && !(err instanceof ApiError)) throw stopped();
    throw err;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => undefined);
  }
}
