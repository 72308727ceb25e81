"""Small helpers shared by the server tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MINUSMA = "https://w3id.org/mali-kg/id/minusma"
LABEL_QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    f"SELECT ?label WHERE {{ <{MINUSMA}> rdfs:label ?label FILTER(lang(?label) = 'en') }}"
)
ASK_QUERY = f"ASK {{ <{MINUSMA}> ?p ?o }}"
CONSTRUCT_QUERY = f"CONSTRUCT {{ <{MINUSMA}> ?p ?o }} WHERE {{ <{MINUSMA}> ?p ?o }}"
DESCRIBE_QUERY = f"DESCRIBE <{MINUSMA}>"
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Canary:
    """A local HTTP server that records every request it gets (it must get none), and answers
    each with an empty result set; with ``hold``, only once that event is set."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                canary.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                if hold is not None:
                    hold.wait(60)
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@contextmanager
def canary_server(hold: threading.Event | None = None) -> Iterator[Canary]:
    canary = Canary(hold)
    thread = threading.Thread(target=canary.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        canary.httpd.shutdown()
        canary.httpd.server_close()


def run(coro) -> None:
    """``asyncio.run`` on a thread of its own: the browser tests' session keeps an event loop
    running on the main thread."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as e:  # re-raised on the test's thread
            failure.append(e)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
