// The server's checks of GET /api/v1/state's paging and view parameters (issue 26), with zod:
// kept apart from lib/contracts/state-live.ts, which every page's bundle holds.
import { z } from "zod";
import { FINDING_KINDS } from "../core/types";
import {
  STATE_HEALTHS,
  STATE_PAGE_MAX,
  STATE_Q_MAX,
  STATE_SORTS,
  type OrderedCursor,
  type StateOrder,
} from "./state-live";

export const statePageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(STATE_PAGE_MAX),
  /** the last row of the previous page: JSON [host, project] */
  cursor: z
    .string()
    .max(2000)
    .transform((s, ctx) => {
      try {
        return z.tuple([z.string(), z.string()]).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: "custom", message: "cursor: not a page cursor" });
        return z.NEVER;
      }
    })
    .optional(),
});

/**
 * A page cursor in a sort: the last row's key [host, value, project], the value the sort's
 * (health: its rank 0-3, since: the oldest open finding's start or "~", findings: a count,
 * project: 0). JSON, bounded; its value's type is checked against the sort.
 */
const orderedCursor = z.tuple([
  z.string().max(200),
  z.union([z.number().int().min(0).max(1_000_000), z.string().max(64)]),
  z.string().max(500),
]);

export const stateOrderQuery = z
  .object({
    sort: z.enum(STATE_SORTS, { message: "sort: one of project, health, since, findings" }),
    dir: z.enum(["asc", "desc"], { message: "dir: asc or desc" }).default("asc"),
    health: z.enum(STATE_HEALTHS, { message: "health: consistent, warning, diverged or unknown" }).optional(),
    kind: z.enum(FINDING_KINDS, { message: "kind: not a finding kind" }).optional(),
    source: z.string().min(1).max(200, { message: "source: at most 200 characters" }).optional(),
    labels: z.enum(["1", "0"], { message: "labels: 1 or 0" }).optional(),
    q: z
      .string()
      .max(STATE_Q_MAX, { message: `q: at most ${STATE_Q_MAX} characters` })
      .optional(),
    cursor: z
      .string()
      .max(2000, { message: "cursor: not a page cursor" })
      .transform((s, ctx) => {
        try {
          return orderedCursor.parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: "custom", message: "cursor: not a page cursor" });
          return z.NEVER;
        }
      })
      .optional(),
  })
  .superRefine((o, ctx) => {
    if (o.cursor && typeof o.cursor[1] !== (o.sort === "since" ? "string" : "number"))
      ctx.addIssue({ code: "custom", message: `cursor: not a page cursor of sort=${o.sort}` });
  });

// The browser's types are the checks' own: each assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const stateOrderTypesAgree: Same<z.infer<typeof stateOrderQuery>, StateOrder> = true;
export const cursorTypesAgree: Same<z.infer<typeof orderedCursor>, OrderedCursor> = true;
