"""The benchmark runs on a tiny size and produces its report and plots (no timing asserted)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_table_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--work",
         str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| query |" in proc.stdout  # the table is printed as well as written
    for heading in ("## Targets", "## Latency per example query", "## HTTP throughput",
                    "## Cold start and validation", "## Scale",
                    "## Soak: ordinary queries under hostile load"):
        assert heading in report, heading
    examples = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert examples, "no example queries found"
    for q in examples:
        assert f"| {q.stem} |" in report, q.stem
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(results["latency"]) >= {"pyoxigraph", "rdflib", "rdflib-endpoint",
                                       "mali-kg serve"}
    assert results["scale"] and results["scale"][0]["queries"]
    assert results["soak"]["ordinary"]["sent"] > 0, results["soak"]
    for name in ("benchmark.png", "benchmark.svg"):
        assert (out / name).stat().st_size > 1000, name


def test_soak_payloads_and_process_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The soak's hostile requests have the sizes it claims, each unique where it must be, and
    its memory figure covers a process's descendants."""
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import soak

    q = soak.unique_query()
    assert q != soak.unique_query() and 119_000 <= len(q.encode()) < 128 * 1024
    accept = soak.unique_accept()
    assert accept != soak.unique_accept() and 100_000 <= len(accept) < 100_200
    body, ctype = soak.many_parts()
    assert body.count(b"Content-Disposition: form-data") == 15_000
    assert ctype.startswith("multipart/form-data; boundary=")
    assert soak.deep_jsonld().count(b"{") == 4001
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        me = os.getpid()
        assert child.pid in soak.tree_pids(me)
        rss, count = soak.tree_rss(me)
        assert count >= 2 and rss > soak.vm_rss_bytes(me) > 0
    finally:
        child.kill()
        child.wait(10)


CASES = sorted((ROOT / "tests" / "shapes" / "cases").glob("*.ru"))
BASELINE = {"Violation": 0, "Warning": 1, "Info": 5}  # the real data's own results


@pytest.mark.slow
def test_sparql_translation_of_the_shapes_flags_every_failing_case() -> None:
    """The shapes translated to SPARQL (decision 0008) catch what pySHACL catches."""
    import pyoxigraph as ox

    from mali_kg import namespaces as ns
    from mali_kg import resources, shacl_sparql, store

    assert CASES, "no shape test cases found"
    plan = shacl_sparql.plan()
    assert not plan.untranslated, plan.untranslated

    def outcome(update: str | None = None) -> shacl_sparql.Outcome:
        # The data in the default graph, which the cases' updates change (they name no graph).
        s = ox.Store()
        store.load_file(s, resources.data_file())
        store.load_file(s, resources.ontology_file(), graph=ns.GRAPH_ONTOLOGY)
        if update:
            s.update(ns.sparql_prologue() + update)
        return shacl_sparql.count_store(s, checks=plan)

    assert outcome().counts == BASELINE
    missed = []
    for case in CASES:
        text = case.read_text(encoding="utf-8")
        expect = dict(re.findall(r"^# ([\w-]+): (.*)$", text, re.MULTILINE))
        severity = expect.get("severity", "Violation")
        counts = outcome(text).counts
        # A case about a result the real data already has (a warning, an info) keeps it.
        if counts[severity] < BASELINE[severity] + (severity == "Violation"):
            missed.append(case.name)
    assert not missed, missed
