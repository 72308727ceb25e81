"""The worker pool keeps its promises, with real worker processes: never more than its limit
under a burst, extras retire under steady light traffic, and the warm workers are restored
after jobs are abandoned or killed."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from mali_kg.server import executor
from mali_kg.server.executor import JobTimeout, PoolBusy, WorkerPool
from mali_kg.server.worker import Job, Limits

from .helpers import run

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


def pool(warm: int = 2, limit: int = 4) -> WorkerPool:
    return WorkerPool(role="query", warm=warm, limit=limit,
                      limits=Limits(max_memory=512 * 2**20, max_output=2**20))


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
