"""The benchmark runs on a tiny size and produces its report and plots (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
                    "## Cold start and validation", "## Scale"):
        assert heading in report, heading
    examples = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert examples, "no example queries found"
    for q in examples:
        assert f"| {q.stem} |" in report, q.stem
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(results["latency"]) >= {"pyoxigraph", "rdflib", "rdflib-endpoint",
                                       "mali-kg serve"}
    assert results["scale"] and results["scale"][0]["queries"]
    for name in ("benchmark.png", "benchmark.svg"):
        assert (out / name).stat().st_size > 1000, name
