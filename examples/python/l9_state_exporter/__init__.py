"""L9 State Health exporter: send an orchestrator's state and read-path events to the dashboard.

Standard library only, Python 3.9+. Install it (``pip install <repo>/examples/python``) or copy
the ``l9_state_exporter`` folder next to the orchestrator.

The ADR-0098 branch (one shared ``IndexerOrchestrator`` per process, CONTRACT 7f): right after
``get_shared_indexer_orchestrator()`` has created it (or at the end of its ``__init__``)::

    from l9_state_exporter import L9StateExporter
    L9StateExporter().track(orchestrator)

The exporter then re-reads the object's ``active_indexers``, ``stopped_indexers`` and
``allocated_ports`` attributes at every flush, so a dict the orchestrator rebuilds
(``self.active_indexers = {}`` then refilled) is followed without a call to ``forget()``.

The repository's ``main`` (one dict per orchestrator object, several in one process, 6a): pass
each dict, the orchestrator's own object and not a copy::

    self.exporter = L9StateExporter("http://127.0.0.1:3000")
    self.exporter.snapshot(self.active_indexers)

One process, one exporter. Every ``L9StateExporter(url)`` in a process returns the same
exporter, which reports the process as one source: the union of everything it tracks, with
each tracked dict or object's own values under ``orchestrators``. ``url`` defaults to
``$L9_STATE_URL`` or ``http://127.0.0.1:3000``, ``token`` to ``$L9_INGEST_TOKEN``.

Read events: ``exporter.read(project, served_by, docker_ok, latency_ms)`` where ``served_by`` is
``docker``, ``fallback`` (with ``fallback_via``: ``dict``, ``env``, ``name_scan`` or another
word), ``cache`` (with ``cache_age_ms``) or ``none`` (nothing answered). Docker's refusal to
bind a port: ``exporter.allocation_failed(project, port, message)``, or
``exporter.ensure_failed(project, error)`` with whatever ``ensure_indexer`` raised.

Mode and code version (issue 25): ``L9StateExporter(mode="docker_first", code_version="e94f4d8")``.
``mode`` is ``dict_first`` (phases 0-1), ``docker_first`` (2), ``write_through`` (3) or
``docker_only`` (4), or a callable returning one (re-read at every flush: pass the orchestrator's
own flag, e.g. ``mode=lambda: orchestrator.state_mode``); default ``$L9_ORCHESTRATOR_MODE``.
``code_version`` defaults to ``$L9_CODE_VERSION``, else the git SHA of the working directory,
read once at start. Legacy reads: ``track(orchestrator, count_reads=True)`` counts every read of
``active_indexers`` and ``container_registry`` by call site (``legacy_reads.py``).

Clean exits (6b): at interpreter exit (and on ``close()``) a last snapshot marked
``"ended": true``. A process killed by a signal Python does not handle sends nothing and goes
stale, as a crash should.

Nothing here blocks the caller or raises into it: work goes to bounded queues that one daemon
thread drains; beyond the bound, events are dropped and counted (``exporter.dropped``).
"""

from __future__ import annotations

import atexit
import datetime
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Mapping, Optional, Tuple, Union

from .legacy_reads import ReadCounter, plain_copy, wrap_legacy

__all__ = ["L9StateExporter", "__version__"]
__version__ = "1.3.0"

log = logging.getLogger("l9_state_exporter")

MAX_TRACKED = 1000
MAX_MESSAGE = 1000
SNAPSHOT_PATH = "/api/v1/ingest/active-indexers"
READ_EVENTS_PATH = "/api/v1/ingest/read-events"
ALLOCATION_FAILED_PATH = "/api/v1/ingest/allocation-failed"

# Docker's words when a host port is taken, e.g. "Bind for 0.0.0.0:48100 failed: port is already allocated".
_PORT_TAKEN = re.compile(r"port is already allocated", re.IGNORECASE)
_BIND_PORT = re.compile(r"(?:Bind for \S*?:|:)(\d{1,5}) failed: port is already allocated", re.IGNORECASE)

