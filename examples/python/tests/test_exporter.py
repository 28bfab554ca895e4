"""The exporter against a real HTTP receiver on loopback, with objects shaped like the branch's
IndexerOrchestrator (branch_like.py cites the lines). Subprocesses are real Python processes."""

from __future__ import annotations

import datetime
import gc
import importlib.metadata
import os
import signal
import subprocess
import sys
import textwrap
import time
from typing import Any, Dict, List

import pytest

import l9_state_exporter
from l9_state_exporter import L9StateExporter
from branch_like import BranchLikeOrchestrator, DockerAPIError

SNAPSHOTS = "/api/v1/ingest/active-indexers"
READS = "/api/v1/ingest/read-events"
FAILURES = "/api/v1/ingest/allocation-failed"
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def last(receiver, instance_id: str, path: str = SNAPSHOTS) -> Dict[str, Any]:
    return receiver.wait_for(lambda: receiver.bodies(path, instance_id)[-1:], "a body from " + instance_id)[0]


def test_the_installed_distribution_is_this_version() -> None:
    assert importlib.metadata.version("l9-state-exporter") == l9_state_exporter.__version__ == "1.3.0"
    assert "site-packages" in l9_state_exporter.__file__  # the pip-installed copy, not the source tree


def test_the_dict_api_sends_the_1_1_body_unchanged(receiver, make_exporter) -> None:
    e = make_exporter()
    d = {"alpha": {"container_id": "3f9c2a1b7d0e", "port": "48101", "last_activity": "2025-09-24T09:59:51",
                   "project_path": "/home/dev/alpha"},
         "beta": {"container_id": "ab" * 32, "port": "", "last_activity": datetime.datetime(2025, 9, 24, 10, 0, 0, 123456)}}
    e.snapshot(d)
    body = last(receiver, e.instance_id)
    # 1.3 adds code_version (the git SHA of the working directory, when it is a checkout) and nothing else.
    assert sorted(k for k in body if k != "code_version") == ["indexers", "instance_id", "orchestrators", "started_at", "taken_at"]
    expected = {
        "alpha": {"container_id": "3f9c2a1b7d0e", "port": 48101, "last_activity": "2025-09-24T09:59:51",
                  "project_path": "/home/dev/alpha"},
        "beta": {"container_id": "ab" * 32, "port": None, "last_activity": "2025-09-24T10:00:00.123456",
                 "project_path": None},
    }
    assert body["indexers"] == expected
    assert body["orchestrators"] == [{"name": "orchestrator-1", "indexers": expected}]
    assert body["taken_at"].endswith("Z") and body["started_at"].endswith("Z")


def test_one_exporter_per_process_is_the_union_of_every_dict_and_object(receiver, make_exporter) -> None:
    e = make_exporter(instance_id="mcp-union")
    assert L9StateExporter(receiver.url, instance_id="mcp-union") is e
    d1 = {"alpha": {"container_id": "a" * 12, "port": 48101}}
    d2 = {"alpha": {"container_id": "a" * 12, "port": 48199}, "beta": {"container_id": "b" * 12, "port": 48102}}
    orch = BranchLikeOrchestrator()
    orch.ensure("gamma", "/home/dev/gamma")
    e.snapshot(d1, name="orchestrator-alpha")
    L9StateExporter(receiver.url, instance_id="mcp-union").snapshot(d2)
    e.track(orch, name="shared")
    body = receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, "mcp-union") if "gamma" in b["indexers"]],
                             "all three tracked")[-1]
    assert sorted(body["indexers"]) == ["alpha", "beta", "gamma"]
    assert [(o["name"], sorted(o["indexers"])) for o in body["orchestrators"]] == [
        ("orchestrator-alpha", ["alpha"]), ("orchestrator-2", ["alpha", "beta"]), ("shared", ["gamma"])]
    # Each dict keeps its own values, so two copies that disagree stay visible (6a).
    assert body["orchestrators"][1]["indexers"]["alpha"]["port"] == 48199
    # Only the tracked object has the 1.2 attributes; the dicts' rows are as in 1.1.
    assert sorted(body["orchestrators"][0]) == ["indexers", "name"]
    assert sorted(body["orchestrators"][2]) == ["allocated_ports", "indexers", "name", "stopped_indexers"]


def test_track_follows_a_rebuilt_dict_without_forget(receiver, make_exporter) -> None:
    orch = BranchLikeOrchestrator()
    e = make_exporter().track(orch)
    alpha = orch.ensure("alpha", "/home/dev/alpha")
    receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "alpha" in b["indexers"]], "alpha")
    old = orch.active_indexers
    orch.rebuild({"beta": {"container_id": "b" * 64, "port": 48101, "last_activity": "2026-12-01T10:00:00",
                           "project_path": "/home/dev/beta"}})
    assert orch.active_indexers is not old and "alpha" in old  # the old dict object still exists, unchanged
    body = receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "beta" in b["indexers"]],
                             "the rebuilt dict")[-1]
    assert sorted(body["indexers"]) == ["beta"]
    assert body["indexers"]["beta"]["container_id"] == "b" * 64
    assert alpha not in str(body["indexers"])


