"""HTTP/1.1 connections with limits: uvicorn's httptools protocol, guarded.

uvicorn closes idle keep-alive connections, but a client that never finishes its request line
and headers, or its body, is otherwise held forever; it caps neither the size of the headers
(with httptools) nor the number of open connections. This protocol adds:

* at most ``max_connections`` open at once: when a new one comes, the connection that has
  waited longest for a request is closed to make room; if every connection is busy with a
  request, the new one is answered 503 and closed;
* the request line and headers within ``header_timeout`` seconds of the connection opening
  (or of the request's first byte); a request line of at most 64 KiB (414; a long query goes
  in a POST body) and headers of at most ``max_header_bytes`` (431);
* the body within ``body_timeout`` seconds of the headers;
* a request that misses a deadline is answered 408 (if nothing was answered yet) and closed;
* an ``Upgrade`` offer the server does not take (``h2c``, which Java's HTTP client sends on
  every request) is removed before parsing: httptools would otherwise stop at the headers
  and the body would be lost.

See ``docs/decisions/0010-safe-to-expose.md`` for why this rather than another server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http import HTTPStatus

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# httptools refuses longer URLs (as a bare 400); we say why first.
MAX_REQUEST_LINE = 65_535


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int
    header_timeout: float
    body_timeout: float
    max_header_bytes: int


def plain_response(status: int, message: str, *, retry_after: int | None = None) -> bytes:
    """A complete ``Connection: close`` response, written before the app sees the request."""
    body = f"{status} {HTTPStatus(status).phrase}: {message}\n".encode()
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            "content-type: text/plain; charset=utf-8", f"content-length: {len(body)}",
            "connection: close"]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class _HeadWithBody:
    """The connection as a response sees it. uvicorn writes a response's head and its body in
    two calls, which is two sends and two wake-ups of the client; the head is held until the
    body comes (or until the event loop's next turn, or the connection closes), so that both
    go in one send."""

    __slots__ = ("_transport", "_loop", "_head")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        if self._head is not None:
            data, self._head = self._head + data, None
        elif data.startswith(b"HTTP/"):
            self._head = data
            self._loop.call_soon(self._flush)
            return
        self._transport.write(data)

    def _flush(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            self._transport.write(head)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


def limited_protocol(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """uvicorn's ``http`` protocol class, with ``limits``.

    Deadlines are a timestamp on each connection, checked by one sweep a second over all open
    connections: a timer per request would cost more than the rest of the guard together.
    """

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        _refused = False
        _deadline: float | None = None
        _phase = "headers"
        _head_buf = b""
        _parsing_head = False  # the parser has begun a request's head and not finished it
        _head_seen = 0
        _waiting_since = 0.0
        _sweeping: set[asyncio.AbstractEventLoop] = set()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= limits.max_connections and \
                    not _close_longest_waiting(self.connections):
                self._refused = True
                self.transport = transport
                transport.write(plain_response(
                    503, "This server has too many open connections; try again in a moment.",
                    retry_after=1))
                transport.close()
                return
            super().connection_made(transport)
            self._expect("headers", limits.header_timeout)
            if self.loop not in self._sweeping:
                self._sweeping.add(self.loop)
                self.loop.call_later(1.0, _sweep, self.loop, self.connections)

        def connection_lost(self, exc: Exception | None) -> None:
            self._deadline = None
            if self._refused:
                return
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused or self.parser is None:
                return
            self._unset_keepalive_if_required()
            if self._parsing_head:  # a pipelined request's head began in an earlier chunk
                self._head_seen += len(data)
                if self._head_seen > MAX_REQUEST_LINE + limits.max_header_bytes:
                    self._close_with(431, "The request line and headers are too large.")
                    return
            elif self._phase != "body":  # a request line and headers are (or may be) coming
                if self._phase == "done":
                    self._expect("headers", limits.header_timeout)
                data = self._complete_head(data)
                if data is None:
                    return
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self._close_with(400, "Invalid HTTP request received.")
            except httptools.HttpParserUpgrade:  # WebSocket, or CONNECT
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                elif self.cycle is not None:
                    self.cycle.keep_alive = False  # the parser cannot go on after it

        def _complete_head(self, data: bytes) -> bytes | None:
            """Hold bytes back until the request line and headers are complete, within their
            limits; then the bytes to parse, with an upgrade offer the server does not take
            (``Upgrade: h2c`` from Java clients) removed, so that the body is read as
            HTTP/1.1. None while waiting, or when the request was refused. (A pipelined
            request whose head began in the same packet as the previous request's body is
            parsed as it comes, unchanged: Java clients do not pipeline.)"""
            buf = self._head_buf + data if self._head_buf else data
            end = buf.find(b"\r\n\r\n")
            head = buf if end < 0 else buf[:end]
            line = head.find(b"\r\n")
            line = len(head) if line < 0 else line
            if line > MAX_REQUEST_LINE:
                self._close_with(414, f"The URL is longer than {MAX_REQUEST_LINE} bytes: send "
                                 "a long query in a POST body.")
                return None
            if len(head) - line > limits.max_header_bytes:
                self._close_with(431, f"The request headers are larger than "
                                 f"{limits.max_header_bytes} bytes.")
                return None
            if end < 0:
                self._head_buf = buf
                return None
            self._head_buf = b""
            if b"grade" in head or b"GRADE" in head:
                return _without_upgrade_offer(head, self._should_upgrade_to_ws()) + buf[end:]
            return buf

        # parser callbacks ------------------------------------------------------------------
        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._expect("headers", limits.header_timeout)
            self._parsing_head, self._head_seen = True, 0

        def on_headers_complete(self) -> None:
            self._parsing_head = False
            super().on_headers_complete()
            if self.cycle is not None:  # its task has not run yet
                self.cycle.transport = _HeadWithBody(self.transport, self.loop)  # type: ignore[assignment]
            self._expect("body", limits.body_timeout)

        def on_message_complete(self) -> None:
            self._phase, self._deadline = "done", None
            super().on_message_complete()

        # limits -------------------------------------------------------------------------------
        def _expect(self, phase: str, seconds: float) -> None:
            self._phase = phase
            now = self.loop.time()
            self._deadline = now + seconds
            if phase == "headers":
                self._waiting_since = now

        def waiting_since(self) -> float | None:
            """Since when this connection has been waiting for a request to arrive (idle, or
            its headers still coming), or None while a request is being read or answered."""
            if self._refused or self.transport is None or self.transport.is_closing():
                return None
            if self._phase == "headers":
                return self._waiting_since
            cycle = self.cycle
            if self._phase == "done" and cycle is not None and cycle.response_complete:
                return self._waiting_since
            return None

        def expire(self) -> None:
            """The current request missed its deadline: answer 408 where no answer to it has
            begun, and close the connection."""
            what = self._phase
            self._deadline = None
            if self.transport.is_closing():
                return
            cycle = self.cycle
            if (cycle is None or cycle.response_complete) if what == "headers" else \
                    (cycle is not None and not cycle.response_started):
                seconds = limits.header_timeout if what == "headers" else limits.body_timeout
                self.transport.write(plain_response(
                    408, f"The request {what} did not arrive within {seconds:g} s."))
            self.transport.close()

        def _close_with(self, status: int, message: str) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                self.transport.write(plain_response(status, message))
                self.transport.close()

    def _without_upgrade_offer(head: bytes, websocket: bool) -> bytes:
        """The request head without ``Upgrade`` (unless it asks for a WebSocket this server
        takes), ``HTTP2-Settings`` and their ``Connection`` tokens: RFC 9110 §7.8 lets a
        server ignore an upgrade offer and answer in HTTP/1.1."""
        lines = head.split(b"\r\n")
        fields = [(ln.partition(b":")[0].strip().lower(), ln) for ln in lines[1:]]
        offer = next((ln.partition(b":")[2].strip().lower() for name, ln in fields
                      if name == b"upgrade"), None)
        if offer is None or (offer == b"websocket" and websocket):
            return head
        kept = [lines[0]]
        for name, ln in fields:
            if name in (b"upgrade", b"http2-settings"):
                continue
            if name == b"connection":
                tokens = [t.strip() for t in ln.partition(b":")[2].split(b",")]
                tokens = [t for t in tokens if t.lower() not in (b"upgrade", b"http2-settings")]
                if not tokens:
                    continue
                ln = b"Connection: " + b", ".join(tokens)
            kept.append(ln)
        return b"\r\n".join(kept)

    def _close_longest_waiting(connections: set) -> bool:
        """Make room for a new connection by closing the one that has waited longest for a
        request (an idle keep-alive connection, or one trickling its headers), as nginx
        reuses idle connections when it runs out; False if every connection is busy."""
        waiting = [(since, id(conn), conn) for conn in connections
                   if (since := getattr(conn, "waiting_since", lambda: None)()) is not None]
        if not waiting:
            return False
        _, _, conn = min(waiting)
        conn.expire()
        return True

    def _sweep(loop: asyncio.AbstractEventLoop, connections: set) -> None:
        now = loop.time()
        for conn in list(connections):
            deadline = getattr(conn, "_deadline", None)
            if deadline is not None and now > deadline:
                conn.expire()
        loop.call_later(1.0, _sweep, loop, connections)

    return LimitedHttpToolsProtocol
