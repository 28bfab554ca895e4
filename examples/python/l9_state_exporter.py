"""L9 State Health exporter: send an orchestrator's active_indexers and read-path events.

Standard library only, Python 3.9+. Drop this file next to the orchestrator and add, in
``IndexerOrchestrator.__init__`` (or wherever the dict is created):

    from l9_state_exporter import L9StateExporter
    self.exporter = L9StateExporter("http://127.0.0.1:3000", token=os.environ.get("L9_INGEST_TOKEN"))
    self.exporter.snapshot(self.active_indexers)     # after every change to the dict

and on each read ``self.exporter.read(project, served_by="docker", docker_ok=True, latency_ms=7.2)``
(served_by is "docker", "fallback", or "none" when nothing answered).

One process, one exporter (CONTRACT 6a). The MCP server creates one IndexerOrchestrator per
project, all in one process, each with its own dict. Every ``L9StateExporter(url)`` in a
process returns the same exporter, which tracks every dict it is given (by identity: pass the
orchestrator's own dict, not a copy) and reports the process as one source: the union of the
dicts, with each dict's own values, so two dicts that disagree about a project are reported.
Tracked dicts are re-read at every heartbeat, so a change made without calling snapshot()
still arrives within ``heartbeat_interval``.

Clean exits (CONTRACT 6b). At interpreter exit (and on ``close()``) the exporter sends a last
snapshot marked ``"ended": true``: the dashboard then lists the process as ended, never as a
crash. A process killed by a signal Python does not handle sends nothing and goes stale, as a
crash should.

Nothing here blocks the caller or raises into it: work goes to a bounded queue that one
daemon thread drains. Read events are batched; if the dashboard is down, events beyond the
queue's bound are dropped and counted (``exporter.dropped``), never buffered without limit.
"""

import atexit
import datetime
import json
import logging
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque

__all__ = ["L9StateExporter"]

log = logging.getLogger("l9_state_exporter")

MAX_TRACKED_DICTS = 1000


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return None if value is None else str(value)


def _entry(value):
    """One active_indexers value (a dict or an object with attributes) as the contract's shape.

    The orchestrator writes ``"port": ""`` before Docker assigns one (CONTRACT 6c): that, None
    and anything that is not a port number are sent as null.
    """
    get = value.get if isinstance(value, dict) else (lambda k, d=None: getattr(value, k, d))
    cid = get("container_id") or get("id")
    port = get("port")
    try:
        port = int(port) if port not in (None, "") else None
        if port is not None and not 1 <= port <= 65535:
            port = None
    except (TypeError, ValueError):
        port = None
    return {
        "container_id": str(cid) if cid else None,
        "port": port,
        "last_activity": _iso(get("last_activity")),
        "project_path": get("project_path"),
    }


