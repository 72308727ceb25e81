"""Answers to repeated queries, kept in the parent process.

The embedded store never changes while the server runs (the bundled graph is loaded at start;
``--store`` is opened read-only), so the same job — query text, result format, dataset and row
limit — always gets the same bytes. Keeping them saves the round trip to a worker, which is
most of the cost of a fast query. A remote engine's data can change: over ``--backend``,
answers are kept only for ``--cache-ttl`` seconds (none by default). Bounded in bytes
(:class:`.lru.ByteLRU`); bodies larger than ``max_entry`` are not kept. Only successful
answers are kept.
"""

from __future__ import annotations

from ..lru import ByteLRU
from .worker import Job

# What a kept entry costs beyond its body and query text: the job, the tuple, the dict slot.
ENTRY_OVERHEAD = 400


class ResultCache(ByteLRU):
    def get(self, job: Job) -> tuple | None:  # type: ignore[override]
        return super().get(job)

    def put(self, job: Job, reply: tuple) -> None:  # type: ignore[override]
        if reply[0] != "ok" or self.max_bytes <= 0:
            return
        super().put(job, reply, len(reply[1]) + 2 * len(job.query) + ENTRY_OVERHEAD)
