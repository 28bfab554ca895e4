import { describe, expect, test } from "vitest";
import { countsJson, readJson, stringsJson } from "./json";
import { parseHostState } from "../contracts/agent";

describe("JSON columns are parsed with their schema, not cast", () => {
  test("a matching column reads back", () => {
    expect(readJson(countsJson, '{"port_mismatch":2}', "Poll.kindCounts")).toEqual({ port_mismatch: 2 });
    expect(readJson(stringsJson, '["labels_missing"]', "Container.labelIssues")).toEqual(["labels_missing"]);
  });

  test("a column that does not match is refused, named", () => {
    expect(() => readJson(countsJson, '{"port_mismatch":"2"}', "Poll.kindCounts")).toThrow(
      /Poll\.kindCounts/,
    );
    expect(() => readJson(stringsJson, "[1]", "Container.labelIssues")).toThrow(/Container\.labelIssues/);
  });

  test("a host's stored state is checked against the agent's state schema", () => {
    expect(parseHostState(null)).toBeNull();
    expect(() => parseHostState({ polled_at: null })).toThrow();
  });
});