def test_stopped_indexers_are_sent_as_the_attribute_holds_them_with_utc_stop_times(receiver, make_exporter, monkeypatch) -> None:
    # The branch writes datetime.now(): naive local time. Put the process 5h30 east of UTC.
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()
    try:
        orch = BranchLikeOrchestrator()
        cid = orch.ensure("alpha", "/home/dev/alpha")
        orch.ensure("beta", "/home/dev/beta")
        orch.stop_only("alpha")
        stop_time = orch.stopped_indexers["alpha"]["stop_time"]
        assert stop_time.tzinfo is None
        e = make_exporter().track(orch)
        body = last(receiver, e.instance_id)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    utc = (stop_time - datetime.timedelta(hours=5, minutes=30)).isoformat() + "Z"
    assert body["stopped_indexers"] == {"alpha": {"container_id": cid, "stop_time": utc, "port": 48100,
                                                  "project_path": "/home/dev/alpha"}}
    assert sorted(body["indexers"]) == ["beta"]
    assert body["orchestrators"][0]["stopped_indexers"] == body["stopped_indexers"]


def test_allocated_ports_are_read_from_the_set_with_their_holder_and_first_sighting(receiver, make_exporter) -> None:
    orch = BranchLikeOrchestrator()
    orch.ensure("alpha", "/home/dev/alpha")
    orch.ensure("beta", "/home/dev/beta")
    orch.stop_only("beta")  # the port stays reserved (line 877)
    with pytest.raises(DockerAPIError) as refused:
        orch.ensure_refused("gamma")
    assert "port is already allocated" in refused.value.explanation  # 48102 stays in the set, held by nobody
    assert orch.allocated_ports == {48100, 48101, 48102}
    e = make_exporter().track(orch)
    first = last(receiver, e.instance_id)
    ports = [(a["port"], a["project"]) for a in first["allocated_ports"]]
    assert ports == [(48100, "alpha"), (48101, "beta"), (48102, None)]
    assert all(a["since"].endswith("Z") for a in first["allocated_ports"])
    orch.allocated_ports.discard(48101)
    orch.ensure("delta", "/home/dev/delta")  # takes the freed 48101
    later = receiver.wait_for(
        lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "delta" in b["indexers"]], "delta")[-1]
    by_port = {a["port"]: a for a in later["allocated_ports"]}
    assert by_port[48101]["project"] == "delta"
    # A port still in the set keeps the time it was first seen: its age grows (port_leak needs it).
    assert by_port[48102]["since"] == first["allocated_ports"][2]["since"]
    assert later["orchestrators"][0]["allocated_ports"] == later["allocated_ports"]


def test_a_mapping_of_allocated_ports_names_its_projects(receiver, make_exporter) -> None:
    class DictPorts:
        def __init__(self) -> None:
            self.active_indexers: Dict[str, dict] = {}
            self.allocated_ports = {"alpha": 48100, "beta": "48101", "junk": "x"}

    orch = DictPorts()  # tracked by a weak reference: the caller keeps it alive, as the orchestrator's owner does
    e = make_exporter().track(orch)
    body = last(receiver, e.instance_id)
    assert [(a["port"], a["project"]) for a in body["allocated_ports"]] == [(48100, "alpha"), (48101, "beta")]
    assert "stopped_indexers" not in body


def run_process(url: str, project: str, tail: str, env: Dict[str, str] = None) -> subprocess.Popen:
    """A real orchestrator process: one branch-like orchestrator, the exporter tracking it, as the README says."""
    script = textwrap.dedent("""
        import sys, time
        sys.path.insert(0, %r)
        from branch_like import BranchLikeOrchestrator, DockerAPIError
        from l9_state_exporter import L9StateExporter
        orch = BranchLikeOrchestrator()
        e = L9StateExporter(%r, flush_interval=0.05, heartbeat_interval=0.3).track(orch)
        orch.ensure(%r, "/home/dev/" + %r)
        deadline = time.time() + 10
        while e.sent_snapshots < 1 and time.time() < deadline:
            time.sleep(0.02)
        print(e.instance_id, flush=True)
    """) % (TESTS_DIR, url, project, project) + textwrap.dedent(tail)
    return subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def test_several_processes_each_report_only_their_own_project(receiver) -> None:
    projects = ["alpha", "beta", "gamma"]
    procs = [run_process(receiver.url, p, "sys.stdin.readline()\n") for p in projects]
    try:
        ids = [p.stdout.readline().strip() for p in procs]
        assert len(set(ids)) == 3 and all(i.startswith("mcp-") for i in ids)
        # All three alive at once: each one's bodies hold its own project and nothing else.
        for instance_id, project in zip(ids, projects):
            receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, instance_id) if project in b["indexers"]],
                              project + " from its own process")
            bodies = receiver.bodies(SNAPSHOTS, instance_id)
            assert all(set(b["indexers"]) <= {project} for b in bodies) and project in bodies[-1]["indexers"]
            # Each process allocated 48100 in its own memory, as the branch does.
            assert bodies[-1]["allocated_ports"][0]["port"] == 48100
            assert bodies[-1]["allocated_ports"][0]["project"] == project
    finally:
        errors = [p.communicate("\n", timeout=20)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0] and errors == ["", "", ""]
    for instance_id, project in zip(ids, projects):
        final = receiver.bodies(SNAPSHOTS, instance_id)[-1]
        assert final["ended"] is True and sorted(final["indexers"]) == [project]


