"""Objects shaped like the orchestrator's IndexerOrchestrator, without Docker.

Mirrors neural-tools/src/servers/services/indexer_orchestrator.py of mkritter3/neural-tools-mcp,
branch implementation/adr-66-70-neural-graphrag (tip e94f4d8): attribute names, types and the
values each method stores, at the lines cited. Container ids are made up; nothing is started.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Dict, Optional, Set


class DockerAPIError(Exception):
    """Shaped like docker.errors.APIError: str() carries the HTTP line, .explanation Docker's words."""

    def __init__(self, message: str, explanation: str) -> None:
        super().__init__(message)
        self.explanation = explanation


class BranchLikeContextManager:
    # project_context_manager.py, lines 64-70: the project registry and container -> port map.
    def __init__(self) -> None:
        self.project_registry: Dict[str, str] = {}
        self.container_registry: Dict[str, int] = {}

    def used_ports(self) -> Set[int]:
        # container_discovery.py, line 195.
        return set(self.container_registry.values())


class BranchLikeOrchestrator:
    def __init__(self, test_mode: bool = False, context_manager: Optional[BranchLikeContextManager] = None) -> None:
        self.context_manager = context_manager  # line 98
        # __init__, lines 101-113: two dicts keyed by project, a set of bare ints.
        self.active_indexers: Dict[str, dict] = {}  # project -> {container_id, last_activity, port}
        self.stopped_indexers: Dict[str, dict] = {}  # project -> {container_id, stop_time, port, project_path}
        self.port_base = 49100 if test_mode else 48100
        self.allocated_ports: Set[int] = set()

    def _allocate_port(self) -> int:
        # _allocate_port, lines 222-230: the lowest port of this process's own set, Docker never asked.
        port = self.port_base
        while port in self.allocated_ports:
            port += 1
        self.allocated_ports.add(port)
        return port

    def ensure(self, project: str, project_path: str) -> str:
        # The create path, lines 585-613: allocate, create, then track with a naive local datetime.
        port = self._allocate_port()
        container_id = secrets.token_hex(32)  # container.id: the full 64-hex id
        self.active_indexers[project] = {
            "container_id": container_id,
            "last_activity": datetime.now(),
            "project_path": project_path,
            "port": port,
        }
        return container_id

    def ensure_refused(self, project: str) -> None:
        # Lines 585-594: the port is allocated before containers.run(); when Docker refuses the bind
        # the exception leaves ensure_indexer and the port stays in the set (nobody releases it).
        port = self._allocate_port()
        raise DockerAPIError(
            "500 Server Error for http+docker://localhost/v1.41/containers/3f9c/start: Internal Server Error",
            "driver failed programming external connectivity on endpoint indexer-%s-1764583200-a4f2: "
            "Bind for 0.0.0.0:%d failed: port is already allocated" % (project, port),
        )

    def stop_only(self, project: str) -> None:
        # _stop_only_internal, lines 855-887: moved to stopped_indexers, the port kept reserved.
        info = self.active_indexers[project]
        self.stopped_indexers[project] = {
            "container_id": info["container_id"],
            "stop_time": datetime.now(),
            "port": info.get("port"),
            "project_path": info.get("project_path"),
        }
        del self.active_indexers[project]

    def rebuild(self, found: Dict[str, dict]) -> None:
        # ADR-0098 Phase 3 (not yet in the branch): a new dict object, filled from Docker.
        self.active_indexers = {}
        for project, info in found.items():
            self.active_indexers[project] = dict(info)

    def get_indexer_port(self, project_name: str) -> Optional[int]:
        # get_indexer_port, lines 236-240: two reads of active_indexers on two lines.
        if project_name in self.active_indexers:
            return self.active_indexers[project_name].get('port')
        return None

    def port_of(self, project: str) -> Optional[int]:
        return self.active_indexers[project].get("port")
