"""Counting reads of the legacy dicts (ADR-0098 Phase 4: nothing may read them any more).

``track(orchestrator, count_reads=True)`` replaces ``active_indexers`` (and the context manager's
``container_registry``) with a ``dict`` subclass that counts every read by its caller's file:line.
Writes are not counted. The counter is a plain dict updated under the GIL: a rare lost increment
under contention is accepted, a lock per read is not.
"""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

# What Phase 4 removes: on the orchestrator object and on its context_manager.
LEGACY_ATTRIBUTES: Tuple[str, ...] = ("active_indexers", "container_registry")
MAX_SITES = 500

Site = Tuple[str, str, int]  # (dict, file, line)
_getframe = sys._getframe  # noqa: SLF001 - the caller's frame is the call site
_now = time.time


class ReadCounter:
    """Reads by call site: count and last read (epoch seconds), since ``since``."""

    def __init__(self) -> None:
        self.since = datetime.datetime.now(datetime.timezone.utc)
        self.counts: Dict[Site, List[float]] = {}  # site -> [count, last read]
        self.overflow = 0

    def note(self, name: str, depth: int) -> None:
        frame = _getframe(depth + 1)  # the caller of the dict method
        key = (name, frame.f_code.co_filename, frame.f_lineno)
        entry = self.counts.get(key)
        if entry is not None:
            entry[0] += 1
            entry[1] = _now()
        else:
            self.first(key)

    def first(self, key: Site) -> None:
        """A call site's first read (bounded: beyond MAX_SITES sites, reads are only counted apart)."""
        if len(self.counts) < MAX_SITES:
            self.counts[key] = [1, _now()]
        else:
            self.overflow += 1

    def report(self) -> Dict[str, Any]:
        sites = []
        for (name, filename, line), (count, at) in sorted(dict(self.counts).items()):
            sites.append({"dict": name, "site": "%s:%d" % (filename, line), "count": int(count),
                          "last_read": _iso(at)})
        out: Dict[str, Any] = {"since": _iso(self.since.timestamp()), "sites": sites}
        if self.overflow:
            out["overflow"] = self.overflow
        return out


def _iso(epoch: float) -> str:
    value = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return value.isoformat().replace("+00:00", "Z")


class CountingDict(dict):  # type: ignore[type-arg]
    """A dict whose reads are counted by call site; ``isinstance(x, dict)`` stays true."""

    __slots__ = ("_l9_counter", "_l9_counts", "_l9_name")

    def __init__(self, data: Any, counter: ReadCounter, name: str) -> None:
        super().__init__(data)
        self._l9_counter = counter
        self._l9_counts = counter.counts
        self._l9_name = name

    # The three reads the branch makes most, counted inline (one Python call less per read).
    def __getitem__(self, key: Any) -> Any:
        f = _getframe(1)
        site = (self._l9_name, f.f_code.co_filename, f.f_lineno)
        entry = self._l9_counts.get(site)
        if entry is None:
            self._l9_counter.first(site)
        else:
            entry[0] += 1
            entry[1] = _now()
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        f = _getframe(1)
        site = (self._l9_name, f.f_code.co_filename, f.f_lineno)
        entry = self._l9_counts.get(site)
        if entry is None:
            self._l9_counter.first(site)
        else:
            entry[0] += 1
            entry[1] = _now()
        return dict.get(self, key, default)

    def __contains__(self, key: Any) -> bool:
        f = _getframe(1)
        site = (self._l9_name, f.f_code.co_filename, f.f_lineno)
        entry = self._l9_counts.get(site)
        if entry is None:
            self._l9_counter.first(site)
        else:
            entry[0] += 1
            entry[1] = _now()
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._l9_counter.note(self._l9_name, 1)
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._l9_counter.note(self._l9_name, 1)
        return dict.__len__(self)

    def keys(self) -> Any:
        self._l9_counter.note(self._l9_name, 1)
        return dict.keys(self)

    def values(self) -> Any:
        self._l9_counter.note(self._l9_name, 1)
        return dict.values(self)

    def items(self) -> Any:
        self._l9_counter.note(self._l9_name, 1)
        return dict.items(self)

    def copy(self) -> Dict[Any, Any]:
        self._l9_counter.note(self._l9_name, 1)
        return dict(dict.items(self))

    def __reduce__(self) -> Any:  # pickles and deep-copies as a plain dict
        return (dict, (dict(dict.items(self)),))


def plain_copy(value: Any) -> Optional[Dict[Any, Any]]:
    """The exporter's own read of a wrapped dict: not counted."""
    if isinstance(value, CountingDict):
        return dict(dict.items(value))
    return None


def wrap_legacy(target: Any, counter: ReadCounter) -> None:
    """(Re)wraps the legacy dicts on ``target`` and its ``context_manager``; a rebuilt dict is wrapped again."""
    holders = [target]
    context = getattr(target, "context_manager", None)
    if context is not None:
        holders.append(context)
    for holder in holders:
        for name in LEGACY_ATTRIBUTES:
            value = getattr(holder, name, None)
            if isinstance(value, dict) and not isinstance(value, CountingDict):
                setattr(holder, name, CountingDict(value, counter, name))
