"""A real HTTP receiver on loopback (http.server in a thread) standing in for the app's ingest routes."""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

from l9_state_exporter import L9StateExporter


class Receiver:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.status = 202
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with receiver._lock:
                    status = receiver.status
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers.items()),
                                              "body": json.loads(raw.decode("utf-8")), "status": status})
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def bodies(self, path: str = "/api/v1/ingest/active-indexers", instance_id: Optional[str] = None) -> List[Dict[str, Any]]:
        with self._lock:
            return [r["body"] for r in self.requests
                    if r["path"] == path and (instance_id is None or r["body"].get("instance_id") == instance_id)]

    def wait_for(self, predicate: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
        """Polls until predicate() is truthy; the generous bound only stops a broken test."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
        raise AssertionError("never happened: %s; received %s" % (what, json.dumps(self.requests)[-2000:]))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


_ids = itertools.count(1)


@pytest.fixture
def make_exporter(receiver: Receiver) -> Iterator[Callable[..., L9StateExporter]]:
    """A fresh exporter per call (its own instance_id), quick intervals, closed after the test."""
    made: List[L9StateExporter] = []

    def make(**kwargs: Any) -> L9StateExporter:
        kwargs.setdefault("instance_id", "mcp-test-%d-%d" % (int(time.time()), next(_ids)))
        kwargs.setdefault("flush_interval", 0.05)
        kwargs.setdefault("heartbeat_interval", 0.3)
        e = L9StateExporter(kwargs.pop("url", receiver.url), **kwargs)
        made.append(e)
        return e

    yield make
    for e in made:
        e.close(timeout=2)
