"""Costly request parsing never stalls the server: while four clients post 15,000-part forms
to /validate and four send unique 120 KB queries, /health keeps answering within a second."""

from __future__ import annotations

import itertools
import threading
import time

import httpx

from .conftest import RESULTS_JSON, assert_healthy, assert_logs_clean

PARTS = 15_000
FORM = (b'--B\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n' * PARTS + b"--B--\r\n")
QUERY_BYTES = 120_000
SAMPLES = 20


def unique_query(n: int) -> bytes:
    """A cheap query about 120 KB long that no earlier request has sent."""
    values = []
    size = 0
    for i in itertools.count():
        value = f'"q{n}-{i}" '
        values.append(value)
        size += len(value)
        if size > QUERY_BYTES:
            break
    return ("SELECT ?v WHERE { VALUES ?v { " + "".join(values) + "} } LIMIT 1").encode()


def test_health_answers_during_costly_parsing(server):
    stop = threading.Event()
    form_statuses: list = []
    query_statuses: list = []
    counter = itertools.count()

    def post_forms() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                try:
                    r = client.post("/validate", content=FORM, headers={
                        "Content-Type": "multipart/form-data; boundary=B",
                        "Accept": "application/json"})
                    form_statuses.append(r.status_code if r.status_code == 200 or
                                         400 <= r.status_code < 500 else (r.status_code, r.text))
                except httpx.HTTPError as e:
                    form_statuses.append(repr(e))

    def post_queries() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                try:
                    r = client.post("/sparql", content=unique_query(next(counter)), headers={
                        "Content-Type": "application/sparql-query", "Accept": RESULTS_JSON})
                    query_statuses.append(200 if r.status_code == 200 else
                                          (r.status_code, r.text))
                except httpx.HTTPError as e:
                    query_statuses.append(repr(e))

    threads = [threading.Thread(target=post_forms) for _ in range(4)]
    threads += [threading.Thread(target=post_queries) for _ in range(4)]
    for t in threads:
        t.start()
    latencies: list[float] = []
    try:
        time.sleep(1.0)  # the posts are under way
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while len(latencies) < SAMPLES:
                started = time.monotonic()
                try:
                    status = client.get("/health").status_code
                except httpx.TimeoutException:
                    status = None
                latencies.append(time.monotonic() - started)
                assert status == 200, status
                if latencies[-1] >= 1.0:
                    break  # one slow answer is enough to know
                time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=90)

    assert max(latencies) < 1.0, f"/health took up to {max(latencies):.2f} s: {latencies}"
    assert form_statuses, "no form post was answered"
    assert all(isinstance(s, int) for s in form_statuses), \
        [s for s in form_statuses if not isinstance(s, int)]
    assert all(s == 200 for s in query_statuses), [s for s in query_statuses if s != 200]
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
