"""SHACL validation time: pySHACL (``mali_kg.validate``) and the SPARQL translation on Oxigraph.

``python -m bench.validation pyshacl FILE…`` and ``python -m bench.validation sparql --store
DIR`` (or ``FILE…``) each run in a process of their own and print JSON; the caller kills a run
that passes its time cap and records it as such.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def run_pyshacl(files: list[Path]) -> dict:
    t = time.perf_counter()
    try:
        from mali_kg import validate
    except ImportError:  # the validation module is not there: time pySHACL directly
        validate = None
    import pyshacl
    from rdflib import Graph

    from mali_kg import resources

    if validate is not None:
        graph = validate.load_graph(files)
        parsed = time.perf_counter()
        report = validate.validate_graph(graph)
        conforms, counts = report.conforms, report.counts()
    else:
        graph = Graph()
        for f in files:
            graph.parse(str(f))
        parsed = time.perf_counter()
        conforms, _, _ = pyshacl.validate(
            graph, shacl_graph=Graph().parse(str(resources.shapes_file())),
            ont_graph=Graph().parse(str(resources.ontology_file())), inference="none",
            allow_warnings=True)
        counts = {}
    done = time.perf_counter()
    return {"parse_s": parsed - t, "validate_s": done - parsed, "total_s": done - t,
            "conforms": bool(conforms), "counts": counts}


def run_sparql(store_dir: Path | None, files: list[Path]) -> dict:
    import pyoxigraph as ox

    from mali_kg import namespaces as ns
    from mali_kg import resources, shacl_sparql, store

    t = time.perf_counter()
    if store_dir is not None:
        s = store.open_store(path=store_dir, read_only=True)
    else:
        s = ox.Store()
        store.load_files(s, {ns.GRAPH_ONTOLOGY: resources.ontology_file()})
        for f in files:
            store.load_file(s, f, graph=ns.GRAPH_DATA)
    opened = time.perf_counter()
    outcome = shacl_sparql.count_store(s)
    done = time.perf_counter()
    return {"parse_s": opened - t, "validate_s": done - opened, "total_s": done - t,
            "conforms": outcome.conforms, "counts": outcome.counts, "checks": outcome.checks,
            "untranslated": outcome.untranslated}


def timed(argv: list[str], cap: float) -> dict:
    """Run a validation subprocess; ``{"timeout": cap}`` if it does not finish in ``cap`` s."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.validation", *argv],
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
    args = p.parse_args(argv)
    if args.engine == "pyshacl":
        out = run_pyshacl(args.files)
    else:
        out = run_sparql(args.store, args.files)
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
