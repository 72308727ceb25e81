"""A burst of slow queries never starts more query workers than the pool's limit (2 warm and
4 extra): every query is answered 200, 503 (busy) or 504 (stopped), never 500 nor a dropped
connection, and the server keeps answering."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .conftest import (
    RESULTS_JSON,
    assert_healthy,
    assert_logs_clean,
    cmdline,
    descendants,
    is_dying,
    serving_pid,
)

SERVER_FLAGS = ("--timeout", "1")
QUERY_LIMIT = 6
VALIDATE_LIMIT = 2
BURST = 24


def slow_query(i: int) -> str:
    # Each query is different, so none is answered from a cache or shares another's run.
    return ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
            f"FILTER(?a != <urn:burst:{i}>) }}")


def worker_processes(serving: int) -> list[int]:
    """Processes started through multiprocessing below the serving process (query and
    validation workers), leaving out multiprocessing's resource tracker and processes already
    killed."""
    found = []
    for pid in descendants(serving):
        line = cmdline(pid)
        if ("spawn_main" in line or "--multiprocessing-fork" in line) and not is_dying(pid):
            found.append(pid)
    return found


def test_burst_stays_within_the_pool_limit(server):
    def run(i: int):
        try:
            return httpx.post(server.url + "/sparql", content=slow_query(i).encode(),
                              headers={"Content-Type": "application/sparql-query",
                                       "Accept": RESULTS_JSON}, timeout=60).status_code
        except httpx.HTTPError as e:
            return repr(e)

    serving = serving_pid(server)
    samples: list[dict] = []
    process_counts: list[int] = []
    done = threading.Event()

    def watch() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while not done.is_set():
                try:
                    samples.append(client.get("/health").json())
                except (httpx.HTTPError, ValueError) as e:
                    samples.append({"error": repr(e)})
                process_counts.append(len(worker_processes(serving)))
                time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(BURST) as pool:
            statuses = list(pool.map(run, range(BURST)))
    finally:
        done.set()
        watcher.join()

    assert all(s in (200, 503, 504) for s in statuses), statuses
    assert max(process_counts) <= QUERY_LIMIT + VALIDATE_LIMIT, process_counts
    assert samples, "no /health sample was taken during the burst"
    for health in samples:
        assert "error" not in health, health
        query_pool = health["pool"]["query"]
        assert query_pool["limit"] == QUERY_LIMIT, health
        assert query_pool["size"] <= query_pool["limit"], health
        assert health["pool"]["validate"]["size"] <= VALIDATE_LIMIT, health
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
