"""Answers to repeated queries, kept in the parent process.

The store a server runs on never changes while it runs (the bundled graph is loaded at start;
``--store`` is opened read-only), so the same job — query text, result format, dataset and row
limit — always gets the same bytes. Keeping them saves the round trip to a worker, which is
most of the cost of a fast query. Bounded in bytes (least recently used first out); bodies
larger than ``max_entry`` are not kept. Only successful answers are kept.
"""

from __future__ import annotations

from collections import OrderedDict

from .worker import Job


class ResultCache:
    def __init__(self, *, max_bytes: int, max_entry: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Job, tuple] = OrderedDict()

    def get(self, job: Job) -> tuple | None:
        reply = self._entries.get(job)
        if reply is None:
            self.misses += 1
            return None
        self._entries.move_to_end(job)
        self.hits += 1
        return reply

    def put(self, job: Job, reply: tuple) -> None:
        if reply[0] != "ok" or job in self._entries:
            return
        cost = len(reply[1]) + len(job.query)
        if cost > self.max_entry or self.max_bytes <= 0:
            return
        self._entries[job] = reply
        self.size += cost
        while self.size > self.max_bytes:
            old_job, old = self._entries.popitem(last=False)
            self.size -= len(old[1]) + len(old_job.query)
