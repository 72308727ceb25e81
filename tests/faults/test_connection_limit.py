"""With --max-connections 64, a hundred idle connections never make an ordinary request
hang: it is served or refused with a 503, and once the header time limit has closed the idle
connections, ordinary requests are served again."""

from __future__ import annotations

import httpx

from .conftest import assert_healthy, assert_logs_clean, open_idle, wait_until_closed

SERVER_FLAGS = ("--max-connections", "64", "--header-timeout", "2")


def test_idle_connections_beyond_the_limit(server):
    idle = open_idle(server.url, 100)
    try:
        try:
            r = httpx.get(server.url + "/health", timeout=15)
        except httpx.TimeoutException:
            r = None
        assert r is not None, "an ordinary request hung for 15 s"
        assert r.status_code in (200, 503), (r.status_code, r.text[:300])
        still_open = wait_until_closed(idle, seconds=15)
        assert len(still_open) == 0, \
            f"{len(still_open)} idle connections were still open after 15 s"
    finally:
        for s in idle:
            s.close()
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
