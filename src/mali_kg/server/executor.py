"""A pool of query worker processes, driven from the event loop.

Why processes: pyoxigraph cannot interrupt a running query, and a thread cannot be killed.
A process can: when a query passes its time limit the worker is killed (SIGKILL), its memory
goes back to the system, and a fresh worker takes its place. Each worker holds its own store
and returns the serialised response body, so the parent only moves bytes.

Sizing: ``workers`` processes are kept warm, plus one warm spare, so a slow query never makes
a fast one wait for a process to start. When every worker is busy for longer than
``BURST_AFTER`` seconds (slow queries, not a burst of fast ones) extra workers are started, up
to ``workers + extra``; extras above the warm count retire after ``RETIRE_AFTER`` idle seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from . import worker as worker_module
from .worker import Job

log = logging.getLogger("mali_kg.server")

BURST_AFTER = 0.2
RETIRE_AFTER = 30.0
_ctx = mp.get_context("spawn")


class QueryTimeout(Exception):
    """The query ran out of time; its worker was killed and replaced."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(Exception):
    """The worker died while running the query (it was replaced)."""


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    triples: int = 0
    idle_since: float = field(default_factory=time.monotonic)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(timeout=1)


class WorkerPool:
    def __init__(self, *, workers: int = 1, extra: int = 4, store_path: str | None = None,
                 start_timeout: float = 60.0):
        self.warm = max(1, workers) + 1
        self.limit = self.warm + max(0, extra)
        self.store_path = store_path
        self.start_timeout = start_timeout
        self._all: set[_Worker] = set()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._starting = 0
        self._closed = False
        self._janitor: asyncio.Task | None = None
        self.triples = 0
        self.replaced = 0  # workers killed (timeout, client gone) or found dead

    # lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.warm)))
        for w in workers:
            self._release(w)
        self._janitor = asyncio.create_task(self._retire_idle())

    async def close(self) -> None:
        self._closed = True
        if self._janitor:
            self._janitor.cancel()
        for w in list(self._all):
            w.kill()
        self._all.clear()
        self._idle.clear()

    @property
    def size(self) -> int:
        return len(self._all)

    @property
    def alive(self) -> int:
        return sum(1 for w in self._all if w.process.is_alive())

    # running queries ---------------------------------------------------------------------------
    async def run(self, job: Job, *, timeout: float) -> tuple:
        """Run ``job`` in a worker; the worker's reply tuple. Raises QueryTimeout, PoolBusy,
        WorkerFailed."""
        deadline = time.monotonic() + timeout
        w = await self._acquire(deadline)
        try:
            w.conn.send(job)
            remaining = deadline - time.monotonic()
            reply = await self._receive(w, max(remaining, 0.001))
        except TimeoutError:
            self._replace(w)
            raise QueryTimeout from None
        except (EOFError, OSError, BrokenPipeError):
            self._replace(w)
            raise WorkerFailed from None
        except BaseException:  # cancelled (client gone, shutdown): the worker's state is unknown
            self._replace(w)
            raise
        self._release(w)
        return reply

    async def _receive(self, w: _Worker, timeout: float) -> tuple:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = w.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await asyncio.wait_for(ready, timeout)
        finally:
            loop.remove_reader(fd)
        # The event loop may have made the pipe non-blocking; the worker writes the whole
        # reply at once, so reading the rest of it blocks only briefly.
        os.set_blocking(fd, True)
        return w.conn.recv()

    async def _acquire(self, deadline: float) -> _Worker:
        while self._idle:
            w = self._idle.popleft()
            if w.process.is_alive():
                return w
            self._replace(w)
        fut: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(fut), BURST_AFTER)
            if len(self._all) + self._starting < self.limit:
                asyncio.get_running_loop().create_task(self._grow())
            remaining = deadline - time.monotonic()
            try:
                return await asyncio.wait_for(asyncio.shield(fut), max(remaining, 0.001))
            except TimeoutError:
                if fut.done() and not fut.cancelled():
                    return fut.result()
                raise PoolBusy from None
        except BaseException:
            # A worker handed over just as we gave up goes back to the pool.
            if fut.done() and not fut.cancelled():
                self._release(fut.result())
            raise
        finally:
            if fut in self._waiters:
                self._waiters.remove(fut)
            if not fut.done():
                fut.cancel()

    def _release(self, w: _Worker) -> None:
        if self._closed:
            w.kill()
            return
        w.idle_since = time.monotonic()
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    # process management --------------------------------------------------------------------
    async def _spawn(self) -> _Worker:
        self._starting += 1
        try:
            return await asyncio.to_thread(self._spawn_blocking)
        finally:
            self._starting -= 1

    def _spawn_blocking(self) -> _Worker:
        parent, child = _ctx.Pipe(duplex=True)
        process = _ctx.Process(target=worker_module.main, args=(child, self.store_path),
                               daemon=True, name="mali-kg-query-worker")
        process.start()
        child.close()
        if not parent.poll(self.start_timeout):
            process.kill()
            raise RuntimeError("a query worker did not start in time")
        message = parent.recv()
        w = _Worker(process, parent, triples=message[1])
        self.triples = w.triples
        self._all.add(w)
        return w

    async def _grow(self) -> None:
        try:
            w = await self._spawn()
        except Exception:
            log.exception("could not start a query worker")
            return
        self._release(w)

    def _replace(self, w: _Worker) -> None:
        self.replaced += 1
        self._all.discard(w)
        w.kill()
        if not self._closed and len(self._all) + self._starting < self.warm:
            asyncio.get_running_loop().create_task(self._grow())

    async def _retire_idle(self) -> None:
        while True:
            await asyncio.sleep(5)
            now = time.monotonic()
            while len(self._all) > self.warm and self._idle and \
                    now - self._idle[0].idle_since > RETIRE_AFTER:
                w = self._idle.popleft()
                self._all.discard(w)
                w.kill()
