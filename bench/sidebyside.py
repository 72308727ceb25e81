"""Throughput side by side: ``mali-kg serve`` (this checkout, and optionally another one)
against Oxigraph server, in one run, rounds alternating between the servers.

``python -m bench.sidebyside --rounds 3 --duration 8 [--other NAME=SRC_DIR] [--backend
[--engine-apart]] [-- serve options]``

With ``--backend`` every mali-kg serves ``--backend`` that Oxigraph server, which is then
asked with the dataset mali-kg pins (the served graphs); with ``--engine-apart`` too, the
engine runs alone on the first CPU and the mali-kg servers and the load client on the others
(as the benchmark's engine-apart rounds do).

Every server runs for the whole run (idle while another is measured); each round loads each
server in turn with the example mix over ``--concurrency`` keep-alive connections, first with
repeated query texts, then with every text unique (no cache can answer). The CPU time of each
server's whole process tree (``/proc``) is read before and after each load, so the table
gives CPU per request next to requests per second. Prints a Markdown table of the medians
and, with ``--json``, every measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mali_kg import store
from mali_kg.formats import RdfFormat

from . import engines, inprocess, peers, servers
from .soak import engine_apart_cpus, on_cpus, pin, tree_cpu_s


def load(url: str, queries: Path, *, concurrency: int, duration: float, unique: bool,
         cpus: set[int] | None = None) -> dict:
    argv = [sys.executable, "-m", "bench.http", "load", url, "--queries", str(queries),
            "--concurrency", str(concurrency), "--duration", str(duration),
            "--max-requests", "1000000"] + (["--unique"] if unique else [])
    out = subprocess.run(argv, capture_output=True, text=True, check=True,
                         timeout=duration * 4 + 60,
                         preexec_fn=on_cpus(cpus))
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.sidebyside", description=__doc__.split(
        "\n\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=8.0)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--other", action="append", default=[], metavar="NAME=SRC",
                   help="also serve another checkout's src/ folder (e.g. main=/tmp/main/src)")
    p.add_argument("--backend", action="store_true",
                   help="every mali-kg in front of the Oxigraph server (serve --backend)")
    p.add_argument("--engine-apart", action="store_true",
                   help="with --backend: the engine alone on the first CPU")
    p.add_argument("--json", type=Path, help="write every measurement here")
    p.add_argument("serve_args", nargs="*",
                   help="extra 'mali-kg serve' options for this checkout (after --)")
    args = p.parse_args(argv)
    split = engine_apart_cpus() if args.engine_apart else None
    if args.engine_apart and split is None:
        p.error("--engine-apart needs at least two CPUs")

    with tempfile.TemporaryDirectory(prefix="mali-kg-sidebyside-") as tmp:
        work = Path(tmp)
        queries = work / "queries.json"
        queries.write_text(json.dumps([t for _, t in inprocess.example_queries()]),
                           encoding="utf-8")
        nquads = work / "mali-kg.nq"
        nquads.write_bytes(store.dump(store.open_store(), RdfFormat.NQUADS))
        targets: dict[str, tuple[str, int]] = {}
        running: list[subprocess.Popen] = []
        with engines.oxigraph_server(work / "oxigraph") as ox:
            engines.load_native(ox, nquads)
            try:
                for name, src in [("this", None)] + [tuple(o.split("=", 1))
                                                    for o in args.other]:
                    port = servers.free_port()
                    env = {**os.environ, "PYTHONPATH": src} if src else None
                    argv_ = servers.mali_kg_argv(
                        port, workers=None if args.backend else 1,
                        backend=ox.query_url if args.backend else None) + (
                        args.serve_args if not src else [])
                    server = servers.start(f"mali-kg-{name}", argv_,
                                           f"http://127.0.0.1:{port}/sparql",
                                           log=work / f"{name}.log", env=env)
                    running.append(server.process)
                    targets[f"mali-kg ({name})"] = (server.url, server.process.pid)
                targets["Oxigraph server"] = (
                    peers.endpoint(ox, store.bundled_graphs()) if args.backend
                    else ox.query_url, ox.pid)
                cpus = None
                if split is not None:
                    alone, cpus = split
                    pin(ox.pid, alone)
                    for proc in running:
                        pin(proc.pid, cpus)
                rows = measure(targets, queries, args, cpus)
            finally:
                for proc in running:
                    servers.stop_process(proc)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(table(rows, args))
    return 0


def measure(targets: dict[str, tuple[str, int]], queries: Path, args,
            cpus: set[int] | None) -> list[dict]:
    # Unmeasured first: the validation workers load pySHACL in the background after start.
    time.sleep(5)
    for url, _ in targets.values():
        load(url, queries, concurrency=args.concurrency, duration=2, unique=True, cpus=cpus)
    rows = []
    for r in range(args.rounds):
        for unique in (False, True):
            for name, (url, pid) in targets.items():
                time.sleep(0.5)
                cpu0 = tree_cpu_s(pid)
                res = load(url, queries, concurrency=args.concurrency, duration=args.duration,
                           unique=unique, cpus=cpus)
                cpu = tree_cpu_s(pid) - cpu0
                res.update(server=name, round=r, cpu_ms_per_request=(
                    cpu * 1e3 / res["requests"] if res["requests"] else None))
                rows.append(res)
                print(f"round {r + 1} {'unique' if unique else 'repeated'} {name}: "
                      f"{res['rps']:.0f} req/s, {res['errors']} errors, "
                      f"{res['cpu_ms_per_request']:.3f} ms CPU/request", file=sys.stderr,
                      flush=True)
    return rows


def table(rows: list[dict], args) -> str:
    names = list(dict.fromkeys(r["server"] for r in rows))
    ref = "Oxigraph server"
    out = [f"{args.rounds} rounds × {args.duration:g} s, {args.concurrency} clients, medians "
           "(min–max); CPU is the server's whole process tree.", "",
           "| server | texts | req/s | vs Oxigraph | CPU ms/request | errors |",
           "|---|---|---|---|---|---|"]
    for unique in (False, True):
        ref_rps = statistics.median(r["rps"] for r in rows
                                    if r["server"] == ref and r["unique"] == unique)
        for name in names:
            mine = [r for r in rows if r["server"] == name and r["unique"] == unique]
            rps = [r["rps"] for r in mine]
            cpu = [r["cpu_ms_per_request"] for r in mine]
            out.append(f"| {name} | {'unique' if unique else 'repeated'} | "
                       f"{statistics.median(rps):,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) | "
                       f"{statistics.median(rps) / ref_rps:.2f} | "
                       f"{statistics.median(cpu):.3f} | {sum(r['errors'] for r in mine)} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
