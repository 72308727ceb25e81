"""Pools of worker processes (:mod:`.worker`), driven from the event loop.

Why processes: pyoxigraph cannot interrupt a running query, and a thread cannot be killed.
A process can: when a job passes its time limit the worker is killed (SIGKILL), its memory
goes back to the system, and a fresh worker takes its place. Each worker returns ready-to-send
bytes, so the parent only moves bytes.

A worker runs one job at a time. With the embedded store each is a process; over a remote
engine, where a worker mostly waits for the engine, ``slots`` workers share a process, one
thread and one pipe each: as many queries at once for fewer processes to switch between.
Sizes below count workers (rounded up to whole processes); a process goes as a whole, so
when one is killed or dies, the jobs of its other workers fail too.

Sizing: ``warm`` workers are kept running (for queries: ``--workers`` plus one spare, so a
slow query never makes a fast one wait for a process to start). When a job has waited
``BURST_AFTER`` seconds for a worker while some worker has been on one job for longer than
that (slow jobs, not a queue of fast ones on a busy machine, where a new process loading the
store would only take CPU from the rest), extra workers are started, never more than
``limit`` in all, counting those starting and those being stopped. Idle workers are taken
most recently used first, so under light traffic the same few stay busy and the others
retire after ``RETIRE_AFTER`` idle seconds; a dead or killed worker is replaced so that
``warm`` are always running. Over a remote engine a job given up on keeps its worker until
the engine answers (see :meth:`WorkerPool._abandon`). The pool's state is only touched
on the event loop; only the blocking wait for a killed process runs on a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import time
import weakref
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from ..remote import Backend
from . import worker as worker_module
from .worker import Limits

log = logging.getLogger("mali_kg.server")

BURST_AFTER = 0.2
RETIRE_AFTER = 30.0
JANITOR_EVERY = 1.0
DRAIN_MARGIN = 5.0
_ctx = mp.get_context("spawn")


class JobTimeout(Exception):
    """The job ran out of time; its worker was killed and replaced."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(Exception):
    """The worker died while running the job (it was replaced). ``out_of_memory`` is True
    when it died the way a process does at its memory limit, and not because the pool
    killed its process for another of its workers."""

    def __init__(self, exitcode: int | None, *, killed: bool = False):
        super().__init__(f"worker exited with {exitcode}")
        self.exitcode = exitcode
        # Rust aborts when an allocation fails; the kernel's OOM killer sends SIGKILL.
        self.out_of_memory = not killed and exitcode in (-signal.SIGABRT, -signal.SIGKILL)


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection
    idle_since: float = field(default_factory=time.monotonic)
    reply: asyncio.Future | None = None  # the reply to the job it runs
    busy_since: float = 0.0  # when it was given that job
    draining: bool = False  # its job was given up on; the remote engine has not answered yet
    late: bool = False  # it replied after its job had timed out, before that was handled
    watched: int | None = None  # the pipe's descriptor, while the event loop reads it


