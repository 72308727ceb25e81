"""HEAD on every page and document that answers GET 200 gives the same status and headers
as GET (Content-Type, and ETag and Content-Length where GET has them) and no body."""

from __future__ import annotations

import httpx
import pytest

from .conftest import assert_healthy, assert_logs_clean

EXAMPLE = "01-resolution-adoption-vote"
ROUTES = [
    "/", "/index.json", "/article", "/article.json", "/timeline", "/timeline.json",
    "/timeline.svg", "/ontology", "/ontology.ttl", "/shapes", "/shapes.ttl", "/validate",
    "/validate.json", "/sparql", "/data/mali-kg.ttl", "/data/mali-kg.jsonld",
    "/.well-known/void", "/dataset", "/id/minusma", "/id/minusma.ttl",
    f"/examples/{EXAMPLE}", f"/examples/{EXAMPLE}.json", "/diagram/minusma",
    "/diagram/minusma.json", "/assets/pages.css", "/static/mali-kg.css",
]
CLIENTS = {
    "tool": {"Accept": "*/*", "Accept-Encoding": "identity"},
    "browser": {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate"},
}


@pytest.fixture(scope="module")
def client(servers):
    with httpx.Client(base_url=servers.current().url, timeout=30) as c:
        yield c


@pytest.mark.parametrize("client_kind", CLIENTS)
@pytest.mark.parametrize("path", ROUTES)
def test_head_matches_get(client, path, client_kind):
    headers = CLIENTS[client_kind]
    get = client.get(path, headers=headers)
    assert get.status_code == 200, f"GET {path}: {get.status_code}"
    head = client.head(path, headers=headers)
    assert head.status_code == get.status_code, f"HEAD {path}: {head.status_code}"
    assert head.content == b"", f"HEAD {path} has a body"
    for name in ("content-type", "etag", "content-length", "content-encoding"):
        if name in get.headers or name == "content-type":
            assert head.headers.get(name) == get.headers.get(name), \
                f"HEAD {path}: {name} {head.headers.get(name)!r}, GET: {get.headers.get(name)!r}"


def test_server_is_healthy(server):
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
