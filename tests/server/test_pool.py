"""The worker pool keeps its promises, with real worker processes: never more than its limit
under a burst, extras retire under steady light traffic, and the warm workers are restored
after jobs are abandoned or killed; over a remote engine, workers sharing a process run their
queries at once, and go as a whole."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading

import pytest

from mali_kg.remote import Backend
from mali_kg.server import executor
from mali_kg.server.executor import JobTimeout, PoolBusy, WorkerFailed, WorkerPool
from mali_kg.server.worker import Job, Limits

from .helpers import canary_server, run

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "ASK { ?s ?p ?o }"


def job(query: str) -> Job:
    return Job(query=query, form="SELECT" if query.startswith("SELECT") else "ASK",
               format="json", default_graphs=None, named_graphs=None, max_rows=10,
               base_iri=None)


@pytest.fixture
def quick_retirement(monkeypatch):
    monkeypatch.setattr(executor, "RETIRE_AFTER", 1.0)
    monkeypatch.setattr(executor, "JANITOR_EVERY", 0.1)


def pool(warm: int = 2, limit: int = 4, **options) -> WorkerPool:
    return WorkerPool(role="query", warm=warm, limit=limit,
                      limits=Limits(max_memory=512 * 2**20, max_output=2**20), **options)


async def settle(p: WorkerPool, size: int, seconds: float = 30.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if p.size == size and p.alive == size:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"pool size {p.size} (alive {p.alive}), expected {size}")


def test_a_burst_never_exceeds_the_limit_and_extras_retire_under_light_traffic(
        quick_retirement):
    async def scenario() -> None:
        p = pool()
        await p.start()
        sizes: list[int] = []

        async def watch() -> None:
            while True:
                sizes.append(p.size)
                await asyncio.sleep(0.01)

        watcher = asyncio.ensure_future(watch())
        try:
            results = await asyncio.gather(*(p.run(job(SLOW), timeout=1.0) for _ in range(24)),
                                           return_exceptions=True)
            assert all(isinstance(r, JobTimeout | PoolBusy | tuple) for r in results), results
            assert max(sizes) <= p.limit and p.peak <= p.limit, (max(sizes), p.peak)
            assert p.peak == p.limit  # the burst did grow the pool
            # Grow again, then keep one fast job running at a time: the extras must retire.
            await asyncio.gather(*(p.run(job(SLOW), timeout=0.5) for _ in range(6)),
                                 return_exceptions=True)
            for _ in range(40):
                assert (await p.run(job(FAST), timeout=5))[0] == "ok"
                await asyncio.sleep(0.05)
            await settle(p, p.warm, seconds=5)
        finally:
            watcher.cancel()
            await p.close()

    run(scenario())


def test_abandoned_jobs_leave_the_warm_workers_in_place(quick_retirement):
    async def scenario() -> None:
        p = pool(warm=2, limit=3)
        await p.start()
        try:
            for _ in range(20):  # a client leaving: its task is cancelled mid-job
                task = asyncio.ensure_future(p.run(job(SLOW), timeout=10))
                await asyncio.sleep(0.05)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await settle(p, p.warm)
            assert p.replaced >= 1  # (a job cancelled while still waiting had no worker)
            assert (await p.run(job(FAST), timeout=5))[0] == "ok"
        finally:
            await p.close()

    run(scenario())


def test_over_an_engine_workers_share_a_process_and_go_with_it(quick_retirement):
    """Four workers to a process: an engine that answers nobody until four requests have come
    shows that one process asks it four at once; a fifth job starts a second process (never
    past the limit), which retires whole once idle; a killed process fails the jobs of all
    its workers, and the pool is whole again."""
    hold = threading.Event()

    async def arrived(canary, n: int) -> None:
        for _ in range(600):
            if len(canary.requests) >= n:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{len(canary.requests)} requests reached the engine, not {n}")

    async def scenario(canary) -> None:
        backend = Backend.parse(canary.url + "/sparql", graphs=["https://example.org/g"])
        p = pool(warm=3, limit=8, source=backend, slots=4)
        assert (p.warm, p.limit) == (4, 8)  # whole processes
        await p.start()
        try:
            assert p.state()["processes"] == 1 and p.size == 4
            query = job("SELECT * WHERE { ?s ?p ?o }")
            running = [asyncio.ensure_future(p.run(query, timeout=30)) for _ in range(5)]
            await arrived(canary, 5)  # four from the first process, one from a second
            assert p.state()["processes"] == 2 and p.peak <= p.limit
            hold.set()
            assert all(r[0] == "ok" for r in await asyncio.gather(*running))
            await settle(p, 4, seconds=10)  # the second process retired, whole
            assert p.state()["processes"] == 1

            hold.clear()
            canary.requests.clear()
            running = [asyncio.ensure_future(p.run(query, timeout=30)) for _ in range(4)]
            await arrived(canary, 4)
            pid = next(iter(p._all)).process.pid
            os.kill(pid, signal.SIGKILL)
            results = await asyncio.gather(*running, return_exceptions=True)
            assert all(isinstance(r, WorkerFailed) for r in results), results
            hold.set()
            await settle(p, 4)
            assert p.state()["processes"] == 1 and p.replaced == 4
            assert (await p.run(query, timeout=10))[0] == "ok"
        finally:
            hold.set()
            await p.close()

    with canary_server(hold) as canary:
        run(scenario(canary))
