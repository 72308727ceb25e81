"""A query that needs gigabytes (a cross product sorted in full) is refused with a 503 that
names the memory limit, before the time limit, while the memory of the whole process tree
stays bounded; the server keeps answering."""

from __future__ import annotations

import threading
import time

import httpx

from .conftest import MIB, RESULTS_JSON, assert_healthy, assert_logs_clean, descendants, tree_rss

MAX_MEMORY_MIB = 256
SERVER_FLAGS = ("--max-memory", str(MAX_MEMORY_MIB), "--timeout", "20")
HUNGRY_QUERY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f LIMIT 1"
# What one process may hold: the memory limit plus the interpreter, the store and slack.
PER_PROCESS = (MAX_MEMORY_MIB + 300) * MIB


def test_memory_hungry_query_refused(server):
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["response"] = httpx.post(
                server.url + "/sparql", content=HUNGRY_QUERY.encode(), timeout=60,
                headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON})
        except httpx.HTTPError as e:
            outcome["error"] = e
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    worst = (0, 0, 0)  # (resident bytes, bound, processes) of the sample closest to its bound
    while thread.is_alive():
        processes = 1 + len(descendants(server.process.pid))
        resident = tree_rss(server.process.pid)
        bound = processes * PER_PROCESS
        if resident / bound > worst[0] / max(worst[1], 1):
            worst = (resident, bound, processes)
        thread.join(timeout=0.1)

    assert "error" not in outcome, outcome
    r = outcome["response"]
    assert outcome["seconds"] < 30, f"answered after {outcome['seconds']:.1f} s"
    assert r.status_code == 503, (r.status_code, r.text[:300])
    assert "memory" in r.text.lower(), r.text[:300]
    resident, bound, processes = worst
    assert resident < bound, (f"{processes} processes held {resident / MIB:.0f} MiB "
                              f"(bound {bound / MIB:.0f} MiB)")
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
