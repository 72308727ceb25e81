"""Scale: generate, load, query and validate synthetic graphs of growing size.

Every step runs in a process of its own so that its peak memory (RSS) is its own. With peers,
each size is also loaded into each peer engine (``bench.peers``), whose per-query latency
over HTTP and answers (against the embedded store's) are recorded beside mali-kg's. The
HTML pages are timed on ``mali-kg serve --store`` over each size (``bench.pages``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from mali_kg import namespaces as ns
from mali_kg import resources, store

from . import inprocess, pages, peers, synthetic, validation


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


def per_query_http(url: str, queries: list[tuple[str, str]], queries_json: Path, *,
                   budget: float, reps: int, unique: bool = False) -> dict:
    """Median and p99 latency of each query over HTTP, one client (``bench.http --per-query``)."""
    argv = [sys.executable, "-m", "bench.http", "load", url, "--queries", str(queries_json),
            "--per-query", "--duration", str(budget), "--max-requests", str(reps)]
    proc = subprocess.run(argv + (["--unique"] if unique else []), capture_output=True,
                          text=True, timeout=600 + 20 * budget * len(queries))
    if proc.returncode != 0:
        raise RuntimeError(f"bench.http --per-query failed: {proc.stderr.strip()[-2000:]}")
    found = json.loads(proc.stdout)
    return {name: {"median_ms": res["median_ms"], "p99_ms": res["p99_ms"],
                   "runs": res["requests"], "errors": res["errors"]}
            for (name, _), res in zip(queries, found, strict=True)}


def measure_peers(names: list[str], data: Path, store_dir: Path, work: Path, *, reps: int,
                  budget: float, log=print) -> dict:
    """Each peer engine loaded with the graph mali-kg loaded (``data`` and the ontology, all
    in the data graph): load time, per-query latency over HTTP, answers against the embedded
    store's."""
    queries = inprocess.example_queries()
    queries_json = work / "scale-queries.json"
    queries_json.write_text(json.dumps([t for _, t in queries]), encoding="utf-8")
    ontology = work / "ontology-in-data-graph.nq"
    graph = ox.NamedNode(ns.GRAPH_DATA)
    ontology.write_bytes(ox.serialize(
        (ox.Quad(t.subject, t.predicate, t.object, graph)
         for t in ox.parse(path=str(resources.ontology_file()), base_iri=ns.BASE)),
        format=ox.RdfFormat.N_QUADS))
    embedded = store.open_store(path=store_dir, read_only=True)
    reference = peers.in_process(queries, embedded)
    del embedded
    out: dict = {}
    for name in names:
        label = peers.LABELS[name]
        folder = work / f"engine-{name}"
        shutil.rmtree(folder, ignore_errors=True)
        row: dict = {}
        out[label] = row
        try:
            with peers.engine_loaded(name, folder, [data, ontology]) as e:
                row["load_s"] = e["load_s"]
                log(f"  {label}: loaded in {e['load_s']:.1f} s")
                url = peers.endpoint(e["engine"], [ns.GRAPH_DATA])
                row["answers"] = peers.check(reference, peers.answers(url, queries), queries)
                row["queries"] = per_query_http(url, queries, queries_json, budget=budget,
                                                reps=reps)
            diff = peers.differing(row["answers"])
            worst = max(row["queries"].items(), key=lambda kv: kv[1]["median_ms"] or 0)
            log(f"  {label}: slowest median {worst[1]['median_ms']:.1f} ms ({worst[0]}); "
                f"{len(queries) - len(diff)} of {len(queries)} answers the same")
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            log(f"  {label} failed: {e}")
            row["error"] = str(e)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return out


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure_size(triples: int, work: Path, *, template: synthetic.Template, reps: int,
                 budget: float, validation_cap: float, pyshacl: bool,
                 peer_names: list[str] = (), http_reps: int = 100, log=print) -> dict:
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

    try:
        row["pages"] = pages.measure(store_dir, work / "logs", reps=http_reps,
                                     copies=synthetic.copies_for(triples, template))
        if row["pages"]:
            slowest = max(row["pages"].items(), key=lambda kv: kv[1]["median_ms"])
            log(f"  pages: slowest median {slowest[1]['median_ms']:.1f} ms ({slowest[0]})")
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        log(f"  pages failed: {e}")
        row["pages"] = {"error": str(e)}

    if peer_names:
        row["peers"] = measure_peers(list(peer_names), data, store_dir, work, reps=http_reps,
                                     budget=budget, log=log)

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
              validation_cap: float, pyshacl: bool = True, peers: list[str] = (),
              http_reps: int = 100, log=print) -> list[dict]:
    template = synthetic.build_template()
    rows = []
    for n in sizes:
        log(f"scale: {n:,} triples")
        row = measure_size(n, work, template=template, reps=reps, budget=budget,
                           validation_cap=validation_cap, pyshacl=pyshacl, peer_names=peers,
                           http_reps=http_reps, log=log)
        rows.append(row)
        # pySHACL's time grows faster than the graph: once it misses the cap, skip it above.
        if pyshacl and "timeout" in row["validation_pyshacl"]:
            pyshacl = False
    return rows
