// JSON text columns are parsed with their schema on the way out of the database, not cast:
// a row that does not match fails here, named, instead of somewhere downstream.
import { z } from "zod";

export function readJson<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`stored ${column} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

export const countsJson = z.record(z.string(), z.number());
export const stringsJson = z.array(z.string());
export const labelsJson = z.record(z.string(), z.string());
