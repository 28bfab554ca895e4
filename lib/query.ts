import { QueryClient } from "@tanstack/react-query";

/** Refresh intervals a user can pick; 0 is paused. */
export const REFRESH_OPTIONS_MS = [0, 2000, 5000, 15000, 60000] as const;
export const DEFAULT_REFRESH_MS = 5000;
export const HEALTH_REFRESH_MS = 5000;

/** The one QueryClient setup, used by the app and by test renders. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 1000,
        // A 4xx will not change by asking again (a 404 stays a 404): retry only the rest, once.
        retry: (failures, err) =>
          failures < 1 && !(err instanceof FetchError && err.status >= 400 && err.status < 500),
        refetchOnWindowFocus: true,
        // Keep showing the last data while a refresh is in flight: no layout shift.
        placeholderData: (prev: unknown) => prev,
      },
    },
  });
}

export class FetchError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** GETs JSON; non-2xx becomes a FetchError carrying the body (503 health still has a body). */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new FetchError(0, "the dashboard server did not answer", null);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new FetchError(res.status, msg, body);
  }
  return body as T;
}

/** Writes JSON (POST, PATCH, DELETE) the one way the browser writes; errors as fetchJson's. */
export function sendJson<T>(url: string, method: "POST" | "PATCH" | "DELETE", body: unknown): Promise<T> {
  return fetchJson<T>(url, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
