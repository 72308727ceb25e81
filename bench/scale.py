"""Scale: generate, load, query and validate synthetic graphs of growing size.

Every step runs in a process of its own so that its peak memory (RSS) is its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mali_kg import resources

from . import synthetic, validation


def run_measured(argv: list[str], *, limit: float) -> dict:
    """Run a command; its wall time, peak RSS (MB), exit status and stdout (JSON if any)."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = t + limit
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return {"timeout": limit}
        time.sleep(0.02)
    wall = time.perf_counter() - t
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    result: dict = {"wall_s": wall, "maxrss_mb": usage.ru_maxrss / 1024,
                    "status": os.waitstatus_to_exitcode(status)}
    if result["status"] != 0:
        result["error"] = (err.strip().splitlines() or ["failed"])[-1]
    try:
        result["output"] = json.loads(out)
    except ValueError:
        result["output"] = out.strip()
    return result


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure_size(triples: int, work: Path, *, template: synthetic.Template, reps: int,
                 budget: float, validation_cap: float, pyshacl: bool, log=print) -> dict:
    """Everything measured for one size; the generated files are removed afterwards."""
    data = work / f"synthetic-{triples}.nq"
    store_dir = work / f"store-{triples}"
    shutil.rmtree(store_dir, ignore_errors=True)
    row: dict = {"target_triples": triples}
    t = time.perf_counter()
    row["triples"] = synthetic.write_graph(data, triples=triples, template=template)
    row["generate_s"] = time.perf_counter() - t
    row["file_mb"] = data.stat().st_size / 2**20
    log(f"  {row['triples']:,} triples generated in {row['generate_s']:.1f} s")

    load = run_measured([sys.executable, "-m", "mali_kg.cli", "load", "--store", str(store_dir),
                         str(data), str(resources.ontology_file())], limit=3600)
    row["load_s"], row["load_rss_mb"] = load.get("wall_s"), load.get("maxrss_mb")
    row["store_mb"] = dir_size_mb(store_dir)
    log(f"  loaded in {row['load_s']:.1f} s (peak RSS {row['load_rss_mb']:.0f} MB)")

    q = run_measured([sys.executable, "-m", "bench.inprocess", "latency", "--store",
                      str(store_dir), "--reps", str(reps), "--budget", str(budget)],
                     limit=600)
    out = q.get("output") or {}
    result = out.get("result", {}) if isinstance(out, dict) else {}
    row["open_s"] = result.get("open_s")
    row["query_rss_mb"] = q.get("maxrss_mb")
    row["queries"] = result.get("queries", {})
    row["first_ms"] = result.get("first_ms", {})
    if row["queries"]:
        worst = max(row["queries"].items(), key=lambda kv: kv[1]["median_ms"])
        log(f"  queries: slowest median {worst[1]['median_ms']:.1f} ms ({worst[0]})")

    v = validation.timed(["sparql", "--store", str(store_dir)], validation_cap)
    row["validation_sparql"] = v
    log(f"  SPARQL validation: {_fmt_validation(v)}")
    if pyshacl:
        v = validation.timed(["pyshacl", str(data)], validation_cap)
        row["validation_pyshacl"] = v
        log(f"  pySHACL validation: {_fmt_validation(v)}")
    else:
        row["validation_pyshacl"] = {"skipped": True}
    shutil.rmtree(store_dir, ignore_errors=True)
    data.unlink(missing_ok=True)
    return row


def _fmt_validation(v: dict) -> str:
    if "timeout" in v:
        return f"stopped after {v['timeout']:.0f} s"
    if "error" in v:
        return f"error: {v['error']}"
    return f"{v['total_s']:.2f} s (validate {v['validate_s']:.2f} s)"


def run_scale(sizes: list[int], work: Path, *, reps: int, budget: float,
              validation_cap: float, pyshacl: bool = True, log=print) -> list[dict]:
    template = synthetic.build_template()
    rows = []
    for n in sizes:
        log(f"scale: {n:,} triples")
        row = measure_size(n, work, template=template, reps=reps, budget=budget,
                           validation_cap=validation_cap, pyshacl=pyshacl, log=log)
        rows.append(row)
        # pySHACL's time grows faster than the graph: once it misses the cap, skip it above.
        if pyshacl and "timeout" in row["validation_pyshacl"]:
            pyshacl = False
    return rows
