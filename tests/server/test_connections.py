"""HTTP/1.1 framing at the edge, over raw sockets and with Java's own HTTP client: an upgrade
offer the server does not take is ignored and the body still read, heads split across
packets and pipelined requests are parsed, and Java clients get their answers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

QUERY = b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JAVA_CLIENT = Path(__file__).parent / "java" / "PostQuery.java"
H2C = (b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
       b"HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n")


def exchange(url: str, *parts: bytes, pause: float = 0.0, responses: int = 1) -> list[bytes]:
    """Send ``parts`` (pausing between them), then read ``responses`` whole responses."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as s:
        for part in parts:
            s.sendall(part)
            time.sleep(pause)
        data, answers = b"", []
        while len(answers) < responses:
            head_end = data.find(b"\r\n\r\n")
            if head_end >= 0:
                head = data[:head_end].decode("latin-1").lower()
                length = int(head.split("content-length:")[1].split("\r\n")[0])
                if len(data) >= head_end + 4 + length:
                    answers.append(data[:head_end + 4 + length])
                    data = data[head_end + 4 + length:]
                    continue
            chunk = s.recv(65536)
            assert chunk, f"connection closed after {len(answers)} answers: {data[:200]!r}"
            data += chunk
        return answers


def post(body: bytes, extra: bytes = b"", chunked: bool = False) -> bytes:
    framing = b"Transfer-Encoding: chunked\r\n" if chunked else \
        b"Content-Length: %d\r\n" % len(body)
    if chunked:
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    return (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query"
            b"\r\nAccept: text/csv\r\n" + extra + framing + b"\r\n" + body)


@pytest.fixture(scope="module")
def count(server_url) -> str:
    """The answer to QUERY, asked the ordinary way."""
    r = httpx.get(server_url + "/sparql", params={"query": QUERY.decode()},
                  headers={"Accept": "text/csv"})
    return r.text.split()[1]


def assert_count(answer: bytes, count: str) -> None:
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert answer.endswith(b"\r\n\r\nn\r\n" + count.encode() + b"\r\n"), answer[-200:]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_h2c_upgrade_offer_is_ignored_and_the_body_read(server_url, count, chunked):
    (answer,) = exchange(server_url, post(QUERY, H2C, chunked))
    assert_count(answer, count)
    assert b"upgrade" not in answer.split(b"\r\n\r\n")[0].lower()


def test_a_head_split_across_packets_and_a_body_sent_later(server_url, count):
    request = post(QUERY, H2C)
    head_end = request.index(b"\r\n\r\n")
    parts = [request[i:min(i + 7, head_end)] for i in range(0, head_end, 7)]
    parts.append(request[head_end:])
    (answer,) = exchange(server_url, *parts, pause=0.002)
    assert_count(answer, count)


def test_pipelined_requests_are_all_answered(server_url, count):
    one = post(QUERY)
    answers = exchange(server_url, post(QUERY, H2C) + one + one[:30], one[30:], pause=0.05,
                       responses=3)
    for answer in answers:
        assert_count(answer, count)


def test_java_http_client_posts_arrive_whole(server_url, count, tmp_path):
    java = shutil.which("java")
    assert java, "Java 11 or later is needed for this test: install a JDK (e.g. Debian's " \
        "default-jdk-headless)."
    query = tmp_path / "query.rq"
    query.write_bytes(QUERY)
    out = subprocess.run([java, str(JAVA_CLIENT), server_url + "/sparql",
                          "application/sparql-query", str(query), "text/csv"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["200", "n", count] * 2, out.stdout
