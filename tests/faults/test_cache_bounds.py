"""Unique, large request data does not pile up in the serving process: 300 different 100 KB
Accept headers and 1,000 different 100 KB queries leave its memory within fixed bounds (the
server's caches are bounded in bytes, not only in entries)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .conftest import (
    MIB,
    ORDINARY_QUERY,
    RESULTS_JSON,
    assert_healthy,
    assert_logs_clean,
    rss,
    serving_pid,
)

HEADER_BYTES = 100_000
QUERY_BYTES = 100_000


def unique_accept(i: int) -> str:
    head = f"{RESULTS_JSON}, application/x-unique-{i};q=0.5"
    return head + ", text/x-padding;q=0.1" * ((HEADER_BYTES - len(head)) // 22)


def unique_query(i: int) -> bytes:
    filler = f"{i:08d}-" + "x" * (QUERY_BYTES - 9)
    return f'ASK {{ FILTER("{filler}" != "") }}'.encode()


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def run_in_threads(task, count: int) -> list:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(task, range(count)))


def test_unique_large_accept_headers(server, client):
    serving = serving_pid(server)
    before = rss(serving)

    def request(i: int):
        r = client.get("/sparql", params={"query": ORDINARY_QUERY},
                       headers={"Accept": unique_accept(i)})
        return r.status_code

    statuses = run_in_threads(request, 300)
    assert set(statuses) <= {200, 431}, sorted(set(statuses))
    growth = rss(serving) - before
    assert growth < 64 * MIB, f"the serving process grew by {growth / MIB:.0f} MiB"
    assert_healthy(server)


def test_unique_large_queries(server, client):
    serving = serving_pid(server)
    before = rss(serving)

    def request(i: int):
        r = client.post("/sparql", content=unique_query(i),
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": RESULTS_JSON})
        return r.status_code

    statuses = run_in_threads(request, 1000)
    assert set(statuses) == {200}, sorted(set(statuses))
    growth = rss(serving) - before
    assert growth < 200 * MIB, f"the serving process grew by {growth / MIB:.0f} MiB"
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