def test_a_clean_exit_sends_an_ended_snapshot_and_a_killed_process_does_not(receiver) -> None:
    clean = run_process(receiver.url, "alpha", "")
    out, err = clean.communicate(timeout=20)
    assert clean.returncode == 0 and err == ""
    ended = receiver.bodies(SNAPSHOTS, out.strip())
    assert ended[-1]["ended"] is True and sorted(ended[-1]["indexers"]) == ["alpha"]
    assert all("ended" not in b for b in ended[:-1])

    killed = run_process(receiver.url, "beta", "time.sleep(60)\n")
    instance_id = killed.stdout.readline().strip()
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=20)
    bodies = receiver.bodies(SNAPSHOTS, instance_id)
    assert bodies and all("ended" not in b for b in bodies)


def test_read_events_carry_cache_age_and_fallback_via_only_when_given(receiver, make_exporter) -> None:
    e = make_exporter(batch_size=4)
    e.read("alpha", "docker", True, 7.2, at="2026-12-01T10:00:01Z")
    e.read("alpha", served_by="cache", latency_ms=0.4, cache_age_ms=12000, at="2026-12-01T10:00:02Z")
    e.read("alpha", served_by="fallback", docker_ok=False, fallback_via="env", at="2026-12-01T10:00:03Z")
    e.read("alpha", served_by="none", docker_ok=False, at="2026-12-01T10:00:04Z")
    events = receiver.wait_for(lambda: sum((b["events"] for b in receiver.bodies(READS, e.instance_id)), [])[3:] and
                               sum((b["events"] for b in receiver.bodies(READS, e.instance_id)), []), "four events")
    assert events == [
        {"at": "2026-12-01T10:00:01Z", "project": "alpha", "served_by": "docker", "docker_ok": True, "latency_ms": 7.2},
        {"at": "2026-12-01T10:00:02Z", "project": "alpha", "served_by": "cache", "docker_ok": False, "latency_ms": 0.4,
         "cache_age_ms": 12000.0},
        {"at": "2026-12-01T10:00:03Z", "project": "alpha", "served_by": "fallback", "docker_ok": False,
         "latency_ms": None, "fallback_via": "env"},
        {"at": "2026-12-01T10:00:04Z", "project": "alpha", "served_by": "none", "docker_ok": False, "latency_ms": None},
    ]


def test_allocation_failures_go_to_their_own_route(receiver, make_exporter) -> None:
    e = make_exporter()
    orch = BranchLikeOrchestrator()
    orch.ensure("alpha", "/home/dev/alpha")
    try:
        orch.ensure_refused("beta")
    except Exception as docker_error:
        # service_container.py (lines 245-253) wraps it: "Indexer for 'beta' could not be started."
        try:
            raise RuntimeError("Indexer for 'beta' could not be started.") from docker_error
        except RuntimeError as wrapped:
            assert e.ensure_failed("beta", wrapped) is True
    assert e.ensure_failed("beta", ValueError("Project path does not exist: /nope")) is False
    e.allocation_failed("gamma", "48105", "Bind for 0.0.0.0:48105 failed: port is already allocated",
                        at="2026-12-01T10:42:00Z")
    receiver.wait_for(lambda: sum(len(b["events"]) for b in receiver.bodies(FAILURES, e.instance_id)) >= 2,
                      "two allocation failures")
    bodies = receiver.bodies(FAILURES, e.instance_id)
    assert all(sorted(b) == ["events", "instance_id"] for b in bodies)
    first, second = sum((b["events"] for b in bodies), [])
    assert first["project"] == "beta" and first["port"] == 48101
    assert "Bind for 0.0.0.0:48101 failed: port is already allocated" in first["message"]
    assert "could not be started" in first["message"]
    assert first["at"].endswith("Z")
    assert second == {"at": "2026-12-01T10:42:00Z", "project": "gamma", "port": 48105,
                      "message": "Bind for 0.0.0.0:48105 failed: port is already allocated"}


