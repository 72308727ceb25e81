"""HEAD wherever GET works, with the same headers; a client that leaves mid-body is a 499.

The HEAD checks run over sample paths for every GET route of the app ``mali-kg serve`` builds
(``create_app`` with the pages router): a GET route without samples here fails
:func:`test_every_get_route_has_samples`, so new routes get their HEAD checked too.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import quote, urlsplit

import httpx
import pytest

from mali_kg.formats import RdfFormat
from mali_kg.server.ui import STATIC_DIR

from .helpers import CONSTRUCT_QUERY, LABEL_QUERY

RDF_EXTS = [f.extension for f in RdfFormat]
RESOURCE_EXTS = ["ttl", "jsonld", "nt", "rdf", "html"]
DOCUMENT_EXTS = [*RDF_EXTS, "html"]
EXAMPLE = "01-resolution-adoption-vote"

# Route path (as the app declares it) -> concrete paths to compare GET and HEAD on; each
# route has at least one path it answers with 200, and most a path it refuses as well.
SAMPLES: dict[str, list[str]] = {
    "/sparql": ["/sparql", f"/sparql?query={quote(LABEL_QUERY)}",
                f"/sparql?query={quote(CONSTRUCT_QUERY)}", "/sparql?query=SELEKT",
                "/sparql?update=CLEAR%20ALL"],
    "/data/mali-kg.{ext}": [*(f"/data/mali-kg.{e}" for e in RDF_EXTS), "/data/mali-kg.xyz"],
    "/id/{slug:path}": ["/id/minusma", *(f"/id/minusma.{e}" for e in RESOURCE_EXTS),
                        "/id/minusma.xyz", "/id/no-such-thing"],
    "/context.jsonld": ["/context.jsonld"],
    "/ontology": ["/ontology"],
    "/ontology.{ext}": [*(f"/ontology.{e}" for e in DOCUMENT_EXTS), "/ontology.xyz"],
    "/shapes": ["/shapes"],
    "/shapes.{ext}": [*(f"/shapes.{e}" for e in DOCUMENT_EXTS), "/shapes.xyz"],
    "/graph/{name:path}": ["/graph/data", "/graph/ontology", "/graph/data.ttl",
                           "/graph/no-such-graph"],
    "/dataset": ["/dataset"],
    "/.well-known/void": ["/.well-known/void"],
    "/health": ["/health"],
    "/static": [*sorted("/static/" + p.relative_to(STATIC_DIR).as_posix()
                        for p in STATIC_DIR.rglob("*") if p.is_file()),
                "/static/no-such-file.css"],
    "/assets/{name}": ["/assets/pages.css", "/assets/article.js", "/assets/no-such-file.css"],
    "/": ["/"],
    "/index.json": ["/index.json"],
    "/examples/{name}": [f"/examples/{EXAMPLE}", f"/examples/{EXAMPLE}.json",
                         "/examples/no-such-example"],
    "/article": ["/article", "/article?span=no-such-span"],
    "/article.json": ["/article.json"],
    "/timeline": ["/timeline"],
    "/timeline.json": ["/timeline.json"],
    "/timeline.svg": ["/timeline.svg"],
    "/diagram/{slug:path}": ["/diagram/minusma", "/diagram/minusma.json",
                             "/diagram/no-such-thing"],
    "/validate": ["/validate"],
    "/validate.json": ["/validate.json"],
    "/{rest:path}": ["/no/such/page", "/favicon.ico"],
}
PATHS = list(dict.fromkeys(p for paths in SAMPLES.values() for p in paths))

# Requested as a browser, as a client taking anything, and as an RDF client; with gzip.
ACCEPTS = {"browser": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "any": "*/*",
           "turtle": "text/turtle"}
COMPARED = ["content-type", "content-length", "content-encoding", "etag", "link", "vary",
            "cache-control", "content-location", "content-disposition", "allow"]


def get_route_paths() -> set[str]:
    """The paths of the routes and mounts that answer GET in the served app."""
    from mali_kg import pages
    from mali_kg.server import create_app

    app = create_app(renderer=pages.Renderer(), extra_routers=[pages.router])
    try:  # FastAPI keeps included routers as one entry; this walks the routes inside them
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copies included routes into the app's own list
        routes = list(app.router.routes)
    else:
        routes = list(iter_route_contexts(app.router.routes))
    paths = set()
    for route in routes:
        methods = getattr(route, "methods", None)
        is_mount = methods is None and getattr(route, "routes", None) is not None
        if is_mount or (methods and "GET" in methods):
            paths.add(route.path)
    return paths


def test_every_get_route_has_samples():
    routes = get_route_paths()
    assert "/" in routes and "/timeline" in routes and "/static" in routes, routes
    missing = sorted(routes - SAMPLES.keys())
    assert not missing, f"GET routes without sample paths for the HEAD checks: {missing}"


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=60,
                      headers={"Accept-Encoding": "gzip"}) as c:
        yield c


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p[:48])
def test_head_matches_get(client, path):
    for name, accept in ACCEPTS.items():
        get = client.get(path, headers={"Accept": accept})
        head = client.head(path, headers={"Accept": accept})
        where = f"{path} (Accept: {name})"
        assert head.status_code == get.status_code, where
        assert head.content == b"", where
        for header in COMPARED:
            assert head.headers.get(header) == get.headers.get(header), f"{where}: {header}"
        if get.status_code == 200 and "content-length" not in get.headers:
            assert get.headers.get("transfer-encoding") == "chunked", where


def test_head_root_is_the_home_page(client):
    get, head = client.get("/"), client.head("/")
    assert get.status_code == head.status_code == 200
    assert head.headers["link"] == get.headers["link"]
    assert "/index.json" in get.headers["link"]
    assert head.headers["content-length"] == get.headers["content-length"]


def test_head_sends_no_body_on_the_wire(server_url):
    """The bytes after the header block of a HEAD response: none."""
    url = urlsplit(server_url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as s:
        s.sendall(b"HEAD /article HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert b"content-length:" in head.lower()
    assert rest == b""


# -- a client that leaves before its body has arrived ----------------------------------------

@pytest.fixture(scope="module")
def server(server_factory):
    with server_factory() as running:
        yield running


def _log_record(server, method: str, path: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in server.log().splitlines():
            if line.startswith("{"):
                record = json.loads(line)
                if record.get("method") == method and record.get("path") == path:
                    return record
        time.sleep(0.1)
    raise AssertionError(f"no access-log line for {method} {path}:\n{server.log()}")


@pytest.mark.parametrize(("path", "content_type"), [
    ("/sparql", "application/sparql-query"),
    ("/validate", "text/turtle"),
])
def test_client_leaving_mid_body_is_logged_as_499(server, path, content_type):
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                  f"Content-Type: {content_type}\r\nContent-Length: 100000\r\n\r\n".encode()
                  + b"0123456789")
        time.sleep(0.3)  # the server is now waiting for the rest of the body
    record = _log_record(server, "POST", path)
    assert record["status"] == 499, record
    log = server.log()
    assert "Traceback" not in log, log
    assert "Exception in ASGI application" not in log, log
    assert httpx.get(server.url + "/health", timeout=10).status_code == 200
