"""HTTP/1.1 connections with limits: uvicorn's httptools protocol, guarded.

uvicorn closes idle keep-alive connections, but a client that never finishes its request line
and headers, or its body, is otherwise held forever; it caps neither the size of the headers
(with httptools) nor the number of open connections. This protocol adds:

* at most ``max_connections`` open at once: the next one is answered 503 and closed;
* the request line and headers within ``header_timeout`` seconds of the connection opening
  (or of the request's first byte), and at most ``max_header_bytes`` long (414 for a longer
  URL, 431 for longer headers);
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


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int
    header_timeout: float
    body_timeout: float
    max_header_bytes: int


class _HeadTooLarge(Exception):
    pass


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
    """uvicorn's ``http`` protocol class, with ``limits``."""

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        _timer: asyncio.TimerHandle | None = None
        _refused = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            if len(self.connections) >= limits.max_connections:
                self._refused = True
                self.transport = transport
                transport.write(plain_response(
                    503, "This server has too many open connections; try again in a moment.",
                    retry_after=1))
                transport.close()
                return
            super().connection_made(transport)
            self._head_bytes = 0
            self._too_large = 0
            self._arm(limits.header_timeout, "headers")

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._refused:
                return
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._refused or self.parser is None:
                return
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserCallbackError:
                if self._too_large:
                    self._close_with(self._too_large, "The request line is too long (a long "
                                     "query goes in a POST body)." if self._too_large == 414
                                     else "The request headers are too large.")
                    return
                self._close_with(400, "Invalid HTTP request received.")
            except httptools.HttpParserError:
                self._close_with(400, "Invalid HTTP request received.")
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()

        # parser callbacks ------------------------------------------------------------------
        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_bytes = 0
            self._arm(limits.header_timeout, "headers")

        def on_url(self, url: bytes) -> None:
            self._count(len(url), 414)
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4, 431)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self._arm(limits.body_timeout, "body")

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        # limits -------------------------------------------------------------------------------
        def _count(self, n: int, status: int) -> None:
            self._head_bytes += n
            if self._head_bytes > limits.max_header_bytes:
                self._too_large = status
                raise _HeadTooLarge

        def _arm(self, seconds: float, what: str) -> None:
            self._disarm()
            self._timer = self.loop.call_later(seconds, self._expire, what, seconds)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _expire(self, what: str, seconds: float) -> None:
            self._timer = None
            if self.transport.is_closing():
                return
            # Answer 408 only where no answer to this request has begun.
            cycle = self.cycle
            if (cycle is None or cycle.response_complete) if what == "headers" else \
                    (cycle is not None and not cycle.response_started):
                self.transport.write(plain_response(
                    408, f"The request {what} did not arrive within {seconds:g} s."))
            self.transport.close()

        def _close_with(self, status: int, message: str) -> None:
            self._disarm()
            if not self.transport.is_closing():
                self.transport.write(plain_response(status, message))
                self.transport.close()

    return LimitedHttpToolsProtocol
