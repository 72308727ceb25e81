"""What the serving process's own Python costs a unique query, in-process, and the check a
query worker makes before a query goes to a remote engine.

``python -m bench.frontdoor [--requests N] [--rounds R]``

The 17 example queries, each text made unique by a comment (as ``bench.http --unique`` makes
them), go through the pieces of the front door one at a time — the query parameter's
decoding and the inspection — and then through the whole app (``create_app``, with its
middleware and the access log to memory) on uvloop, set up as ``serve --backend`` is, with
a worker pool that answers at once with a fixed 2 KB result set. No socket, no worker and no
engine: what is left is the Python work the serving process does for every request. The
last row is the query worker's check that only standard SPARQL 1.1 reaches the engine
(pyoxigraph parses the query, and plans it on an empty store where it calls a function by
name). Prints a Markdown table of microseconds a request (the best of the rounds). To
compare two checkouts, run it in each (``PYTHONPATH=OTHER/src python -m bench.frontdoor``).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import time
from collections.abc import Callable
from urllib.parse import quote

from mali_kg import pages
from mali_kg.gate import inspect_query
from mali_kg.remote import Backend, standard_only
from mali_kg.server import create_app, params
from mali_kg.server.settings import Settings

from . import inprocess

# Each piece timed, by the key --json gives it.
PIECES = {"decoding": "decoding the query parameter", "inspection": "inspection",
          "app": "the whole app (middleware, protocol handler, an instant pool)",
          "check": "in a query worker: the check that only SPARQL 1.1 is sent"}
ANSWER = (b'{"head":{"vars":["a"]},"results":{"bindings":['
          + b'{"a":{"type":"literal","value":"x"}},' * 60 + b'{}]}}')
HEADERS = [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/sparql-results+json"),
           (b"connection", b"keep-alive")]


class InstantPool:
    """A worker pool that answers every job at once, on the event loop's next turn."""

    async def run(self, job, *, timeout: float) -> tuple:
        reply = asyncio.get_running_loop().create_future()
        reply.get_loop().call_soon(reply.set_result, ("ok", ANSWER, None))
        return await reply


def unique_texts(n: int, tag: str) -> list[str]:
    """``n`` example texts, each made unique by a comment ending in ``tag``."""
    examples = [text for _, text in inprocess.example_queries()]
    return [f"{examples[i % len(examples)]}\n#frontdoor-{i}-{tag}" for i in range(n)]


def _scope(query_string: bytes) -> dict:
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": "/sparql", "raw_path": b"/sparql",
            "query_string": query_string, "headers": HEADERS, "client": ("127.0.0.1", 5555),
            "server": ("127.0.0.1", 8000), "root_path": ""}


def app_cost(texts: list[str]) -> float:
    """Microseconds a request through the whole app."""
    import uvloop

    settings = Settings(backend=Backend.parse("http://127.0.0.1:9/query", graphs=["urn:x"]))
    app = create_app(settings, renderer=pages.Renderer(), extra_routers=[pages.router],
                     log_stream=io.StringIO())
    app.state.ctx.pool = InstantPool()
    scopes = [_scope(b"query=" + quote(t, safe="").encode()) for t in texts]

    async def receive() -> dict:
        await asyncio.sleep(3600)  # the client never leaves
        return {"type": "http.disconnect"}

    statuses: list[int] = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run() -> float:
        started = time.perf_counter()
        for scope in scopes:
            await app(scope, receive, send)
        return time.perf_counter() - started

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        seconds = runner.run(run())
    if statuses != [200] * len(scopes):
        raise RuntimeError(f"the app answered {sorted(set(statuses))}, not only 200")
    return seconds / len(scopes) * 1e6


def piece_cost(texts: list[str], piece: Callable[[str], object]) -> float:
    started = time.perf_counter()
    for text in texts:
        piece(text)
    return (time.perf_counter() - started) / len(texts) * 1e6


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.frontdoor",
                                description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=3000, help="unique texts a round")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--json", action="store_true",
                   help="print {piece's key: µs a request} as JSON instead of the table")
    args = p.parse_args(argv)
    settings = Settings()
    encoded = {}

    def decode(text: str) -> object:
        return params.decode(encoded[text], "the URL")

    def inspect(text: str) -> object:
        return inspect_query(text, max_bytes=settings.max_query_bytes,
                             max_depth=settings.max_nesting, base_iri=settings.base_iri)

    def check(text: str) -> object:
        return standard_only(text, settings.base_iri, frozenset())

    rows: dict[str, list[float]] = {key: [] for key in PIECES}
    for r in range(args.rounds):
        texts = unique_texts(args.requests, str(r))  # unique across rounds: no cache answers
        encoded.update((t, b"query=" + quote(t, safe="").encode()) for t in texts)
        costs = (piece_cost(texts, decode), piece_cost(texts, inspect),
                 app_cost(unique_texts(args.requests, f"{r}-app")), piece_cost(texts, check))
        for row, cost in zip(rows.values(), costs, strict=True):
            row.append(cost)
        encoded.clear()
    if args.json:
        print(json.dumps({name: min(costs) for name, costs in rows.items()}))
        return
    print(f"The serving process's Python work and a query worker's check, unique texts of the "
          f"example mix ({args.requests} a round, best of {args.rounds} rounds)\n")
    print("| piece | µs a request |\n|---|---:|")
    for key, costs in rows.items():
        print(f"| {PIECES[key]} | {min(costs):.1f} |")


if __name__ == "__main__":
    main()
