"""Requests per second of `mali-kg serve` and of rdflib-endpoint 0.6.3 on the same data.

Both servers get the same exported graph (the N-Quads dump: every named graph) and the same
requests: GET /sparql?query=… for each example query in queries/examples/, round-robin, from
C keep-alive connections for D seconds, asking for SPARQL JSON results. The load generator is
a small asyncio HTTP/1.1 client running in its own process.

    uv run python tests/server/throughput.py --seconds 10 --connections 16 --workers 2 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RDFLIB_APP = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
app = SparqlEndpoint(graph=ds, path="/sparql")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


async def _load(host: str, port: int, paths: list[str], seconds: float,
                connections: int) -> tuple[int, Counter]:
    statuses: Counter = Counter()
    deadline = time.monotonic() + seconds
    counter = 0

    async def one_connection(offset: int) -> None:
        nonlocal counter
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                         "Accept: application/sparql-results+json\r\n\r\n".encode())
            status_line = await reader.readline()
            length = 0
            chunked = False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "transfer-encoding" and "chunked" in value:
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            statuses[int(status_line.split()[1])] += 1
            counter += 1
        writer.close()

    await asyncio.gather(*(one_connection(i) for i in range(connections)))
    return counter, statuses


def measure(base: str, queries: list[str], seconds: float, connections: int) -> dict:
    parsed = urllib.parse.urlsplit(base)
    paths = [parsed.path.rstrip("/") + "/sparql?" + urllib.parse.urlencode({"query": q})
             for q in queries]
    # warm up
    asyncio.run(_load(parsed.hostname, parsed.port, paths, 1.0, 2))
    started = time.monotonic()
    count, statuses = asyncio.run(_load(parsed.hostname, parsed.port, paths, seconds,
                                        connections))
    elapsed = time.monotonic() - started
    return {"requests": count, "seconds": round(elapsed, 2),
            "requests_per_second": round(count / elapsed, 1), "statuses": dict(statuses)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["mali-kg", "rdflib-endpoint"])
    args = parser.parse_args()

    queries = [p.read_text(encoding="utf-8")
               for p in sorted((ROOT / "queries" / "examples").glob("*.rq"))]
    if not queries:
        sys.exit("no example queries found in queries/examples/")
    dump = Path(tempfile.mkdtemp()) / "mali-kg.nq"
    subprocess.run(["mali-kg", "export", "--format", "nq", "-o", str(dump)], check=True)
    results = {"queries": len(queries), "connections": args.connections,
               "cpus": os.cpu_count()}
    servers = []
    if args.only in (None, "mali-kg"):
        port = free_port()
        servers.append(("mali-kg", port, [sys.executable, "-m", "mali_kg", "serve", "--port",
                                          str(port), "--workers", str(args.workers)]))
    if args.only in (None, "rdflib-endpoint"):
        port = free_port()
        servers.append(("rdflib-endpoint 0.6.3", port,
                        [sys.executable, "-c", RDFLIB_APP, str(dump), str(port)]))
    procs = []
    try:
        for name, port, cmd in servers:
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            base = f"http://127.0.0.1:{port}/"
            wait_ready(base + ("health" if name == "mali-kg" else "sparql?query=ASK%7B%7D"))
        # Rounds alternate between the servers, so a change in the machine's load hits both.
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in servers}
        for _ in range(args.rounds):
            for name, port, _ in servers:
                run = measure(f"http://127.0.0.1:{port}/", queries, args.seconds,
                              args.connections)
                runs[name].append(run)
                print(name, run, flush=True)
        for name, measured in runs.items():
            rates = sorted(r["requests_per_second"] for r in measured)
            results[name] = {"median_requests_per_second": rates[len(rates) // 2],
                             "rounds": measured}
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
    if "mali-kg" in results and "rdflib-endpoint 0.6.3" in results:
        ratio = (results["mali-kg"]["median_requests_per_second"]
                 / max(results["rdflib-endpoint 0.6.3"]["median_requests_per_second"], 0.1))
        results["ratio"] = round(ratio, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
