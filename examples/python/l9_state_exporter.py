"""L9 State Health exporter: send an orchestrator's active_indexers and read-path events.

Standard library only, Python 3.9+. Drop this file next to the orchestrator and add:

    from l9_state_exporter import L9StateExporter
    exporter = L9StateExporter("http://127.0.0.1:3000", token=os.environ.get("L9_INGEST_TOKEN"))
    exporter.snapshot(self.active_indexers)          # after every change to the dict
    exporter.read(project, served_by="docker", docker_ok=True, latency_ms=7.2)   # on each read

Nothing here blocks the caller or raises into it: work goes to a bounded queue that one
daemon thread drains. Snapshots are coalesced (only the newest is sent) and re-sent as a
heartbeat; read events are batched. If the dashboard is down, events beyond the queue's
bound are dropped and counted (``exporter.dropped``), never buffered without limit.
"""

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


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return None if value is None else str(value)


def _entry(value):
    """One active_indexers value (a dict or an object with attributes) as the contract's shape."""
    get = value.get if isinstance(value, dict) else (lambda k, d=None: getattr(value, k, d))
    cid = get("container_id") or get("id")
    port = get("port")
    try:
        port = int(port) if port is not None else None
    except (TypeError, ValueError):
        port = None
    return {
        "container_id": str(cid) if cid else None,
        "port": port,
        "last_activity": _iso(get("last_activity")),
        "project_path": get("project_path"),
    }


class L9StateExporter:
    def __init__(self, url="http://127.0.0.1:3000", instance_id=None, token=None, started_at=None,
                 max_events=10000, batch_size=500, flush_interval=1.0, heartbeat_interval=10.0, timeout=2.0):
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
        self._events = deque(maxlen=max_events)
        self._snapshot = None
        self._snapshot_dirty = False
        self._last_snapshot_sent = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="l9-state-exporter", daemon=True)
        self._thread.start()

    # --- called by the orchestrator; never blocks, never raises ---

    def snapshot(self, active_indexers):
        """Record the dict as it is now (copied); the newest one is sent soon."""
        try:
            indexers = {str(k): _entry(v) for k, v in dict(active_indexers).items()}
            with self._lock:
                self._snapshot = indexers
                self._snapshot_dirty = True
            self._wake.set()
        except Exception:  # noqa: BLE001 - never raise into the orchestrator
            log.debug("snapshot ignored", exc_info=True)

    def read(self, project, served_by, docker_ok, latency_ms=None, at=None):
        """Record one read: served_by is "docker" or "fallback"."""
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
        """Send what is pending (best effort, bounded by timeout) and stop the thread."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    # --- the background thread ---

    def _run(self):
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            stopping = self._stop.is_set()
            try:
                self._flush()
            except Exception:  # noqa: BLE001
                log.debug("flush failed", exc_info=True)
            if stopping:
                return

    def _flush(self):
        with self._lock:
            due = self._snapshot is not None and (
                self._snapshot_dirty or time.monotonic() - self._last_snapshot_sent >= self.heartbeat_interval)
            snap = self._snapshot if due else None
            self._snapshot_dirty = False if due else self._snapshot_dirty
        if snap is not None:
            body = {"instance_id": self.instance_id, "started_at": self.started_at, "taken_at": _utc_now(), "indexers": snap}
            if self._post("/api/v1/ingest/active-indexers", body):
                self.sent_snapshots += 1
                self._last_snapshot_sent = time.monotonic()
            else:
                with self._lock:
                    self._snapshot_dirty = True
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
