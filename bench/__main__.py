"""``uv run python -m bench``: run the benchmark, print the Markdown report, write the plots.

Steps (each server and each measurement in a process of its own, 127.0.0.1 only, every loop
bounded in count and time):

1. per example query, median and p99 latency: pyoxigraph in-process (the embedded store),
   rdflib in memory, rdflib-endpoint 0.6.3 over HTTP, ``mali-kg serve`` over HTTP;
2. the engine's limit: the example mix in-process on pyoxigraph, one thread pinned to one core;
3. HTTP throughput for the example mix with 1, 4 and 16 concurrent clients, the same query
   texts repeated and every text unique: ``mali-kg serve`` with 1 and 2 workers,
   rdflib-endpoint 0.6.3; and the load client's own ceiling;
4. peers (``bench.peers``): Oxigraph server and, where installed, Virtuoso 7.2 (skipped by
   ``--quick``), loaded with the same graphs; each directly and behind ``mali-kg serve
   --backend``: per-query latency and throughput as in 1 and 3, and whether every system
   returns the same rows for every example query as the embedded store; then unique-text
   throughput again with the engine alone on one core (an engine on a machine of its own);
5. cold start (process start to first answer) and SHACL validation of the bundled graph;
6. scale: synthetic graphs (``--sizes``), load time, memory, per-query latency, validation,
   the HTML pages on ``mali-kg serve --store`` (``bench.pages``); the same graphs in the
   peers, their per-query latency and rows;
7. soak (``--soak``): ordinary queries against ``mali-kg serve`` while hostile clients send
   what should be refused, with the server's memory and ``/health`` sampled (``bench.soak``).

Run with the default ``--out``, it also rewrites the figures in ``README.md`` and
``docs/benchmarks.md`` (between their ``bench:`` markers) from the new ``results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mali_kg import store
from mali_kg.formats import RdfFormat

from . import engines, inprocess, peers, report, scale, servers, soak, validation

DEFAULT_SIZES = "1e4,1e5,1e6"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results"
APART_ROUNDS = 5  # unique-text rounds with the engine alone on a core (Bench.engine_apart)
# The graphs mali-kg serves, as one dataset for every system (``serve --backend`` default).
SERVED = tuple(store.bundled_graphs())


def parse_sizes(text: str) -> list[int]:
    return [int(float(s)) for s in text.split(",") if s.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes, few requests and a 20 s soak: checks the benchmark runs "
                   "(~1 min)")
    p.add_argument("--sizes", default=None,
                   help=f"synthetic graph sizes in triples (default {DEFAULT_SIZES}; "
                   "add 1e7 to run it, ~10 GB of disk and a long load)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="where the report, JSON and plots go (default bench/results)")
    p.add_argument("--docs", action=argparse.BooleanOptionalAction, default=None,
                   help="rewrite the figures in README.md and docs/benchmarks.md from the "
                   "results (default: with the default --out and without --quick)")
    p.add_argument("--peers", default=None, metavar="NAMES",
                   help="engines to compare with, comma-separated: oxigraph, virtuoso "
                   "(default: both, those installed; --quick: oxigraph; 'none' for none)")
    p.add_argument("--work", type=Path, help="scratch directory for generated graphs and "
                   "stores (default: a temporary directory, removed afterwards)")
    p.add_argument("--duration", type=float, help="seconds per throughput point (default 5)")
    p.add_argument("--max-requests", type=int, default=100_000,
                   help="requests per throughput point at most (default 100000)")
    p.add_argument("--validation-cap", type=float,
                   help="seconds a validation run may take before it is stopped (default 120)")
    p.add_argument("--skip-scale", action="store_true")
    p.add_argument("--skip-scale-peers", action="store_true",
                   help="do not load the synthetic graphs into the peers")
    p.add_argument("--skip-http", action="store_true")
    p.add_argument("--from-json", type=Path, metavar="FILE",
                   help="measure nothing: redraw the report and plots (and, as with --docs, "
                   "the README's and docs' figures) from a results.json")
    p.add_argument("--soak", type=float, metavar="SECONDS",
                   help="seconds of ordinary queries under hostile load (default 300, "
                   "--quick 20; 0 skips it)")
    p.add_argument("--skip-pyshacl", action="store_true",
                   help="do not time pySHACL (it takes tens of seconds even on the bundled graph)")
    return p


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work, self.out = args, work, args.out
        self.t0 = time.perf_counter()
        quick = args.quick
        self.reps = 10 if quick else 200
        self.budget = 0.1 if quick else 2.0
        self.http_reps = 5 if quick else 100
        self.duration = args.duration or (0.3 if quick else 5.0)
        self.concurrency = [1, 4, 16]
        self.cap = args.validation_cap or (30.0 if quick else 120.0)
        self.results: dict = {"quick": quick, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        self.queries = inprocess.example_queries()
        if args.peers is None:
            self.peer_names = ["oxigraph"] if quick else ["oxigraph", "virtuoso"]
        else:
            self.peer_names = [n.strip() for n in args.peers.split(",")
                               if n.strip() and n.strip() != "none"]
            unknown = set(self.peer_names) - set(peers.LABELS)
            if unknown:
                raise SystemExit(f"--peers: unknown {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(peers.LABELS)}")
        self._reference: dict | None = None

    def log(self, msg: str) -> None:
        print(f"[{time.perf_counter() - self.t0:6.1f} s] {msg}", file=sys.stderr, flush=True)

    def subjson(self, argv: list[str], limit: float = 600, *,
                cpus: set[int] | None = None) -> dict:
        proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True,
                              timeout=limit, env={**os.environ, "PYTHONPATH": _pythonpath()},
                              preexec_fn=soak.on_cpus(cpus))
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {proc.stderr.strip()[-2000:]}")
        return json.loads(proc.stdout)

    def run(self) -> dict:
        r = self.results
        r["machine"] = report.machine()
        r["load_average_start"] = os.getloadavg()
        # Plans of translated shapes are kept in this run's own folder, not the user's cache.
        os.environ["MALI_KG_CACHE_DIR"] = str(self.work / "cache")
        data_nt = self.work / "mali-kg.nt"
        data_nt.write_bytes(store.dump(store.open_store(), RdfFormat.NTRIPLES))
        data_nq = self.work / "mali-kg.nq"
        data_nq.write_bytes(store.dump(store.open_store(), RdfFormat.NQUADS))
        queries_json = self.work / "queries.json"
        queries_json.write_text(json.dumps([t for _, t in self.queries]), encoding="utf-8")
        self.queries_json = queries_json

        self.log("in-process latency: pyoxigraph")
        ox = self.subjson(["-m", "bench.inprocess", "latency", "--reps", str(self.reps),
                           "--budget", str(self.budget)])
        r["latency"] = {"pyoxigraph": ox["result"]["queries"]}
        self.log("in-process latency: rdflib")
        rd = self.subjson(["-m", "bench.inprocess", "rdflib", "--file", str(data_nt),
                           "--reps", str(self.reps), "--budget", str(self.budget)])
        r["latency"]["rdflib"] = rd["result"]
        self.log("engine limit: pyoxigraph in-process, one core")
        lim = self.subjson(["-m", "bench.inprocess", "limit", "--cpu", "0", "--duration",
                            str(self.duration), "--max-requests", str(self.args.max_requests)])
        r["engine_limit"] = lim["result"]

        if not self.args.skip_http:
            self.http(data_nt)
            self.peers(data_nq)
        self.validate()
        sizes = [] if self.args.skip_scale else parse_sizes(
            self.args.sizes or ("1e4" if self.args.quick else DEFAULT_SIZES))
        soak_s = self.args.soak if self.args.soak is not None else (20 if self.args.quick
                                                                     else 300)
        r["settings"] = {"reps": self.reps, "budget_s": self.budget,
                         "http_reps": self.http_reps, "duration_s": self.duration,
                         "max_requests": self.args.max_requests,
                         "concurrency": self.concurrency, "validation_cap_s": self.cap,
                         "sizes": sizes, "soak_s": soak_s, "peers": self.peer_names}
        if sizes:
            scale_peers = [] if self.args.skip_scale_peers else [
                n for n in self.peer_names if engines.missing(n) is None]
            r["scale"] = scale.run_scale(sizes, self.work, reps=self.reps // 2 or 1,
                                         budget=self.budget, validation_cap=self.cap,
                                         pyshacl=not (self.args.skip_pyshacl or self.args.quick),
                                         peers=scale_peers, http_reps=self.http_reps,
                                         log=self.log)
        if soak_s > 0:
            self.soak(soak_s)
        r["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        r["load_average_end"] = os.getloadavg()
        return r

    def load(self, url: str, concurrency: int, *, unique: bool = False,
             cpus: set[int] | None = None) -> dict:
        return self.subjson(["-m", "bench.http", "load", url, "--queries",
                             str(self.queries_json), "--concurrency", str(concurrency),
                             "--duration", str(self.duration),
                             "--max-requests", str(self.args.max_requests)]
                            + (["--unique"] if unique else []), cpus=cpus)

    def per_query_http(self, url: str, *, unique: bool = False) -> dict:
        return scale.per_query_http(url, self.queries, self.queries_json, budget=self.budget,
                                    reps=self.http_reps, unique=unique)

    def measure_http(self, name: str, url: str, *, latency: bool = True) -> None:
        """Per-query latency (repeated and unique texts), and throughput at 1, 4 and 16
        clients with repeated texts and at 16 with unique ones, for one system."""
        r = self.results
        if latency:
            r["latency"][name] = self.per_query_http(url)
            r.setdefault("latency_unique", {})[name] = self.per_query_http(url, unique=True)
        points = {str(c): self.load(url, c) for c in self.concurrency}
        # Every query text different: what no cache can help with.
        points["16u"] = self.load(url, 16, unique=True)
        r["throughput"][name] = points

    def reference(self) -> dict:
        """The embedded store's answers to the example queries: what every system must give."""
        if self._reference is None:
            self._reference = peers.in_process(self.queries)
        return self._reference

    def check_answers(self, name: str, url: str) -> None:
        found = peers.answers(url, self.queries)
        checked = peers.check(self.reference(), found, self.queries)
        self.results.setdefault("answers", {})[name] = checked
        diff = peers.differing(checked)
        self.log(f"  answers: {len(checked) - len(diff)} of {len(checked)} queries the same"
                 + "".join(f"\n    {q}: {why}" for q, why in diff.items()))

    def http(self, data_nt: Path) -> None:
        r = self.results
        r["throughput"], r["cold_start"] = {}, {}
        configs = [("rdflib-endpoint", "rdflib-endpoint", 1), ("mali-kg serve, 1 worker",
                   "mali-kg", 1), ("mali-kg serve, 2 workers", "mali-kg", 2)]
        if self.args.quick:
            configs = configs[:2]  # a smoke run: one mali-kg server is enough
        for name, kind, workers in configs:
            self.log(f"HTTP: {name}")
            try:
                with servers.running(name.replace(" ", "-").replace(",", ""), kind,
                                     log_dir=self.work / "logs", workers=workers,
                                     data=data_nt) as srv:
                    r["cold_start"][name] = srv.cold_start_s
                    if workers == 1:
                        self.check_answers(name, srv.url)
                        r["latency"][name.split(",")[0]] = self.per_query_http(srv.url)
                        # rdflib-endpoint caches nothing, and is slow: a smoke run skips it.
                        if not (self.args.quick and kind == "rdflib-endpoint"):
                            r.setdefault("latency_unique", {})[name.split(",")[0]] = \
                                self.per_query_http(srv.url, unique=True)
                    self.measure_http(name, srv.url, latency=False)
            except (RuntimeError, subprocess.SubprocessError) as e:
                self.log(f"  {name} failed: {e}")
                r["throughput"][name] = {"error": str(e)}
        # The load client's own ceiling: a trivial server answering a fixed result.
        port = servers.free_port()
        echo = subprocess.Popen([sys.executable, "-m", "bench.http", "echo", "--port",
                                 str(port), "--lifetime", str(self.duration * 4 + 30)],
                                env={**os.environ, "PYTHONPATH": _pythonpath()})
        try:
            url = f"http://127.0.0.1:{port}/sparql"
            t0 = time.perf_counter()
            while not servers.answers(url) and time.perf_counter() - t0 < 10:
                time.sleep(0.05)
            r["client_ceiling"] = {str(c): self.load(url, c) for c in (1, 16)}
        finally:
            echo.terminate()
            echo.wait(10)

    def peers(self, data_nq: Path) -> None:
        """Each peer engine directly, then ``mali-kg serve --backend`` in front of it; one
        engine at a time, stopped by its process id before the next starts."""
        r = self.results
        r["peers"] = {"served_graphs": list(SERVED), "engines": {}, "skipped": {}}
        # What the pieces of mali-kg's front door cost a unique text in-process (the check that
        # only SPARQL 1.1 is sent among them): the floor under its CPU a request.
        self.log("front door pieces, in-process")
        r["peers"]["front_door_us"] = self.subjson(
            ["-m", "bench.frontdoor", "--json", "--requests", "300" if self.args.quick else
             "2000", "--rounds", "1" if self.args.quick else "3"])
        if self.args.quick and self.args.peers is None:
            r["peers"]["skipped"]["Virtuoso"] = "not run by --quick"
        for engine_name in self.peer_names:
            label = peers.LABELS[engine_name]
            if (why := engines.missing(engine_name)) is not None:
                self.log(f"peer {label}: {why}")
                r["peers"]["skipped"][label] = why
                continue
            self.log(f"peer: {label}")
            info: dict = {"version": peers.version(engine_name)}
            r["peers"]["engines"][label] = info
            try:
                with peers.engine_loaded(engine_name, self.work / "engines" / engine_name,
                                         [data_nq]) as e:
                    info.update(start_s=e["start_s"], load_s=e["load_s"])
                    url = peers.endpoint(e["engine"], SERVED)
                    self.check_answers(label, url)
                    self.measure_http(label, url)
                    name = f"mali-kg serve --backend {label}"
                    self.log(f"HTTP: {name}")
                    with servers.running(f"mali-kg-backend-{engine_name}", "mali-kg",
                                         log_dir=self.work / "logs", workers=None,
                                         backend=e["engine"].query_url) as srv:
                        r["cold_start"][name] = srv.cold_start_s
                        self.check_answers(name, srv.url)
                        self.measure_http(name, srv.url)
                        self.engine_apart(label, e["engine"].pid, url, srv)
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                self.log(f"  {label} failed: {e}")
                info["error"] = str(e)

    def engine_apart(self, label: str, engine_pid: int, url: str,
                     srv: servers.Server) -> None:
        """Unique texts at 16 clients once more, the engine alone on one core and mali-kg
        and the load client on the others: as near as one machine comes to an engine on a
        machine of its own (``docs/deploy.md``), where mali-kg's work is not taken from the
        engine's cores."""
        if (split := soak.engine_apart_cpus()) is None:
            return
        alone, others = split
        rounds = []
        try:
            soak.pin(engine_pid, alone)
            soak.pin(srv.process.pid, others)
            # Rounds of the engine and the front door in turn: one point of a few seconds
            # moved by a tenth from run to run on a busy machine; the median of several moves
            # less. The round with the median ratio is reported; all are kept.
            # Each point also records the CPU each side spent on it: a slow round then shows
            # as what it is (more CPU a request on one side), not only as a lower ratio.
            for _ in range(APART_ROUNDS):
                own = self._with_cpu(url, others, trees={"engine": engine_pid})
                front = self._with_cpu(srv.url, others, trees={
                    "engine": engine_pid, "front": srv.process.pid},
                    alone={"serving": soak.serving_pid(srv.process.pid)})
                rounds.append({"own": own, "backend": front})
        finally:
            soak.pin(engine_pid, alone | others)
            soak.pin(srv.process.pid, alone | others)
        ratios = sorted(rounds, key=lambda r: r["backend"]["rps"] / (r["own"]["rps"] or 1))
        self.results["peers"].setdefault("engine_apart", {})[label] = {
            "engine_cpus": sorted(alone), "other_cpus": sorted(others),
            **ratios[len(ratios) // 2], "rounds": rounds}

    def _with_cpu(self, url: str, cpus: set[int], *, trees: dict[str, int],
                  alone: dict[str, int] | None = None) -> dict:
        """The unique-text point at 16 clients on ``cpus``, with the CPU seconds spent during
        it by each process tree in ``trees`` and each process in ``alone`` (without its
        children), as ``<name>_cpu_s``."""
        pids = [(name, pid, True) for name, pid in trees.items()] + \
            [(name, pid, False) for name, pid in (alone or {}).items()]
        before = [soak.tree_cpu_s(pid, descendants=tree) for _, pid, tree in pids]
        point = self.load(url, 16, unique=True, cpus=cpus)
        point.update({f"{name}_cpu_s": soak.tree_cpu_s(pid, descendants=tree) - was
                      for (name, pid, tree), was in zip(pids, before, strict=True)})
        return point

    def soak(self, seconds: float) -> None:
        """``bench.soak`` in a process of its own; its verdict is reported, not raised."""
        self.log(f"soak: ordinary queries under hostile load, {seconds:g} s")
        out = self.work / "soak.json"
        out.unlink(missing_ok=True)
        # A shorter client timeout keeps a quick run short even against a stalled server.
        argv = ["-m", "bench.soak", "--duration", str(seconds), "--json", str(out),
                "--log", str(self.work / "logs" / "soak.log")]
        argv += ["--timeout", "15"] if self.args.quick else []
        proc = None
        try:
            proc = subprocess.run([sys.executable, *argv], capture_output=True, text=True,
                                  timeout=seconds + soak.SLACK + 30,
                                  env={**os.environ, "PYTHONPATH": _pythonpath()})
            res = json.loads(out.read_text(encoding="utf-8"))
            res["exit_code"] = proc.returncode
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            res = {"error": f"{type(e).__name__}: {e}"
                   + (f"; {proc.stderr.strip()[-1000:]}" if proc and proc.stderr else ""),
                   "passed": False}
        # The time series stay in the soak's own JSON; the results keep the summary.
        res.pop("samples", None)
        res.pop("health_samples", None)
        self.results["soak"] = res
        self.log("  " + ("passed" if res.get("passed") else
                         "failed: " + "; ".join(res.get("problems") or [res.get("error", "")])))

    def validate(self) -> None:
        r = self.results
        from mali_kg import resources

        # The first run translates the shapes and keeps the plan (mali_kg.shacl_sparql.
        # plan_cache, in this run's own folder: see run); later runs read it.
        shutil.rmtree(os.environ["MALI_KG_CACHE_DIR"], ignore_errors=True)
        argv = ["sparql", str(resources.data_file())]
        self.log("validation of the bundled graph: SPARQL on Oxigraph, first run")
        first = validation.timed(argv, self.cap)
        self.log("validation of the bundled graph: SPARQL on Oxigraph, again")
        r["validation"] = {"sparql_first": first, "sparql": validation.timed(argv, self.cap)}
        if self.args.skip_pyshacl or self.args.quick:
            r["validation"]["pyshacl"] = {"skipped": True}
        else:
            self.log("validation of the bundled graph: pySHACL")
            r["validation"]["pyshacl"] = validation.timed(
                ["pyshacl", str(resources.data_file())], self.cap)


def _pythonpath() -> str:
    root = str(Path(__file__).resolve().parent.parent)
    existing = os.environ.get("PYTHONPATH")
    return root + (os.pathsep + existing if existing else "")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ["PYTHONPATH"] = _pythonpath()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
        return write_outputs(results, args)
    t0 = time.perf_counter()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        results = Bench(args, args.work).run()
    else:
        with tempfile.TemporaryDirectory(prefix="mali-kg-bench-") as tmp:
            results = Bench(args, Path(tmp)).run()
    results["command"] = "uv run python -m bench " + " ".join(argv if argv is not None
                                                              else sys.argv[1:])
    results["elapsed_s"] = time.perf_counter() - t0
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return write_outputs(results, args)


def write_outputs(results: dict, args: argparse.Namespace) -> int:
    """The report and plots in ``--out``; with ``--docs``, the figures in the README and
    docs/benchmarks.md."""
    markdown = report.markdown(results)
    (args.out / "report.md").write_text(markdown, encoding="utf-8")
    report.plot(results, args.out)
    print(markdown)
    docs = args.docs if args.docs is not None else (
        args.out.resolve() == DEFAULT_OUT.resolve() and not results.get("quick"))
    if docs:
        changed = report.update_docs(results, ROOT)
        print("rewrote " + (", ".join(changed) if changed else "nothing (up to date)"),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