Json = Dict[str, Any]

MODES = ("dict_first", "docker_first", "write_through", "docker_only")


def _utc_now() -> str:
    return _utc_iso(datetime.datetime.now(datetime.timezone.utc))


def _utc_iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _iso(value: Any) -> Optional[str]:
    """last_activity as before (1.1): a datetime's own isoformat(), naive when it is naive."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return None if value is None else str(value)


def _utc_time(value: Any) -> Optional[str]:
    """A time as ISO-8601 UTC. A naive datetime is local time (the branch writes datetime.now())."""
    try:
        if isinstance(value, datetime.datetime):
            return _utc_iso(value)  # astimezone() reads a naive datetime as local time
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _utc_iso(datetime.datetime.fromtimestamp(value, datetime.timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None
    return None if value is None else str(value)


def _port(value: Any) -> Optional[int]:
    """A port number, or None for "" (written before Docker assigns one, 6c), None or junk."""
    try:
        port = int(value) if value not in (None, "") and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    return port if port is not None and 1 <= port <= 65535 else None


def _getter(value: Any) -> Callable[..., Any]:
    if isinstance(value, Mapping):
        return value.get
    return lambda key, default=None: getattr(value, key, default)


def _entry(value: Any) -> Json:
    """One active_indexers value (a dict or an object with attributes) in the contract's shape."""
    get = _getter(value)
    cid = get("container_id") or get("id")
    return {
        "container_id": str(cid) if cid else None,
        "port": _port(get("port")),
        "last_activity": _iso(get("last_activity")),
        "project_path": get("project_path"),
    }


def _stopped_entry(value: Any) -> Json:
    """One stopped_indexers value: the branch stores container_id, stop_time (datetime), port, project_path."""
    get = _getter(value)
    cid = get("container_id") or get("id")
    return {
        "container_id": str(cid) if cid else None,
        "stop_time": _utc_time(get("stop_time")),
        "port": _port(get("port")),
        "project_path": get("project_path"),
    }


def _copy_mapping(value: Any) -> Dict[str, Any]:
    # dict(d) copies in one step under the GIL, so a concurrent change cannot tear it.
    if value is None:
        return {}
    plain = plain_copy(value)  # a counted dict: the exporter's own read is not counted
    if plain is not None:
        return {str(k): v for k, v in plain.items()}
    if not isinstance(value, Mapping):
        raise TypeError("expected a mapping, got %s" % type(value).__name__)
    return {str(k): v for k, v in dict(value).items()}


