// Issue 25: each orchestrator column's mode and code version, as the matrix and sources show them.
import type { ApiSource, ApiState } from "../contracts/state";

/** "docker_first · e94f4d8", "docker_first", "version e94f4d8", or null when neither was reported. */
export function modeText(src: Pick<ApiSource, "mode" | "code_version">): string | null {
  const version = src.code_version ? src.code_version.slice(0, 12) : null;
  if (src.mode) return version ? `${src.mode} · ${version}` : src.mode;
  return version ? `version ${version}` : null;
}

/** Matrix column (source id) -> its mode text, for the sources that reported one. */
export function columnModes(state: Pick<ApiState, "sources">): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of state.sources) {
    const text = modeText(s);
    if (text && !out.has(s.id)) out.set(s.id, text);
  }
  return out;
}
