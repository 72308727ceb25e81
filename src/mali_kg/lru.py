"""A least-recently-used mapping bounded by bytes, not by count.

Every cache the server keeps (answers, inspections, decoded parameters, parsed ``Accept``
headers) is keyed by text a client chose, so a count bound alone lets a few thousand large
keys take gigabytes. Here each entry has a cost in bytes (the caller's estimate of key and
value); entries costlier than ``max_entry`` are not kept, and the least recently used go
first once the total passes ``max_bytes``. With ``ttl`` (seconds), an entry is forgotten that
long after it was kept: for answers from a store that can change underneath (a remote engine).
Safe to share between threads (a worker over a remote engine runs a job on each of several).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ByteLRU:
    def __init__(self, *, max_bytes: int, max_entry: int, ttl: float | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.ttl = ttl
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None and self.ttl is not None and time.monotonic() > found[2]:
                self._forget(key)
                found = None
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: Any, cost: int) -> None:
        if cost > self.max_entry or cost > self.max_bytes:
            return
        expires = time.monotonic() + self.ttl if self.ttl is not None else 0.0
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, cost, expires)
            self.size += cost
            while self.size > self.max_bytes:
                _, (_, old_cost, _) = self._entries.popitem(last=False)
                self.size -= old_cost

    def _forget(self, key: Hashable) -> None:
        _, cost, _ = self._entries.pop(key)
        self.size -= cost


class BoundedDict(ByteLRU):
    """A :class:`ByteLRU` of things made once and kept, each costed by its size."""

    def kept(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for ``key``, else ``make()``'s, kept if it fits. (Asking ``in`` and
        then ``[]`` could miss: another thread may drop the entry, or a TTL end, between.)"""
        value = self.get(key)
        if value is None:
            value = make()
            self[key] = value
        return value

    def __contains__(self, key: Hashable) -> bool:
        return ByteLRU.get(self, key) is not None

    def __setitem__(self, key: Hashable, value: Any) -> None:
        self.put(key, value, _cost(key) + _cost(value))


def _cost(value: Any) -> int:
    if isinstance(value, tuple | list):
        return 64 + sum(_cost(v) for v in value[:1000]) + 8 * max(0, len(value) - 1000)
    return sys.getsizeof(value)