class WorkerPool:
    def __init__(self, *, role: str, warm: int, limit: int, limits: Limits,
                 source: str | Backend | None = None, start_timeout: float = 60.0,
                 slots: int = 1):
        if slots > 1 and not isinstance(source, Backend):
            raise ValueError("only workers over a remote engine share a process")
        self.role = role
        self.slots = max(1, slots)  # workers to a process
        self.warm = _whole(max(1, warm), self.slots)
        self.limit = max(self.warm, _whole(limit, self.slots))
        self.limits = limits
        self.source = source  # the store directory, or a remote engine
        self.start_timeout = start_timeout
        self._all: set[_Worker] = set()
        self._idle: deque[_Worker] = deque()  # oldest idle on the left
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._starting = 0
        self._stopping = 0
        self._closed = False
        self._tasks: set[asyncio.Task] = set()
        self.triples = 0
        self.replaced = 0  # workers killed (timeout, client gone) or found dead
        self.peak = 0  # most workers the pool ever had at once
        # Processes the pool killed while they ran: their workers' jobs did not run out of memory.
        self._killed: weakref.WeakSet[mp.process.BaseProcess] = weakref.WeakSet()

    # lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        self._keep_warm()
        while len(self._all) < self.warm:
            if not self._starting:
                raise RuntimeError(f"the {self.role} workers did not start")
            await asyncio.sleep(0.01)
        self._background(self._janitor())

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for w in list(self._all):
            _kill(w)
        for process in {w.process for w in self._all}:
            await asyncio.to_thread(process.join, 2)
        self._all.clear()
        self._idle.clear()

    @property
    def size(self) -> int:
        """Workers running, starting or being stopped: never above ``limit``."""
        return len(self._all) + self._starting + self._stopping

    @property
    def alive(self) -> int:
        return sum(1 for w in self._all if w.process.is_alive())

    def state(self) -> dict:
        return {"size": self.size, "alive": self.alive,
                "processes": len({w.process for w in self._all}),
                "busy": len(self._all) - len(self._idle),
                "draining": sum(1 for w in self._all if w.draining),
                "warm": self.warm, "limit": self.limit, "peak": self.peak,
                "replaced": self.replaced}

    # running jobs ------------------------------------------------------------------------------
    async def run(self, job: object, *, timeout: float) -> tuple:
        """Run ``job`` in a worker; the worker's reply tuple. Raises JobTimeout, PoolBusy,
        WorkerFailed."""
        deadline = time.monotonic() + timeout
        w = await self._acquire(deadline)
        loop = asyncio.get_running_loop()
        w.reply = reply = loop.create_future()
        w.busy_since, w.late = time.monotonic(), False
        timer = loop.call_later(max(deadline - time.monotonic(), 0.001), _expire, reply)
        try:
            worker_module.send(w.conn, job)
            message = await reply
        except TimeoutError:
            self._abandon(w)
            raise JobTimeout from None
        except (EOFError, OSError):
            exitcode = await self._stop_and_wait(w)
            raise WorkerFailed(exitcode, killed=w.process in self._killed) from None
        except BaseException:  # cancelled (client gone, shutdown)
            self._abandon(w)
            raise
        finally:
            timer.cancel()
            w.reply = None
        self._release(w)
        return message

    def _readable(self, w: _Worker) -> None:
        """The worker's pipe can be read: its reply (a worker writes each message whole, at
        most --max-output bytes, so reading it blocks only briefly), or its end."""
        try:
            message = w.conn.recv()
        except (EOFError, OSError) as e:
            _unwatch(w)
            if w.reply is not None and not w.reply.done():
                w.reply.set_exception(e)
            elif w in self._all:  # it died between jobs, or while draining
                w.draining = False
                self._stop(w)
            return
        if w.reply is not None and not w.reply.done():
            w.reply.set_result(message)
        elif w.draining:  # the engine has finished the query given up on: serve again
            w.draining = False
            self._release(w)
        else:
            w.late = True

    def _abandon(self, w: _Worker) -> None:
        """Give up on the job ``w`` runs (it timed out, or nobody waits for it any more).

        Killing the worker stops the embedded engine. A remote engine goes on evaluating when
        the connection closes (Oxigraph server cannot stop a query), so over a backend the
        worker is left to wait for the engine's answer (until its connection's timeout) and
        then serves again: the queries this pool keeps an engine busy with are never more
        than its limit. One still busy ``DRAIN_MARGIN`` seconds after that timeout is not
        waiting for the engine, and is killed."""
        if isinstance(self.source, Backend) and w.watched is not None and not self._closed:
            if w.late:  # the answer came just after the deadline: nothing left to wait for
                w.late = False
                self._release(w)
                return
            w.draining = True
            log.warning("a %s job was given up on; its worker waits for the engine to end it",
                        self.role)
        else:
            self._stop(w)

    async def _acquire(self, deadline: float) -> _Worker:
        while self._idle:
            w = self._idle.pop()  # the most recently used: the others may retire
            if w.process.is_alive():
                return w
            self._stop(w)
        fut: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            while (left := deadline - time.monotonic()) > 0:
                with contextlib.suppress(TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(fut), min(BURST_AFTER, left))
                if fut.done() and not fut.cancelled():
                    return fut.result()
                if self._slow_job():
                    self._start_one()
            raise PoolBusy
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

    def _slow_job(self) -> bool:
        """Whether a worker has been on one job for longer than ``BURST_AFTER`` (or waits for
        an engine to end one given up on)."""
        since = time.monotonic() - BURST_AFTER
        return any(w.draining or (w.reply is not None and w.busy_since < since)
                   for w in self._all)

    def _release(self, w: _Worker) -> None:
        if self._closed or w not in self._all:
            _kill(w)
            return
        w.idle_since = time.monotonic()
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    # process management --------------------------------------------------------------------
    def _start_one(self) -> bool:
        """Start a worker process (``slots`` workers) in the background if the limit allows it."""
        if self._closed or self.size + self.slots > self.limit:
            return False
        self._starting += self.slots
        self.peak = max(self.peak, self.size)
        self._background(self._spawn())
        return True

    def _keep_warm(self) -> None:
        while not self._closed and len(self._all) + self._starting < self.warm and \
                self._start_one():
            pass

    async def _spawn(self) -> None:
        pipes = [_ctx.Pipe(duplex=True) for _ in range(self.slots)]
        process = _ctx.Process(
            target=worker_module.main,
            args=([child for _, child in pipes], self.role, self.source, self.limits,
                  os.getpid()),
            daemon=True, name=f"mali-kg-{self.role}-worker")
        try:
            # Started from the event loop's thread: the worker's PR_SET_PDEATHSIG follows
            # the thread that forked it.
            process.start()
            for _, child in pipes:
                child.close()
            for parent, _ in pipes:
                message = await self._first_message(parent)
        except Exception as e:
            if not isinstance(e, EOFError):
                log.exception("could not start a %s worker", self.role)
            elif not self._closed:  # it exited before it was ready (stopped with the server?)
                log.warning("a %s worker exited while starting", self.role)
            with contextlib.suppress(Exception):
                process.kill()
            for parent, _ in pipes:
                parent.close()
            self._starting -= self.slots
            return
        self._starting -= self.slots
        workers = [_Worker(process, parent) for parent, _ in pipes]
        if self.role == "query":
            self.triples = message[1]
        if self._closed:
            for w in workers:
                _kill(w)
            return
        loop = asyncio.get_running_loop()
        for w in workers:
            w.watched = w.conn.fileno()
            loop.add_reader(w.watched, self._readable, w)
            os.set_blocking(w.watched, True)  # the event loop may have made it non-blocking
            self._all.add(w)
            self._release(w)

    async def _first_message(self, conn: Connection) -> tuple:
        message = await _receive(conn, self.start_timeout)
        if message[0] != "ready":
            raise RuntimeError(f"a {self.role} worker said {message!r}")
        return message

    def _stop(self, w: _Worker) -> None:
        """Kill ``w``'s process and start a replacement if fewer than ``warm`` remain."""
        self._background(self._stop_and_wait(w))

    async def _stop_and_wait(self, w: _Worker) -> int | None:
        """Kill ``w``'s process. The idle workers it also runs go with it; a busy one is
        stopped when its job fails (the pipe closes)."""
        stopped = [w] + [x for x in self._idle if x.process is w.process and x is not w]
        taken = [x for x in stopped if x in self._all]  # (not those an earlier stop took)
        for x in taken:
            self._all.discard(x)
            with contextlib.suppress(ValueError):
                self._idle.remove(x)
        self.replaced += len(taken)
        self._stopping += len(taken)
        try:
            for x in stopped:
                _kill(x)
            # Until the kernel has taken the process back, it still counts against the limit.
            await asyncio.to_thread(w.process.join, 10)
            return w.process.exitcode
        finally:
            self._stopping -= len(taken)
            self._keep_warm()

    async def _janitor(self) -> None:
        while True:
            await asyncio.sleep(JANITOR_EVERY)
            for w in [w for w in self._idle if not w.process.is_alive()]:
                self._stop(w)
            if isinstance(self.source, Backend):
                # A worker busy for longer than it waits for the engine is not waiting for it.
                stuck = time.monotonic() - self.source.timeout - DRAIN_MARGIN
                for w in [w for w in self._all if w.draining and w.busy_since < stuck]:
                    w.draining = False
                    self._killed.add(w.process)
                    self._stop(w)
            while (retiring := self._retirable()) is not None:
                for w in retiring:
                    self._idle.remove(w)
                    self._all.discard(w)
                self._stopping += len(retiring)
                self._background(self._retire(retiring))
            self._keep_warm()

    def _retirable(self) -> list[_Worker] | None:
        """The workers of a process beyond ``warm`` that have all been idle for
        ``RETIRE_AFTER`` seconds, oldest first; None if there is none."""
        since = time.monotonic() - RETIRE_AFTER
        for w in self._idle:  # the oldest idle on the left
            if w.idle_since >= since:
                return None
            mates = [x for x in self._all if x.process is w.process]
            if len(self._all) - len(mates) >= self.warm and all(
                    x in self._idle and x.idle_since < since for x in mates):
                return mates
        return None

    async def _retire(self, workers: list[_Worker]) -> None:
        try:
            for w in workers:
                _kill(w)
            await asyncio.to_thread(workers[0].process.join, 10)
        finally:
            self._stopping -= len(workers)

    def _background(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _whole(workers: int, slots: int) -> int:
    """``workers`` rounded up to whole processes of ``slots``."""
    return -(-workers // slots) * slots


def _expire(reply: asyncio.Future) -> None:
    if not reply.done():
        reply.set_exception(TimeoutError())


def _unwatch(w: _Worker) -> None:
    """Stop reading the worker's pipe (before it is closed: its number may be reused)."""
    if w.watched is not None:
        with contextlib.suppress(Exception):
            asyncio.get_running_loop().remove_reader(w.watched)
        w.watched = None


def _kill(w: _Worker) -> None:
    _unwatch(w)
    with contextlib.suppress(Exception):
        w.conn.close()
    with contextlib.suppress(Exception):
        w.process.kill()


async def _receive(conn: Connection, timeout: float) -> tuple:
    """The next message on ``conn`` (a worker starting), waiting for it on the event loop."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        await asyncio.wait_for(ready, timeout)
    finally:
        loop.remove_reader(fd)
    # The event loop may have made the pipe non-blocking; a worker writes each message whole
    # (a reply is at most --max-output bytes), so reading it blocks only briefly.
    os.set_blocking(fd, True)
    return conn.recv()
