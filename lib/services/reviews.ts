import "server-only";
import { env } from "../env";
import { getDb } from "../db";
import { ApiError, readJsonBody, zodToApiError } from "../http";
import { dockerCounters } from "../docker/client";
import { PHASE_WINDOWS } from "../core/phases";
import { evaluateAt } from "./evaluate";
import { createReview, getReview, listReviews, updateReview } from "../store/reviews";
import { createReviewSchema, updateReviewSchema, type ApiReview } from "../contracts/reviews";
import { reviewMarkdown } from "../present/review-export";
import { authorizeIngest } from "../access";
import { parseWindow } from "../core/time";

export async function startReview(req: Request, now: Date = new Date()): Promise<ApiReview> {
  authorizeIngest(req);
  const parsed = createReviewSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  const window = parseWindow(parsed.data.window ?? null) ?? PHASE_WINDOWS[parsed.data.phase]!;
  const report = await evaluateAt(getDb(), env(), window, now, dockerCounters.refusedWrites);
  return createReview(
    getDb(),
    {
      phase: parsed.data.phase,
      window,
      createdBy: parsed.data.created_by,
      evaluation: {
        evaluated_at: report.evaluated_at,
        current_phase: report.current_phase,
        phase: report.phases[parsed.data.phase]!,
        next: report.phases[parsed.data.phase + 1] ?? null,
        simulated: env().simulated,
      },
    },
    now,
  );
}

export async function findReview(id: string): Promise<ApiReview> {
  const r = await getReview(getDb(), id);
  if (!r) throw new ApiError("not_found", `no review ${JSON.stringify(id)}`);
  return r;
}

export async function patchReview(req: Request, id: string, now: Date = new Date()): Promise<ApiReview> {
  authorizeIngest(req);
  const current = await findReview(id);
  if (current.decision)
    throw new ApiError(
      "conflict",
      `review ${id} was decided (${current.decision}) at ${current.decided_at}: it is frozen`,
    );
  const parsed = updateReviewSchema.safeParse(await readJsonBody(req));
  if (!parsed.success) throw zodToApiError(parsed.error);
  return updateReview(getDb(), id, parsed.data, now);
}

export const getReviews = () => listReviews(getDb());

export async function exportReview(id: string, format: string, origin: string): Promise<Response> {
  const r = await findReview(id);
  const name = `l9-phase${r.phase}-review-${r.id}`;
  if (format === "json")
    return new Response(JSON.stringify(r, null, 2), {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.json"`,
      },
    });
  if (format === "md")
    return new Response(reviewMarkdown(r), {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${name}.md"`,
      },
    });
  if (format === "pdf") {
    const pdf = await renderPdf(`${origin}/reviews/${encodeURIComponent(id)}?print=1`);
    return new Response(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${name}.pdf"`,
      },
    });
  }
  throw new ApiError("bad_request", "format: one of md, json, pdf", "format");
}

/** The review's print layout, rendered by Chromium through Playwright. */
async function renderPdf(url: string): Promise<Buffer> {
  const { chromium } = await import("playwright-core");
  const executablePath = env().chromiumPath;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    });
  } catch (err) {
    throw new ApiError(
      "unavailable",
      `PDF export needs Chromium at ${executablePath} (apt-get install chromium): ${(err as Error).message.split("\n")[0]}`,
    );
  }
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "networkidle" });
    await page.getByTestId("review-ready").waitFor({ timeout: 15_000 });
    return await page.pdf({
      format: "A4",
      printBackground: true,
      margin: { top: "16mm", bottom: "16mm", left: "12mm", right: "12mm" },
    });
  } finally {
    await browser.close();
  }
}
