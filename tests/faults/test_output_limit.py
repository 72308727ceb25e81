"""A CONSTRUCT whose one triple holds a 128 MiB literal (a string doubled 24 times) is not
sent whole: with --max-output 4 the answer is cut at 4 MiB and flagged, or refused."""

from __future__ import annotations

import httpx

from .conftest import MIB, assert_healthy, assert_logs_clean

MAX_OUTPUT_MIB = 4
SERVER_FLAGS = ("--max-output", str(MAX_OUTPUT_MIB))
LIMIT = MAX_OUTPUT_MIB * MIB + 64 * 1024


def doubling_query(times: int = 24) -> str:
    binds = ['BIND("xxxxxxxx" AS ?s0)']
    binds += [f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(times)]
    return ("CONSTRUCT { <http://e/s> <http://e/p> ?o } WHERE { " + " ".join(binds)
            + f" BIND(?s{times} AS ?o) }}")


def test_huge_construct_is_bounded(server):
    with httpx.stream("POST", server.url + "/sparql", content=doubling_query().encode(),
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/n-triples",
                               "Accept-Encoding": "identity"}, timeout=60) as r:
        received = bytearray()
        for chunk in r.iter_bytes():
            received += chunk
            if len(received) > LIMIT:
                break
        status, headers = r.status_code, r.headers
    if status == 200:
        assert len(received) <= LIMIT, f"more than {LIMIT} bytes were sent"
        assert headers.get("x-mali-kg-truncated") == "true", dict(headers)
    else:
        assert status == 503 or 400 <= status < 500, status
        assert received.strip(), "a refusal says why"
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
