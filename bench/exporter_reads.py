"""Issue 25: what counting a legacy read costs (exporter ``track(obj, count_reads=True)``).

Times each read form on a plain dict and on the exporter's CountingDict in the same run and
prints the cost per read and the overhead. ``npm run bench:exporter``; figures in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import platform
import sys
import timeit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "python"))

from l9_state_exporter.legacy_reads import CountingDict, ReadCounter  # noqa: E402

N = int(os.environ.get("BENCH_READS", "1000000"))
REPEAT = 5

entries = {"project-%d" % i: {"container_id": "%064x" % i, "port": 48100 + i} for i in range(50)}
plain = dict(entries)
counted = CountingDict(entries, ReadCounter(), "active_indexers")

FORMS = [
    ("d[k]", "d['project-7']"),
    ("k in d", "'project-7' in d"),
    ("d.get(k)", "d.get('project-7')"),
    ("k in d and d[k].get('port') (get_indexer_port)", "'project-7' in d and d['project-7'].get('port')"),
]


def per_read_ns(stmt: str, d: dict, reads: int) -> float:
    best = min(timeit.repeat(stmt, globals={"d": d}, number=N, repeat=REPEAT))
    return best / N / reads * 1e9


print("Python %s on %s, %d reads per form, best of %d" % (platform.python_version(), platform.machine(), N, REPEAT))
print("%-48s %10s %10s %10s" % ("read", "plain ns", "counted ns", "overhead"))
for name, stmt in FORMS:
    reads = 2 if " and " in stmt else 1
    a = per_read_ns(stmt, plain, reads)
    b = per_read_ns(stmt, counted, reads)
    print("%-48s %10.1f %10.1f %+9.1f" % (name, a, b, b - a))
sites = len(counted._l9_counter.counts)  # noqa: SLF001
print("call sites counted: %d (one per read form: the site is this file's timeit line)" % sites)
