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
* a request that misses a deadline is answered 408 (if nothing was answered yet) and closed.

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


def limited_protocol(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """uvicorn's ``http`` protocol class, with ``limits``.

    Deadlines are a timestamp on each connection, checked by one sweep a second over all open
    connections: a timer per request would cost more than the rest of the guard together.
    """

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        _refused = False
        _deadline: float | None = None
        _phase = "headers"
        _head_bytes = 0
        _line_done = False
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
            if self._phase == "headers" and not self._head_fits(data):
                return
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self._close_with(400, "Invalid HTTP request received.")
                return
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return

        def _head_fits(self, data: bytes) -> bool:
            """Count ``data`` against the limits on the request line and the headers;
            refuse the request if they would not end within them."""
            if not self._line_done:
                crlf = data.find(b"\r\n")
                if self._head_bytes + (crlf if crlf >= 0 else len(data)) > MAX_REQUEST_LINE:
                    self._close_with(414, f"The URL is longer than {MAX_REQUEST_LINE} bytes: "
                                     "send a long query in a POST body.")
                    return False
                self._line_done = crlf >= 0
            room = limits.max_header_bytes - self._head_bytes
            if len(data) > room and data.find(b"\r\n\r\n", 0, room + 4) < 0:
                self._close_with(431, f"The request headers are larger than "
                                 f"{limits.max_header_bytes} bytes.")
                return False
            self._head_bytes += len(data)
            return True

        # parser callbacks ------------------------------------------------------------------
        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._expect("headers", limits.header_timeout)

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self._expect("body", limits.body_timeout)

        def on_message_complete(self) -> None:
            self._phase, self._deadline = "done", None
            self._head_bytes, self._line_done = 0, False
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