def _allocated(value: Any) -> List[Tuple[int, Optional[str]]]:
    """allocated_ports as (port, project or None): the branch keeps a set of ints; a dict project -> port is read too."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        pairs = [(_port(v), str(k)) for k, v in dict(value).items()]
    elif isinstance(value, (set, frozenset, list, tuple)):
        pairs = [(_port(v), None) for v in list(value)]
    else:
        raise TypeError("expected a set of ports, got %s" % type(value).__name__)
    return [(p, project) for p, project in pairs if p is not None]


class _Tracked:
    """One tracked thing: a dict (the 1.1 API) or an orchestrator object whose attributes are re-read."""

    def __init__(self, name: str, target: Any, is_object: bool) -> None:
        self.name = name
        self.is_object = is_object
        self._strong: Any = None
        self._weak: Optional[weakref.ReferenceType] = None
        if is_object:
            try:
                self._weak = weakref.ref(target)
            except TypeError:  # not weak-referenceable: hold it, as dicts are held
                self._strong = target
        else:
            self._strong = target

    def get(self) -> Any:
        return self._weak() if self._weak is not None else self._strong


class L9StateExporter:
    """The process's exporter: ``L9StateExporter(url)`` returns the same object every time."""

    _shared: Dict[Tuple[str, Optional[str]], "L9StateExporter"] = {}
    _shared_lock = threading.Lock()

    def __new__(cls, url: Optional[str] = None, instance_id: Optional[str] = None, **_kwargs: Any) -> "L9StateExporter":
        key = (_default_url(url), instance_id)
        with cls._shared_lock:
            existing = cls._shared.get(key)
            # A forked child gets its own exporter: its dicts are not its parent's.
            if existing is not None and existing._pid == os.getpid():
                return existing
            self = super().__new__(cls)
            self._initialised = False
            cls._shared[key] = self
            return self

    def __init__(
        self,
        url: Optional[str] = None,
        instance_id: Optional[str] = None,
        token: Optional[str] = None,
        started_at: Optional[str] = None,
        max_events: int = 10000,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        heartbeat_interval: float = 10.0,
        timeout: float = 2.0,
        mode: Union[str, Callable[[], Optional[str]], None] = None,
        code_version: Optional[str] = None,
    ) -> None:
        if self._initialised:
            return
        self._initialised = True
        self._pid = os.getpid()
        self.url = _default_url(url)
        self.instance_id = instance_id or "mcp-%s-%d" % (socket.gethostname(), os.getpid())
        self.started_at = started_at or _utc_now()
        self.token = token or os.environ.get("L9_INGEST_TOKEN") or None
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.heartbeat_interval = heartbeat_interval
        self.timeout = timeout
        self.dropped = 0
        self.sent_snapshots = 0
        self.sent_events = 0
        self.sent_allocation_failures = 0
        self.ended = False
        self.mode = mode if mode is not None else (os.environ.get("L9_ORCHESTRATOR_MODE") or None)
        self.code_version = code_version or os.environ.get("L9_CODE_VERSION") or _git_sha()
        self.read_counter: Optional[ReadCounter] = None
        self._bad_mode_logged = False
        self._events: Deque[Json] = deque(maxlen=max_events)
        self._failures: Deque[Json] = deque(maxlen=max(1, min(max_events, 1000)))
        self._tracked: Dict[int, _Tracked] = {}
        self._port_seen: Dict[Tuple[str, int], str] = {}  # (tracked name, port) -> first seen, UTC
        self._snapshot_dirty = False
        self._last_snapshot_sent = 0.0
        self._last_content: Optional[str] = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="l9-state-exporter", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # --- called by the orchestrator; never blocks, never raises ---

    def track(self, orchestrator: Any, name: Optional[str] = None, count_reads: bool = False) -> "L9StateExporter":
        """Follow an orchestrator object: its three attributes are re-read at every flush (7f).

        Held by a weak reference: an orchestrator that is garbage-collected drops out of the
        snapshot. A dict given here is tracked as ``snapshot()`` does. Returns the exporter.
        ``count_reads``: its legacy dicts count their reads by call site (sent with each snapshot).
        """
        try:
            is_object = not isinstance(orchestrator, Mapping)
            if count_reads and is_object:
                with self._lock:
                    if self.read_counter is None:
                        self.read_counter = ReadCounter()
                wrap_legacy(orchestrator, self.read_counter)
            self._add(orchestrator, name, is_object=is_object)
        except Exception:  # noqa: BLE001 - never raise into the orchestrator
            log.debug("track ignored", exc_info=True)
        return self

    def snapshot(self, active_indexers: Mapping[str, Any], name: Optional[str] = None) -> None:
        """Track this dict (the orchestrator's own, by identity) and send the process's state soon.

        ``name`` labels the dict in reports (default: "orchestrator-1", "-2", ... in order seen).
        """
        try:
            self._add(active_indexers, name, is_object=False)
        except Exception:  # noqa: BLE001
            log.debug("snapshot ignored", exc_info=True)

    def forget(self, tracked: Any) -> None:
        """Stop tracking a dict or an orchestrator object (it was discarded)."""
        try:
            with self._lock:
                if self._tracked.pop(id(tracked), None) is not None:
                    self._snapshot_dirty = True
            self._wake.set()
        except Exception:  # noqa: BLE001
            log.debug("forget ignored", exc_info=True)

    def read(
        self,
        project: str,
        served_by: str,
        docker_ok: Optional[bool] = None,
        latency_ms: Optional[float] = None,
        at: Optional[str] = None,
        cache_age_ms: Optional[float] = None,
        fallback_via: Optional[str] = None,
    ) -> None:
        """Record one read: served_by is "docker", "cache", "fallback" or "none" (nothing answered).

        ``docker_ok`` defaults to whether Docker answered (served_by == "docker"); a cache read
        asked no Docker. ``cache_age_ms`` goes with "cache", ``fallback_via`` with "fallback".
        """
        try:
            event: Json = {
                "at": at or _utc_now(),
                "project": str(project),
                "served_by": served_by,
                "docker_ok": bool(served_by == "docker" if docker_ok is None else docker_ok),
                "latency_ms": None if latency_ms is None else float(latency_ms),
            }
            if cache_age_ms is not None:
                event["cache_age_ms"] = float(cache_age_ms)
            if fallback_via is not None:
                event["fallback_via"] = str(fallback_via)
            self._enqueue(self._events, event)
        except Exception:  # noqa: BLE001
            log.debug("read event ignored", exc_info=True)

    def allocation_failed(self, project: str, port: Optional[int], message: str, at: Optional[str] = None) -> None:
        """Docker refused to bind ``port`` for ``project`` (7c); no container came of it."""
        try:
            event = {"at": at or _utc_now(), "project": str(project), "port": _port(port),
                     "message": str(message)[:MAX_MESSAGE]}
            self._enqueue(self._failures, event, wake=True)
        except Exception:  # noqa: BLE001
            log.debug("allocation_failed ignored", exc_info=True)

    def ensure_failed(self, project: str, error: BaseException, port: Optional[int] = None) -> bool:
        """Report what ``ensure_indexer`` raised when it is Docker's "port is already allocated".

        The port is read from Docker's message ("Bind for 0.0.0.0:48100 failed") unless given.
        Returns whether it was an allocation failure; anything else is left alone.
        """
        try:
            text = _error_text(error)
            if not _PORT_TAKEN.search(text):
                return False
            found = _BIND_PORT.search(text)
            self.allocation_failed(project, port if port is not None else (int(found.group(1)) if found else None), text)
            return True
        except Exception:  # noqa: BLE001
            log.debug("ensure_failed ignored", exc_info=True)
            return False

    def close(self, timeout: float = 5.0) -> None:
        """Send what is pending, then a last snapshot marked ended, and stop (bounded by timeout).

        Registered with atexit, so a clean interpreter exit says so; calling it twice is harmless.
        """
        if self.ended or self._pid != os.getpid():
            return
        self.ended = True
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        try:
            self._send_snapshot(ended=True)
        except Exception:  # noqa: BLE001
            log.debug("final snapshot failed", exc_info=True)

    # --- internals ---

    def _add(self, target: Any, name: Optional[str], is_object: bool) -> None:
        with self._lock:
            tracked = self._tracked.get(id(target))
            if tracked is not None and tracked.get() is not target:
                tracked = None  # a collected object's id, reused
            if tracked is None and len(self._tracked) < MAX_TRACKED:
                label = name or "orchestrator-%d" % (len(self._tracked) + 1)
                self._tracked[id(target)] = _Tracked(label, target, is_object)
            elif tracked is not None and name:
                tracked.name = name
            self._snapshot_dirty = True
        self._wake.set()

    def _enqueue(self, queue: Deque[Json], event: Json, wake: bool = False) -> None:
        with self._lock:
            if len(queue) == queue.maxlen:
                self.dropped += 1
            queue.append(event)
            full = len(queue) >= self.batch_size
        if full or wake:
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            stopping = self._stop.is_set()
            try:
                self._flush(final=stopping)
            except Exception:  # noqa: BLE001
                log.debug("flush failed", exc_info=True)
            if stopping:
                return

    def _read_tracked(self) -> Optional[List[Json]]:
        """Each tracked dict or object as read now; None when one cannot be read (send nothing then)."""
        with self._lock:
            items = list(self._tracked.items())
        out: List[Json] = []
        for key, tracked in items:
            target = tracked.get()
            if target is None:  # the orchestrator was garbage-collected
                with self._lock:
                    self._tracked.pop(key, None)
                continue
            try:
                if not tracked.is_object:
                    out.append({"name": tracked.name, "indexers": _copy_mapping(target)})
                    continue
                if self.read_counter is not None:
                    wrap_legacy(target, self.read_counter)  # a rebuilt dict (7f) is counted again
                row: Json = {"name": tracked.name, "indexers": _copy_mapping(getattr(target, "active_indexers", None))}
                if hasattr(target, "stopped_indexers"):
                    row["stopped_indexers"] = _copy_mapping(getattr(target, "stopped_indexers"))
                if hasattr(target, "allocated_ports"):
                    row["allocated_ports"] = _allocated(getattr(target, "allocated_ports"))
                out.append(row)
            except Exception:  # noqa: BLE001 - a half-read orchestrator would show false findings
                log.debug("could not read %s", tracked.name, exc_info=True)
                return None
        return out

    def _body(self, ended: bool = False) -> Optional[Json]:
        rows = self._read_tracked()
        if rows is None:
            return None
        now = _utc_now()
        orchestrators: List[Json] = []
        union: Dict[str, Json] = {}
        stopped_union: Dict[str, Json] = {}
        ports_union: List[Json] = []
        seen_now: Dict[Tuple[str, int], str] = {}
        has_stopped = has_ports = False
        for row in rows:
            entries = {k: _entry(v) for k, v in row["indexers"].items()}
            out: Json = {"name": row["name"], "indexers": entries}
            for project, e in entries.items():
                union.setdefault(project, e)
            stopped: Dict[str, Json] = {}
            if "stopped_indexers" in row:
                has_stopped = True
                stopped = {k: _stopped_entry(v) for k, v in row["stopped_indexers"].items()}
                out["stopped_indexers"] = stopped
                for project, e in stopped.items():
                    stopped_union.setdefault(project, e)
            if "allocated_ports" in row:
                has_ports = True
                # The set holds bare ports: name the project whose entry (active, then stopped) has it.
                holder = {e["port"]: p for p, e in stopped.items() if e["port"] is not None}
                holder.update({e["port"]: p for p, e in entries.items() if e["port"] is not None})
                allocations = []
                for port, project in sorted(row["allocated_ports"], key=lambda pp: (pp[0], pp[1] or "")):
                    key = (row["name"], port)
                    since = self._port_seen.get(key) or seen_now.get(key) or now
                    seen_now[key] = since
                    item = {"port": port, "project": project or holder.get(port), "since": since}
                    allocations.append(item)
                    if item not in ports_union:
                        ports_union.append(item)
                out["allocated_ports"] = allocations
            orchestrators.append(out)
        self._port_seen = seen_now
        body: Json = {"instance_id": self.instance_id, "started_at": self.started_at, "taken_at": now,
                      "indexers": union}
        if has_stopped:
            body["stopped_indexers"] = stopped_union
        if has_ports:
            body["allocated_ports"] = ports_union
        body["orchestrators"] = orchestrators
        mode = self._mode()
        if mode is not None:
            body["mode"] = mode
        if self.code_version:
            body["code_version"] = self.code_version
        if self.read_counter is not None:
            body["legacy_reads"] = self.read_counter.report()
        if ended:
            body["ended"] = True
        return body

    def _mode(self) -> Optional[str]:
        try:
            value = self.mode() if callable(self.mode) else self.mode
        except Exception:  # noqa: BLE001 - the orchestrator's flag could not be read
            return None
        if value is None:
            return None
        if str(value) not in MODES:
            if not self._bad_mode_logged:
                self._bad_mode_logged = True
                log.warning("L9 state exporter: mode %r is not one of %s; not sent", value, ", ".join(MODES))
            return None
        return str(value)

    def _send_snapshot(self, ended: bool = False) -> bool:
        with self._lock:
            if not self._tracked:
                return False
            self._snapshot_dirty = False
        body = self._body(ended)
        if body is None:
            with self._lock:
                self._snapshot_dirty = True
            return False
        content = _content(body)
        ok = self._post(SNAPSHOT_PATH, body)
        if ok:
            self.sent_snapshots += 1
            self._last_snapshot_sent = time.monotonic()
            self._last_content = content
        else:
            with self._lock:
                self._snapshot_dirty = True
        return ok

    def _changed(self) -> bool:
        """Whether what the tracked things hold differs from the last snapshot sent."""
        body = self._body()
        if body is None:
            return False
        return _content(body) != self._last_content

    def _flush(self, final: bool = False) -> None:
        with self._lock:
            tracking = bool(self._tracked)
            due = tracking and (
                self._snapshot_dirty or time.monotonic() - self._last_snapshot_sent >= self.heartbeat_interval)
        # The final snapshot (ended) is sent by close(); no ordinary one right before it.
        if not final and tracking and (due or self._changed()):
            self._send_snapshot()
        self._drain(self._failures, ALLOCATION_FAILED_PATH, "sent_allocation_failures")
        self._drain(self._events, READ_EVENTS_PATH, "sent_events")

    def _drain(self, queue: Deque[Json], path: str, counter: str) -> None:
        while True:
            with self._lock:
                batch = [queue.popleft() for _ in range(min(self.batch_size, len(queue)))]
            if not batch:
                return
            if self._post(path, {"instance_id": self.instance_id, "events": batch}):
                setattr(self, counter, getattr(self, counter) + len(batch))
            else:
                with self._lock:
                    # Put them back (oldest first) as far as the bound allows; the rest are dropped.
                    room = (queue.maxlen or 0) - len(queue)
                    self.dropped += max(0, len(batch) - room)
                    queue.extendleft(reversed(batch[-room:] if room else []))
                return

    def _post(self, path: str, body: Json) -> bool:
        data = json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method="POST",
                                     headers={"content-type": "application/json"})
        if self.token:
            req.add_header("authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return bool(res.status == 202)
        except urllib.error.HTTPError as err:
            # 400/401/404/413 will not get better by retrying: log and drop.
            log.warning("L9 State Health refused %s: %s %s", path, err.code, err.read()[:300])
            return err.code not in (408, 429, 500, 502, 503, 504)
        except (OSError, ValueError) as err:
            log.debug("L9 State Health unreachable: %s", err)
            return False


def _content(body: Json) -> str:
    """What a snapshot says, for "did it change": read counts go with the heartbeat, not every read."""
    return json.dumps({k: v for k, v in body.items() if k not in ("taken_at", "legacy_reads")}, sort_keys=True)


def _default_url(url: Optional[str]) -> str:
    return (url or os.environ.get("L9_STATE_URL") or "http://127.0.0.1:3000").rstrip("/")


def _git_sha() -> Optional[str]:
    """The working directory's git commit, read once at start; None outside a checkout or without git."""
    try:
        import subprocess  # only here: most of the exporter never starts a process

        out = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                             timeout=2, check=False)
        sha = out.stdout.strip()
        return sha if out.returncode == 0 and re.fullmatch(r"[0-9a-f]{7,40}", sha) else None
    except (OSError, subprocess.SubprocessError):
        return None


def _error_text(error: BaseException) -> str:
    """An exception's message with its causes (service_container wraps Docker's error in a RuntimeError)."""
    parts: List[str] = []
    seen: set = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen and len(parts) < 5:
        seen.add(id(current))
        explanation = getattr(current, "explanation", None)  # docker.errors.APIError keeps Docker's words here
        parts.append(str(current) + (" (%s)" % explanation if explanation and str(explanation) not in str(current) else ""))
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)

