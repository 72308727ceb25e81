"""SHACL validation time: pySHACL (``mali_kg.validate``) and the SPARQL translation on Oxigraph.

``python -m bench.validation pyshacl FILE…`` and ``python -m bench.validation sparql --store
DIR`` (or ``FILE…``) each run in a process of their own and print JSON; the caller kills a run
that passes its time cap and records it as such. Both are timed the same way: from the moment
the caller starts the process (``total_s``: interpreter, imports, loading, validation) and
from the end of the imports (``after_imports_s``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def run_pyshacl(files: list[Path], started: float) -> dict:
    from mali_kg import validate  # pySHACL and rdflib with it

    imported = time.time()
    graph = validate.load_graph(files)
    parsed = time.time()
    report = validate.validate_graph(graph)
    done = time.time()
    return _timings(started, imported, parsed, done) | {
        "conforms": bool(report.conforms), "counts": report.counts()}


def run_sparql(store_dir: Path | None, files: list[Path], started: float) -> dict:
    import pyoxigraph as ox

    from mali_kg import namespaces as ns
    from mali_kg import resources, shacl_sparql, store

    imported = time.time()
    if store_dir is not None:
        s = store.open_store(path=store_dir, read_only=True)
    else:
        s = ox.Store()
        store.load_files(s, {ns.GRAPH_ONTOLOGY: resources.ontology_file()})
        for f in files:
            store.load_file(s, f, graph=ns.GRAPH_DATA)
    opened = time.time()
    outcome = shacl_sparql.count_store(s)
    done = time.time()
    return _timings(started, imported, opened, done) | {
        "conforms": outcome.conforms, "counts": outcome.counts, "checks": outcome.checks,
        "untranslated": outcome.untranslated}


def _timings(started: float, imported: float, parsed: float, done: float) -> dict:
    """Both validators timed alike: from process start (``total_s``) and after imports."""
    return {"imports_s": imported - started, "parse_s": parsed - imported,
            "validate_s": done - parsed, "after_imports_s": done - imported,
            "total_s": done - started}


def timed(argv: list[str], cap: float) -> dict:
    """Run a validation subprocess; ``{"timeout": cap}`` if it does not finish in ``cap`` s.

    The clock starts just before the process is started: ``total_s`` is what a user waits
    for from the command to the report (interpreter start and imports included),
    ``after_imports_s`` the loading and validation alone."""
    t = time.perf_counter()
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "bench.validation", *argv,
                             "--started", repr(started)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"timeout": cap, "total_s": None}
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else "failed",
                "total_s": None, "wall_s": time.perf_counter() - t}
    result = json.loads(out)
    result["wall_s"] = time.perf_counter() - t
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.validation")
    p.add_argument("engine", choices=["pyshacl", "sparql"])
    p.add_argument("files", nargs="*", type=Path)
    p.add_argument("--store", type=Path)
    p.add_argument("--started", type=float, help="when the process was started (time.time() "
                   "of the caller; default: now)")
    args = p.parse_args(argv)
    started = args.started or time.time()
    if args.engine == "pyshacl":
        out = run_pyshacl(args.files, started)
    else:
        out = run_sparql(args.store, args.files, started)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