def test_nothing_escapes_into_the_orchestrator_when_the_app_is_down_and_queues_stay_bounded(receiver) -> None:
    receiver.close()  # its port is now closed: every request is refused
    orch = BranchLikeOrchestrator()
    e = L9StateExporter(receiver.url, instance_id="mcp-down", flush_interval=0.02, max_events=10, timeout=0.2)
    e.track(orch)
    e.snapshot({"alpha": object()})
    for i in range(50):
        orch.ensure("p%d" % i, "/home/dev/p%d" % i)
        e.read("alpha", "docker", True, 1.0)
        e.allocation_failed("alpha", 48100, "port is already allocated")
        e.ensure_failed("alpha", RuntimeError("Bind for 0.0.0.0:48100 failed: port is already allocated"))
    assert len(e._events) <= 10 and len(e._failures) <= 10
    e.close(timeout=2)
    assert e.sent_events == 0 and e.sent_snapshots == 0 and e.dropped >= 40 + 90


def test_a_failing_app_gets_the_events_again_and_a_refusing_one_does_not(receiver, make_exporter) -> None:
    receiver.status = 503
    e = make_exporter(batch_size=2)
    e.read("alpha", "docker", True, at="2026-12-01T10:00:01Z")
    e.read("alpha", "docker", True, at="2026-12-01T10:00:02Z")
    receiver.wait_for(lambda: len(receiver.bodies(READS, e.instance_id)) >= 2, "a retry after 503")
    receiver.status = 400
    receiver.wait_for(lambda: e.sent_events == 2, "handled after 400")
    e.close(timeout=2)
    answers = [(r["status"], [x["at"] for x in r["body"]["events"]]) for r in receiver.requests if r["path"] == READS]
    batch = ["2026-12-01T10:00:01Z", "2026-12-01T10:00:02Z"]
    assert answers[0] == answers[1] == (503, batch)  # the same batch again, oldest first
    assert [a for a in answers if a[0] == 400] == [(400, batch)]  # refused once, never sent again
    assert e.dropped == 0


def test_an_unreadable_orchestrator_sends_no_half_snapshot_and_raises_nothing(receiver, make_exporter) -> None:
    class Broken:
        stopped_indexers: Dict[str, dict] = {}
        allocated_ports: set = set()

        @property
        def active_indexers(self) -> Dict[str, dict]:
            raise RuntimeError("boom")

    e = make_exporter()
    d = {"alpha": {"container_id": "a" * 12}}
    e.snapshot(d)
    receiver.wait_for(lambda: receiver.bodies(SNAPSHOTS, e.instance_id), "the dict alone")
    broken = Broken()
    assert e.track(broken) is e
    e.track(object())  # no attributes at all: an empty orchestrator, not an error
    d["beta"] = {"container_id": "b" * 12}
    # While it is tracked no snapshot is made: one without its projects would call them missing.
    assert e._body() is None and e._send_snapshot() is False
    e.forget(broken)
    body = receiver.wait_for(
        lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "beta" in b["indexers"]], "after forget")[-1]
    assert sorted(body["indexers"]) == ["alpha", "beta"]


def test_a_garbage_collected_orchestrator_drops_out(receiver, make_exporter) -> None:
    e = make_exporter()
    keep, gone = BranchLikeOrchestrator(), BranchLikeOrchestrator()
    keep.ensure("alpha", "/home/dev/alpha")
    gone.ensure("beta", "/home/dev/beta")
    e.track(keep).track(gone)
    receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "beta" in b["indexers"]], "both")
    del gone
    gc.collect()
    body = receiver.wait_for(
        lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if sorted(b["indexers"]) == ["alpha"]], "beta gone")
    assert len(body[-1]["orchestrators"]) == 1


def test_url_and_token_default_to_the_environment(receiver, monkeypatch) -> None:
    monkeypatch.setenv("L9_STATE_URL", receiver.url + "/")
    monkeypatch.setenv("L9_INGEST_TOKEN", "s3cret-token-16chars")
    e = L9StateExporter(instance_id="mcp-env", flush_interval=0.05)
    try:
        assert e.url == receiver.url
        e.snapshot({"alpha": {"container_id": "a" * 12}})
        receiver.wait_for(lambda: receiver.bodies(SNAPSHOTS, "mcp-env"), "a body")
        headers: List[Dict[str, str]] = [r["headers"] for r in receiver.requests]
        assert {h.get("Authorization") or h.get("authorization") for h in headers} == {"Bearer s3cret-token-16chars"}
    finally:
        e.close(timeout=2)