class L9StateExporter:
    """The process's exporter: ``L9StateExporter(url)`` returns the same object every time."""

    _shared = {}
    _shared_lock = threading.Lock()

    def __new__(cls, url="http://127.0.0.1:3000", instance_id=None, **_kwargs):
        key = (url.rstrip("/"), instance_id)
        with cls._shared_lock:
            existing = cls._shared.get(key)
            # A forked child gets its own exporter: its dicts are not its parent's.
            if existing is not None and existing._pid == os.getpid():
                return existing
            self = super().__new__(cls)
            self._initialised = False
            cls._shared[key] = self
            return self

    def __init__(self, url="http://127.0.0.1:3000", instance_id=None, token=None, started_at=None,
                 max_events=10000, batch_size=500, flush_interval=1.0, heartbeat_interval=10.0, timeout=2.0):
        if self._initialised:
            return
        self._initialised = True
        self._pid = os.getpid()
        self.url = url.rstrip("/")
        self.instance_id = instance_id or "mcp-%s-%d" % (socket.gethostname(), os.getpid())
        self.started_at = started_at or _utc_now()
        self.token = token or None
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.heartbeat_interval = heartbeat_interval
        self.timeout = timeout
        self.dropped = 0
        self.sent_snapshots = 0
        self.sent_events = 0
        self.ended = False
        self._events = deque(maxlen=max_events)
        self._dicts = {}  # id(dict) -> [name, dict]
        self._snapshot_dirty = False
        self._last_snapshot_sent = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="l9-state-exporter", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # --- called by the orchestrator; never blocks, never raises ---

    def snapshot(self, active_indexers, name=None):
        """Track this dict (the orchestrator's own, by identity) and send the process's dicts soon.

        ``name`` labels the dict in reports (default: "orchestrator-1", "-2", … in order seen).
        """
        try:
            with self._lock:
                tracked = self._dicts.get(id(active_indexers))
                if tracked is None and len(self._dicts) < MAX_TRACKED_DICTS:
                    label = name or "orchestrator-%d" % (len(self._dicts) + 1)
                    self._dicts[id(active_indexers)] = [label, active_indexers]
                elif tracked is not None and name:
                    tracked[0] = name
                self._snapshot_dirty = True
            self._wake.set()
        except Exception:  # noqa: BLE001 - never raise into the orchestrator
            log.debug("snapshot ignored", exc_info=True)

    def forget(self, active_indexers):
        """Stop tracking a dict (its orchestrator was discarded)."""
        try:
            with self._lock:
                if self._dicts.pop(id(active_indexers), None) is not None:
                    self._snapshot_dirty = True
            self._wake.set()
        except Exception:  # noqa: BLE001
            log.debug("forget ignored", exc_info=True)

    def read(self, project, served_by, docker_ok, latency_ms=None, at=None):
        """Record one read: served_by is "docker", "fallback" or "none" (nothing answered)."""
        try:
            event = {"at": at or _utc_now(), "project": str(project), "served_by": served_by,
                     "docker_ok": bool(docker_ok), "latency_ms": None if latency_ms is None else float(latency_ms)}
            with self._lock:
                if len(self._events) == self._events.maxlen:
                    self.dropped += 1
                self._events.append(event)
                full = len(self._events) >= self.batch_size
            if full:
                self._wake.set()
        except Exception:  # noqa: BLE001
            log.debug("read event ignored", exc_info=True)

    def close(self, timeout=5.0):
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

    # --- the background thread ---

    def _run(self):
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

    def _body(self, ended=False):
        with self._lock:
            tracked = [(name, d) for name, d in self._dicts.values()]
        orchestrators = []
        union = {}
        for name, d in tracked:
            # dict(d) copies in one step under the GIL, so a concurrent change cannot tear it.
            entries = {str(k): _entry(v) for k, v in dict(d).items()}
            orchestrators.append({"name": name, "indexers": entries})
            for project, e in entries.items():
                union.setdefault(project, e)
        body = {"instance_id": self.instance_id, "started_at": self.started_at, "taken_at": _utc_now(),
                "indexers": union, "orchestrators": orchestrators}
        if ended:
            body["ended"] = True
        return body

    def _send_snapshot(self, ended=False):
        with self._lock:
            if not self._dicts:
                return False
            self._snapshot_dirty = False
        ok = self._post("/api/v1/ingest/active-indexers", self._body(ended))
        if ok:
            self.sent_snapshots += 1
            self._last_snapshot_sent = time.monotonic()
        else:
            with self._lock:
                self._snapshot_dirty = True
        return ok

    def _flush(self, final=False):
        with self._lock:
            due = bool(self._dicts) and (
                self._snapshot_dirty or time.monotonic() - self._last_snapshot_sent >= self.heartbeat_interval)
        # The final snapshot (ended) is sent by close(); no ordinary one right before it.
        if due and not final:
            self._send_snapshot()
        while True:
            with self._lock:
                batch = [self._events.popleft() for _ in range(min(self.batch_size, len(self._events)))]
            if not batch:
                return
            if self._post("/api/v1/ingest/read-events", {"instance_id": self.instance_id, "events": batch}):
                self.sent_events += len(batch)
            else:
                with self._lock:
                    # Put them back (oldest first) as far as the bound allows; the rest are dropped.
                    room = self._events.maxlen - len(self._events)
                    self.dropped += max(0, len(batch) - room)
                    self._events.extendleft(reversed(batch[-room:] if room else []))
                return

    def _post(self, path, body):
        data = json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method="POST", headers={"content-type": "application/json"})
        if self.token:
            req.add_header("authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return res.status == 202
        except urllib.error.HTTPError as err:
            # 400/401/413 will not get better by retrying: log and drop.
            log.warning("L9 State Health refused %s: %s %s", path, err.code, err.read()[:300])
            return err.code not in (408, 429, 500, 502, 503, 504)
        except (OSError, ValueError) as err:
            log.debug("L9 State Health unreachable: %s", err)
            return False
