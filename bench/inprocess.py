"""In-process query latency and throughput: pyoxigraph (the embedded store) and rdflib.

Each query is run until ``reps`` runs or ``budget`` seconds (whichever first), results fully
serialised to SPARQL JSON, so that the work matches what an endpoint does per request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from mali_kg import resources, store

ROOT = Path(__file__).resolve().parent.parent


def example_queries() -> list[tuple[str, str]]:
    """(name, text) of every example query, in file order; never empty."""
    folder = ROOT / "queries" / "examples"
    if not folder.is_dir():
        folder = resources.data_file().parent.parent / "queries" / "examples"
    found = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]
    if not found:
        raise SystemExit(f"no example queries found in {folder}")
    return found


def summarise(samples: list[float]) -> dict:
    """Median, p99, min and count of latencies in seconds, reported in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))]
    return {"median_ms": statistics.median(ordered) * 1e3, "p99_ms": p99 * 1e3,
            "min_ms": ordered[0] * 1e3, "runs": len(ordered)}


def time_runs(run: Callable[[], object], *, reps: int, budget: float) -> list[float]:
    """Run once to warm up, then up to ``reps`` times within ``budget`` seconds."""
    run()
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < reps and (not samples or time.perf_counter() < deadline):
        t = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t)
    return samples


def oxigraph_runner(s: ox.Store, query: str) -> Callable[[], bytes]:
    def run() -> bytes:
        result = store.run_query(s, query)
        if isinstance(result, ox.QueryTriples):
            return result.serialize(format=ox.RdfFormat.N_TRIPLES)
        return result.serialize(format=ox.QueryResultsFormat.JSON)
    return run


def rdflib_runner(graph, query: str) -> Callable[[], bytes]:
    def run() -> bytes:
        return graph.query(query).serialize(format="json")
    return run


def row_count(s: ox.Store, query: str) -> int:
    result = store.run_query(s, query)
    return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)


def latency_oxigraph(s: ox.Store, *, reps: int, budget: float) -> dict[str, dict]:
    out = {}
    for name, text in example_queries():
        stats = summarise(time_runs(oxigraph_runner(s, text), reps=reps, budget=budget))
        stats["rows"] = row_count(s, text)
        out[name] = stats
    return out


def latency_rdflib(path: Path, *, reps: int, budget: float) -> dict[str, dict]:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(str(path))
    return {name: summarise(time_runs(rdflib_runner(graph, text), reps=reps, budget=budget))
            for name, text in example_queries()}


def engine_limit(s: ox.Store, *, duration: float, max_requests: int) -> dict:
    """Queries/s for the example mix, round robin, one thread on one core, no HTTP."""
    runners = [oxigraph_runner(s, text) for _, text in example_queries()]
    for r in runners:
        r()
    done, t0 = 0, time.perf_counter()
    while done < max_requests and time.perf_counter() - t0 < duration:
        runners[done % len(runners)]()
        done += 1
    elapsed = time.perf_counter() - t0
    return {"requests": done, "seconds": elapsed, "rps": done / elapsed}


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.inprocess limit|latency``: measure in a process of its own, print JSON."""
    p = argparse.ArgumentParser(prog="python -m bench.inprocess")
    p.add_argument("what", choices=["limit", "latency", "rdflib"])
    p.add_argument("--store", help="on-disk store (default: the bundled graph in memory)")
    p.add_argument("--file", help="RDF file for rdflib")
    p.add_argument("--duration", type=float, default=5.0)
    p.add_argument("--max-requests", type=int, default=100_000)
    p.add_argument("--reps", type=int, default=100)
    p.add_argument("--budget", type=float, default=2.0)
    p.add_argument("--cpu", type=int, help="pin this process to one CPU")
    args = p.parse_args(argv)
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    if args.what == "rdflib":
        out: dict = latency_rdflib(Path(args.file), reps=args.reps, budget=args.budget)
    else:
        t = time.perf_counter()
        s = store.open_store(path=Path(args.store), read_only=True) if args.store else \
            store.open_store()
        opened = time.perf_counter() - t
        if args.what == "limit":
            out = engine_limit(s, duration=args.duration, max_requests=args.max_requests)
        else:
            first = {name: _first_run(s, text) for name, text in example_queries()}
            out = {"open_s": opened,
                   "queries": latency_oxigraph(s, reps=args.reps, budget=args.budget),
                   "first_ms": first}
    out_rss = _maxrss_mb()
    json.dump({"result": out, "maxrss_mb": out_rss}, sys.stdout)
    return 0


def _first_run(s: ox.Store, text: str) -> float:
    t = time.perf_counter()
    oxigraph_runner(s, text)()
    return (time.perf_counter() - t) * 1e3


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
