"""A least-recently-used mapping bounded by bytes, not by count.

Every cache the server keeps (answers, inspections, decoded parameters, parsed ``Accept``
headers) is keyed by text a client chose, so a count bound alone lets a few thousand large
keys take gigabytes. Here each entry has a cost in bytes (the caller's estimate of key and
value); entries costlier than ``max_entry`` are not kept, and the least recently used go
first once the total passes ``max_bytes``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class ByteLRU:
    def __init__(self, *, max_bytes: int, max_entry: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[0]

    def put(self, key: Hashable, value: Any, cost: int) -> None:
        if cost > self.max_entry or cost > self.max_bytes or key in self._entries:
            return
        self._entries[key] = (value, cost)
        self.size += cost
        while self.size > self.max_bytes:
            _, (_, old_cost) = self._entries.popitem(last=False)
            self.size -= old_cost
