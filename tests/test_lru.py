"""The bounded caches: what ``kept`` makes is given back even when it is not kept, and one
cache shared by threads (a query worker over a remote engine runs several) keeps its books."""

from __future__ import annotations

import sys
import threading

from mali_kg.lru import BoundedDict, ByteLRU


def test_kept_gives_back_what_it_made_kept_or_not():
    made: list[str] = []

    def make(value: str):
        return lambda: made.append(value) or value

    kept = BoundedDict(max_bytes=10_000, max_entry=1_000)
    assert kept.kept("a", make("page")) == "page"
    assert kept.kept("a", make("again")) == "page" and made == ["page"]  # made once
    assert kept.kept("b", make("x" * 5_000)) == "x" * 5_000  # too large to keep
    assert "b" not in kept
    expired = BoundedDict(max_bytes=10_000, max_entry=1_000, ttl=0)  # nothing outlives a call
    assert expired.kept("a", make("now")) == "now"
    assert expired.kept("a", make("later")) == "later"


def test_threads_sharing_a_cache_keep_its_books():
    cache = ByteLRU(max_bytes=2_000, max_entry=500)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50_000):
                key = (n + i) % 97
                if cache.get(key) is None:
                    cache.put(key, i, 100 + key)
        except BaseException as e:
            failures.append(e)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures
    assert cache.size == sum(cost for _, cost, _ in cache._entries.values()) <= cache.max_bytes
