"""Malformed and abandoned requests: a form part that is itself multipart is refused with a
400, and a client that leaves in the middle of its request body is logged as 499 without a
stack trace."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from .conftest import assert_healthy, assert_logs_clean, first_traceback, json_records

INNER = (b"--inner\r\nContent-Type: text/turtle\r\n\r\n<http://e/s> <http://e/p> 1 .\r\n"
         b"--inner--\r\n")
NESTED_PARTS = {
    "data": b'Content-Disposition: form-data; name="data"\r\n',
    "file": b'Content-Disposition: form-data; name="file"; filename="x.ttl"\r\n',
}


@pytest.mark.parametrize("field", NESTED_PARTS)
def test_nested_multipart_refused(server, field):
    body = (b"--outer\r\n" + NESTED_PARTS[field]
            + b"Content-Type: multipart/mixed; boundary=inner\r\n\r\n" + INNER
            + b"\r\n--outer--\r\n")
    r = httpx.post(server.url + "/validate", content=body, timeout=30,
                   headers={"Content-Type": "multipart/form-data; boundary=outer",
                            "Accept": "application/json"})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert_healthy(server)


def posts_to_sparql(server) -> list[dict]:
    return [r for r in json_records(server)
            if r.get("method") == "POST" and r.get("path") == "/sparql"]


def test_client_leaving_mid_body_is_logged_as_499(server):
    earlier = len(posts_to_sparql(server))
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  b"Content-Type: application/sparql-query\r\nContent-Length: 100000\r\n\r\n"
                  b"ASK { ?s ?")
        time.sleep(0.5)  # the server is reading the body
    deadline = time.monotonic() + 10
    records: list[dict] = []
    while time.monotonic() < deadline:
        records = posts_to_sparql(server)[earlier:]
        if records:
            break
        time.sleep(0.1)
    assert records, "the abandoned request was not logged"
    assert [r.get("status") for r in records] == [499], records
    assert first_traceback(server) is None, first_traceback(server)
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
