// Finding kinds in words: what each usually means and what to check next (from CONTRACT.md's
// definitions), for people in a review rather than for the API.
import type { FindingKind } from "../core/types";

export const KIND_HELP: Record<FindingKind, { label: string; means: string; next: string }> = {
  missing_in_docker: {
    label: "missing in Docker",
    means: "a legacy place holds the project, but Docker has no container for it at all",
    next: "was it removed behind the orchestrator's back, or is the entry left over from idle clean-up?",
  },
  not_running: {
    label: "not running",
    means: "the project's containers exist but none is running",
    next: "check the container's exit state; the legacy entry still points at it",
  },
  missing_in_source: {
    label: "missing in a source (orphan)",
    means: "Docker runs a container for the project; this place has no entry for it",
    next: "a process that crashed and lost its dict, or a registry that keeps no container data",
  },
  container_id_mismatch: {
    label: "container id differs",
    means: "the place names a container Docker does not run for the project",
    next: "the entry is stale: the container was replaced; compare the ids side by side",
  },
  port_mismatch: {
    label: "port differs",
    means: "the place and the running container disagree about the host port",
    next: "a port reused after idle clean-up, or an entry written before Docker assigned the port",
  },
  legacy_copies_disagree: {
    label: "orchestrators disagree",
    means: "two orchestrators of one process hold the project with different ids or ports",
    next: "one of the dicts is stale; restart the process or let the stale one expire the entry",
  },
  duplicate_containers: {
    label: "duplicate containers",
    means: "more than one running container for the project",
    next: "two processes started it at once; stop the older one",
  },
  port_conflict: {
    label: "port conflict",
    means: "a port of this project is claimed for another project too",
    next: "two projects believe they own one port: the registry or a dict kept an old mapping",
  },
  labels_missing: {
    label: "Phase 1 labels missing",
    means: "a running container lacks com.l9.project_hash, com.l9.port or com.l9.project_path",
    next: "started before Phase 1 (informational then), or by code without the new labels",
  },
  label_hash_invalid: {
    label: "label hash invalid",
    means: "com.l9.project_hash is not sha256 of com.l9.project_path",
    next: "the path was not normalised before hashing",
  },
  label_hash_truncated: {
    label: "label hash cut to 12 characters",
    means:
      "com.l9.project_hash is the right sha256 cut short: the ADR specifies the full hash, so a lookup by the full hash will not find this container",
    next: "write the full sha256 (the branch code keeps [:12]); L9_LABEL_HASH_PREFIX_OK=1 accepts it in Phase 1 meanwhile",
  },
  label_port_mismatch: {
    label: "label port differs",
    means: "com.l9.port differs from the port Docker published or bound",
    next: "the label was written before Docker picked the port",
  },
  leaked_container: {
    label: "leaked container",
    means:
      "a stopped or created container that no live process holds or lists in its stopped_indexers: nothing will restart or remove it",
    next: "its process crashed or exited without cleaning up; remove it (docker rm) or let a live process adopt it",
  },
  port_leak: {
    label: "port leaked",
    means:
      "a process has kept a port allocated in its memory for over 5 minutes with no container it holds or stopped bound to it",
    next: "the create failed after the allocation; the port stays reserved until that process restarts",
  },
};

export const kindLabel = (k: FindingKind) => KIND_HELP[k].label;
export const kindTitle = (k: FindingKind) =>
  `${KIND_HELP[k].label}: ${KIND_HELP[k].means}. Next: ${KIND_HELP[k].next}.`;
