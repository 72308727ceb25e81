"""The connection to an engine reads every way an HTTP/1.1 answer may end, and survives an
engine that closes a kept connection.

Oxigraph server and Virtuoso (tests/server/test_backends.py) answer with chunks or a length;
an engine behind another proxy may end its answer by closing the connection, or close a
keep-alive connection between two requests. A scripted HTTP server on 127.0.0.1 answers here
in each of those ways, read through :class:`mali_kg.remote.RemoteStore` as a query worker
reads it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from mali_kg.remote import Backend, RemoteError, RemoteStore, WholeAnswer

ANSWER = (b'{"head":{"vars":["s"]},"results":{"bindings":['
          b'{"s":{"type":"uri","value":"http://example.org/a"}},'
          b'{"s":{"type":"literal","value":"b","xml:lang":"fr"}}]}}')
QUERY = "SELECT ?s WHERE { ?s ?p ?o }"


def _read_request(conn: socket.socket, pending: bytes) -> tuple[bytes, bytes] | None:
    """One request's head and body from ``conn`` (after ``pending``); None at the end."""
    while b"\r\n\r\n" not in pending:
        data = conn.recv(65536)
        if not data:
            return None
        pending += data
    head, _, rest = pending.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(rest) < length:
        rest += conn.recv(65536)
    return head, rest[length:]


def _answer(framing: str) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    if framing == "endless head":  # headers that never end (sent until the client leaves)
        return head + b"X-Padding: 0123456789abcdef\r\n" * 10_000
    if framing == "chunked":
        chunks = [ANSWER[:40], ANSWER[40:]]
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + b"".join(
            b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    if framing == "close":  # no length: the answer ends with the connection
        return head + b"Connection: close\r\n\r\n" + ANSWER
    return head + b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)


@contextlib.contextmanager
def scripted_engine(framing: str, *, close_after: int = 0) -> Iterator[dict]:
    """An engine answering every query with ANSWER, framed by ``framing``; with
    ``close_after`` N, it closes each connection after N answers without saying so."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen = {"connections": 0, "requests": 0,
            "url": f"http://127.0.0.1:{listener.getsockname()[1]}/query"}

    def serve(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):  # a client that left resets the connection
            pending, answered = b"", 0
            while (request := _read_request(conn, pending)) is not None:
                pending = request[1]
                seen["requests"] += 1
                conn.sendall(_answer(framing))
                answered += 1
                if framing == "close" or answered == close_after:
                    return

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            seen["connections"] += 1
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield seen
    finally:
        listener.close()


def _rows(solutions) -> list[str]:
    return [str(s["s"]) for s in solutions]


EXPECTED = ["<http://example.org/a>", '"b"@fr']


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
def test_every_framing_reads_the_same_rows(framing):
    with scripted_engine(framing) as engine:
        store = RemoteStore(Backend.parse(engine["url"], graphs=["http://example.org/g"]))
        assert _rows(store.query(QUERY, form="SELECT")) == EXPECTED
        whole = store.query(QUERY, form="SELECT", whole=10_000)
        assert isinstance(whole, WholeAnswer) and whole.data == ANSWER
        assert _rows(whole.solutions()) == EXPECTED
        # Too long to be read whole: read as it comes, nothing lost.
        assert _rows(store.query(QUERY, form="SELECT", whole=10)) == EXPECTED
        # Kept alive between requests unless the answer ended with the connection.
        store.close()
        assert engine["requests"] == 3
        assert engine["connections"] == (3 if framing == "close" else 1)


def test_a_kept_connection_the_engine_closed_is_asked_again_on_a_fresh_one():
    with scripted_engine("length", close_after=1) as engine:
        store = RemoteStore(Backend.parse(engine["url"], graphs=["http://example.org/g"]))
        for _ in range(3):
            assert _rows(store.query(QUERY, form="SELECT")) == EXPECTED
        store.close()
        assert engine["connections"] == 3 and engine["requests"] == 3


def test_an_answer_whose_head_never_ends_is_refused_not_read_for_ever():
    with scripted_engine("endless head") as engine:
        store = RemoteStore(Backend.parse(engine["url"], graphs=["http://example.org/g"],
                                          timeout=10))
        with pytest.raises(RemoteError, match="head over 65536 bytes"):
            store.query(QUERY, form="SELECT")
