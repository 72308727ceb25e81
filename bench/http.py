"""A small HTTP/1.1 keep-alive load client, and a trivial server to measure the client itself.

``python -m bench.http load URL --concurrency N`` sends the example queries round robin
(``GET /sparql?query=…``) over N keep-alive connections from one asyncio event loop, bounded
by a request count and a time limit, and prints JSON: requests, errors, requests/s and latency
percentiles. It runs in a process of its own so that its CPU use is not the server's.

``python -m bench.http echo --port P`` serves a fixed SPARQL JSON answer as fast as asyncio
can; loading it shows the client's own ceiling, which must sit well above any server result
for the server numbers to mean anything.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from urllib.parse import quote, urlsplit


def build_requests(url: str, queries: list[str], *,
                   gzip: bool = False) -> list[tuple[bytes, bytes]]:
    """Each request as (start, rest): a unique run puts a counter between the two.

    Parameters already in ``url`` (an engine's dataset: ``default-graph-uri``…) are kept, before
    ``query``, so that the counter still ends the query text."""
    parts = urlsplit(url)
    host = parts.netloc
    extra = "Accept-Encoding: gzip\r\n" if gzip else ""
    target = f"{parts.path}?{parts.query}&" if parts.query else f"{parts.path}?"
    return [(f"GET {target}query={quote(q, safe='')}".encode("ascii"),
             (f" HTTP/1.1\r\nHost: {host}\r\nAccept: application/sparql-results+json\r\n"
              f"{extra}Connection: keep-alive\r\n\r\n").encode("ascii")) for q in queries]


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response (Content-Length or chunked); return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked = None, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def client(host: str, port: int, requests: list[tuple[bytes, bytes]], offset: int,
                 state: dict) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while state["sent"] < state["max"] and time.perf_counter() < state["deadline"]:
            state["sent"] += 1
            start, rest = requests[i % len(requests)]
            if state["unique"]:
                # A SPARQL comment with this run's tag and a counter: every query text
                # differs, within a run and from other runs, so no cache anywhere (parsing,
                # inspection, results) can answer it.
                start += b"%0A%23" + state["tag"] + str(state["sent"]).encode()
            t = time.perf_counter()
            writer.write(start + rest)
            status = await read_response(reader)
            state["latencies"].append(time.perf_counter() - t)
            if status != 200:
                state["errors"] += 1
            i += 1
    finally:
        writer.close()


async def load(url: str, queries: list[str], *, concurrency: int, duration: float,
               max_requests: int, unique: bool = False, gzip: bool = False) -> dict:
    parts = urlsplit(url)
    requests = build_requests(url, queries, gzip=gzip)
    state = {"sent": 0, "max": max_requests, "errors": 0, "latencies": [], "unique": unique,
             "tag": os.urandom(6).hex().encode() + b"-",
             "deadline": time.perf_counter() + duration}
    t0, cpu0 = time.perf_counter(), time.process_time()
    results = await asyncio.gather(
        *(client(parts.hostname, parts.port, requests, k * 7, state)
          for k in range(concurrency)), return_exceptions=True)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    lat = sorted(state["latencies"])
    done = len(lat)
    return {"concurrency": concurrency, "unique": unique, "requests": done,
            "errors": state["errors"],
            "failures": failures[:3], "seconds": elapsed, "rps": done / elapsed if elapsed else 0,
            "client_cpu_s": cpu,
            "median_ms": statistics.median(lat) * 1e3 if lat else None,
            "p99_ms": lat[min(done - 1, round(0.99 * done))] * 1e3 if lat else None}


async def _warm_then_load(url: str, query: str, duration: float, max_requests: int,
                          unique: bool = False) -> dict:
    await load(url, [query], concurrency=1, duration=duration, max_requests=1, unique=unique)
    return await load(url, [query], concurrency=1, duration=duration, max_requests=max_requests,
                      unique=unique)


ECHO_BODY = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'
ECHO_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: " + str(len(ECHO_BODY)).encode() + b"\r\n\r\n" + ECHO_BODY)


class _Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""

    def data_received(self, data):
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.transport.write(ECHO_RESPONSE)


async def echo(port: int, lifetime: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Echo, "127.0.0.1", port)
    async with server:
        await asyncio.sleep(lifetime)


def _loop_runner():
    try:
        import uvloop

        return uvloop.run
    except ImportError:
        return asyncio.run


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.http")
    sub = p.add_subparsers(dest="cmd", required=True)
    lp = sub.add_parser("load")
    lp.add_argument("url")
    lp.add_argument("--queries", required=True, help="JSON file: a list of query strings")
    lp.add_argument("--concurrency", type=int, default=1)
    lp.add_argument("--duration", type=float, default=5.0)
    lp.add_argument("--max-requests", type=int, default=50_000)
    lp.add_argument("--unique", action="store_true",
                    help="make every query text unique (a counter in a comment): no cache hits")
    lp.add_argument("--gzip", action="store_true",
                    help="ask for gzip-compressed answers, as browsers and most clients do")
    lp.add_argument("--per-query", action="store_true",
                    help="one client, each query on its own: latency per query (JSON list)")
    ep = sub.add_parser("echo")
    ep.add_argument("--port", type=int, required=True)
    ep.add_argument("--lifetime", type=float, default=120.0, help="seconds before it exits")
    args = p.parse_args(argv)
    run = _loop_runner()
    if args.cmd == "echo":
        run(echo(args.port, args.lifetime))
        return 0
    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)
    if args.url.split(":", 2)[1].strip("/") not in ("127.0.0.1", "localhost"):
        raise SystemExit("only 127.0.0.1 is allowed")
    if args.per_query:
        # One warm-up request, then the measured ones, query by query.
        out = [run(_warm_then_load(args.url, q, args.duration, args.max_requests, args.unique))
               for q in queries]
    else:
        out = run(load(args.url, queries, concurrency=args.concurrency,
                       duration=args.duration, max_requests=args.max_requests,
                       unique=args.unique))
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
