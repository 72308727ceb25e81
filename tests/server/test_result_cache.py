"""The parent's cache of answers: bounded in bytes, least recently used out, errors never kept."""

from __future__ import annotations

from mali_kg.server.result_cache import ENTRY_OVERHEAD, ResultCache
from mali_kg.server.worker import Job


def job(text: str, fmt: str = "json") -> Job:
    return Job(query=text, form="SELECT", format=fmt, default_graphs=None, named_graphs=None,
               max_rows=10, base_iri=None)


def test_a_repeated_job_is_answered_from_the_cache():
    cache = ResultCache(max_bytes=1000, max_entry=500)
    assert cache.get(job("q")) is None
    cache.put(job("q"), ("ok", b"body", False))
    assert cache.get(job("q")) == ("ok", b"body", False)
    assert cache.get(job("q", "csv")) is None  # another format is another answer
    assert (cache.hits, cache.misses) == (1, 2)


def test_errors_and_large_answers_are_not_kept():
    cache = ResultCache(max_bytes=1000, max_entry=100)
    cache.put(job("bad"), ("syntax", "message", 1, 1))
    cache.put(job("big"), ("ok", b"x" * 200, False))
    assert cache.get(job("bad")) is None and cache.get(job("big")) is None


def test_the_least_recently_used_answer_goes_first():
    entry = 10 + 2 + ENTRY_OVERHEAD  # body, query text (counted twice), bookkeeping
    budget = 2 * entry + entry // 2
    cache = ResultCache(max_bytes=budget, max_entry=budget)
    cache.put(job("a"), ("ok", b"x" * 10, False))
    cache.put(job("b"), ("ok", b"x" * 10, False))
    cache.get(job("a"))
    cache.put(job("c"), ("ok", b"x" * 10, False))
    assert cache.get(job("b")) is None
    assert cache.get(job("a")) is not None and cache.get(job("c")) is not None
    assert cache.size <= budget


def test_long_query_texts_count_against_the_budget():
    cache = ResultCache(max_bytes=10_000, max_entry=5_000)
    cache.put(job("x" * 6_000), ("ok", b"{}", False))  # a short answer to a long query
    assert cache.get(job("x" * 6_000)) is None
    for i in range(100):
        cache.put(job(f"{i:04d}" + "y" * 1_000), ("ok", b"{}", False))
    assert cache.size <= 10_000 and len(cache) < 10


def test_a_zero_budget_disables_the_cache():
    cache = ResultCache(max_bytes=0, max_entry=100)
    cache.put(job("q"), ("ok", b"body", False))
    assert cache.get(job("q")) is None
