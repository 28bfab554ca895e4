"""Issue 25: mode and code version in every snapshot; legacy reads counted by call site."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
from typing import Any, Dict

import branch_like
from branch_like import BranchLikeContextManager, BranchLikeOrchestrator
from l9_state_exporter.legacy_reads import CountingDict

SNAPSHOTS = "/api/v1/ingest/active-indexers"


def _line(fn: Any, text: str) -> str:
    """branch_like.py:N of the line of ``fn`` holding ``text`` (the call site the exporter must name)."""
    lines, start = inspect.getsourcelines(fn)
    n = next(i for i, line in enumerate(lines) if text in line)
    return "%s:%d" % (branch_like.__file__, start + n)


def test_mode_and_code_version_are_in_every_snapshot_and_a_callable_mode_is_re_read(receiver, make_exporter) -> None:
    flag = {"mode": "dict_first"}
    e = make_exporter(mode=lambda: flag["mode"], code_version="e94f4d8")
    orch = BranchLikeOrchestrator()
    orch.ensure("alpha", "/home/dev/alpha")
    e.track(orch)
    first = receiver.wait_for(lambda: receiver.bodies(SNAPSHOTS, e.instance_id), "a snapshot")[0]
    assert (first["mode"], first["code_version"]) == ("dict_first", "e94f4d8")
    flag["mode"] = "docker_first"  # the orchestrator's flag flips: the next flush says so, no heartbeat needed
    later = receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id)
                                       if b.get("mode") == "docker_first"], "the new mode")[0]
    assert later["code_version"] == "e94f4d8"
    assert "legacy_reads" not in later  # not asked for


def test_mode_and_version_default_to_the_environment_and_a_bad_mode_is_left_out(receiver, make_exporter, monkeypatch) -> None:
    monkeypatch.setenv("L9_ORCHESTRATOR_MODE", "write_through")
    monkeypatch.setenv("L9_CODE_VERSION", "v0.9.1")
    e = make_exporter()
    e.track(BranchLikeOrchestrator())
    body = receiver.wait_for(lambda: receiver.bodies(SNAPSHOTS, e.instance_id), "a snapshot")[0]
    assert (body["mode"], body["code_version"]) == ("write_through", "v0.9.1")
    bad = make_exporter(mode="phase-2")
    bad.track(BranchLikeOrchestrator())
    body = receiver.wait_for(lambda: receiver.bodies(SNAPSHOTS, bad.instance_id), "a snapshot")[0]
    assert "mode" not in body  # the app would refuse the whole snapshot for it


def test_reads_of_the_legacy_dicts_are_counted_by_call_site_and_writes_and_the_exporter_are_not(receiver, make_exporter) -> None:
    ctx = BranchLikeContextManager()
    orch = BranchLikeOrchestrator(context_manager=ctx)
    orch.ensure("alpha", "/home/dev/alpha")
    ctx.container_registry["alpha"] = 48100
    e = make_exporter(heartbeat_interval=0.2)
    e.track(orch, count_reads=True)
    assert isinstance(orch.active_indexers, CountingDict) and isinstance(ctx.container_registry, CountingDict)
    for _ in range(3):
        assert orch.get_indexer_port("alpha") == 48100
    assert orch.get_indexer_port("missing") is None
    assert ctx.used_ports() == {48100}
    orch.ensure("beta", "/home/dev/beta")  # writes only
    body = receiver.wait_for(
        lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "beta" in b["indexers"]
                 and b.get("legacy_reads", {}).get("sites")], "counted reads")[-1]
    sites: Dict[str, Dict[str, Any]] = {s["site"]: s for s in body["legacy_reads"]["sites"]}
    contains = _line(BranchLikeOrchestrator.get_indexer_port, "if project_name in")
    getitem = _line(BranchLikeOrchestrator.get_indexer_port, "return self.active_indexers[")
    values = _line(BranchLikeContextManager.used_ports, "container_registry.values()")
    assert {k: (v["dict"], v["count"]) for k, v in sites.items()} == {
        contains: ("active_indexers", 4), getitem: ("active_indexers", 3), values: ("container_registry", 1)}
    assert all(v["last_read"].endswith("Z") for v in sites.values())
    assert body["legacy_reads"]["since"].endswith("Z")


def test_a_rebuilt_dict_is_counted_again_and_a_counted_dict_behaves_as_a_dict(receiver, make_exporter) -> None:
    orch = BranchLikeOrchestrator()
    e = make_exporter(heartbeat_interval=0.2)
    e.track(orch, count_reads=True)
    orch.rebuild({"gamma": {"container_id": "c" * 64, "port": 48102}})  # self.active_indexers = {} (Phase 3)
    receiver.wait_for(lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id) if "gamma" in b["indexers"]],
                      "the rebuilt dict")
    assert isinstance(orch.active_indexers, CountingDict)
    assert orch.port_of("gamma") == 48102
    d = orch.active_indexers
    assert json.loads(json.dumps(d)) == {"gamma": {"container_id": "c" * 64, "port": 48102}}
    assert type(copy.deepcopy(d)) is dict and type(pickle.loads(pickle.dumps(d))) is dict
    assert d == {"gamma": {"container_id": "c" * 64, "port": 48102}} and sorted(d) == ["gamma"]
    body = receiver.wait_for(
        lambda: [b for b in receiver.bodies(SNAPSHOTS, e.instance_id)
                 if any(s["site"] == _line(BranchLikeOrchestrator.port_of, "return self.active_indexers")
                        for s in b.get("legacy_reads", {}).get("sites", []))], "the read after the rebuild")[-1]
    assert body["legacy_reads"]["sites"]
