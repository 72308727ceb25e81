"""Connections that send nothing, or trickle a request a byte a second, or stall inside a
body, are closed (or answered 408) once the header or body time limit passes, and ordinary
clients are served meanwhile."""

from __future__ import annotations

import socket

import httpx

from .conftest import assert_healthy, assert_logs_clean, open_idle, wait_until_closed

SERVER_FLAGS = ("--header-timeout", "2", "--body-timeout", "2")
TRICKLE = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 200


def test_idle_and_trickling_connections_are_closed(server):
    idle = open_idle(server.url, 300)
    trickling = open_idle(server.url, 50)
    try:
        meanwhile = httpx.get(server.url + "/health", timeout=5)
        still_open = wait_until_closed(idle + trickling, seconds=10, trickle=trickling,
                                       trickle_bytes=TRICKLE)
        assert len(still_open) == 0, \
            f"{len(still_open)} of {len(idle) + len(trickling)} connections were open after 10 s"
        assert meanwhile.status_code == 200, \
            f"an ordinary client got {meanwhile.status_code}: {meanwhile.text[:200]}"
    finally:
        for s in idle + trickling:
            s.close()
    assert_healthy(server)


def test_stalled_body_is_cut_off(server):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\n"
                  b"ASK { ?s ")
        s.settimeout(8)
        try:
            answer = s.recv(4096)
        except TimeoutError:
            answer = None
        except ConnectionResetError:
            answer = b""
    assert answer is not None, "the stalled request was still waiting after 8 s"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
