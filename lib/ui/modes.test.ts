import { describe, expect, test } from "vitest";
import { columnModes, modeText } from "./modes";
import type { ApiSource, ApiState } from "../contracts/state";

const src = (id: string, extra: Partial<ApiSource>): ApiSource => ({
  id,
  kind: "active_indexers",
  status: "ok",
  ...extra,
});

describe("a process's mode as shown", () => {
  test.each<[Partial<ApiSource>, string | null]>([
    [{ mode: "docker_first", code_version: "e94f4d8" }, "docker_first · e94f4d8"],
    [{ mode: "dict_first", code_version: "0123456789abcdef0123" }, "dict_first · 0123456789ab"],
    [{ mode: "write_through" }, "write_through"],
    [{ code_version: "v1.2" }, "version v1.2"],
    [{}, null],
  ])("%j is %s", (extra, expected) => {
    expect(modeText(src("s", extra))).toBe(expected);
  });

  test("matrix columns: only the sources that reported one", () => {
    const state = {
      sources: [src("active_indexers:a", { mode: "docker_first" }), src("registry_file", {})],
    } as Pick<ApiState, "sources">;
    expect([...columnModes(state)]).toEqual([["active_indexers:a", "docker_first"]]);
  });
});
