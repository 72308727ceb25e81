"""One keep-alive HTTP/1.1 connection to a SPARQL engine, as lean as a request can be.

A request goes out in one send; the answer's head and body are read by httptools' parser (in
C, with chunked decoding). :mod:`http.client` took about 80 µs more per request, mostly in
its header parsing (the email package) — as much as the rest of a small query's round trip.
Only what a query needs: POST, an answer read lazily, with Content-Length, chunked, or to the
end of the connection.
"""

from __future__ import annotations

import socket
import ssl

import httptools

_READ = 65536
# An answer's status line and headers longer than this are refused (http.client's limits
# came to about as much); the worker's memory limit is not the place to find out.
MAX_HEAD = 64 * 1024


class Connection:
    """A connection to ``host:port`` (TLS when ``https``); ``timeout`` bounds every wait."""

    def __init__(self, host: str, port: int, *, https: bool, timeout: float):
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        self.sock: socket.socket | None = sock

    def request(self, head: bytes, body: bytes) -> Response:
        """Send ``head`` (the request line and headers, without Content-Length and the blank
        line) with ``body``; return the answer once its head is read."""
        if self.sock is None:
            raise ConnectionError("the connection is closed")
        self.sock.sendall(b"%sContent-Length: %d\r\n\r\n%s" % (head, len(body), body))
        response = Response(self)
        while not response.status:
            response._more()
        return response

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class Response:
    """An answer being read from its connection: ``status``, ``reason``, ``headers`` (names in
    lower case), and ``read``. ``complete`` once the whole body is read; ``will_close`` when
    the engine will not take another request on this connection."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._parser = httptools.HttpResponseParser(self)
        self._body = bytearray()  # read, not yet taken: its start is taken without copying the rest
        self._framed = False  # Content-Length or chunked: the end is in the stream itself
        self._head_bytes = 0
        self.status = 0
        self.reason = ""
        self.headers: dict[str, str] = {}
        self.complete = False
        self.will_close = False

    def getheader(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def read(self, n: int = -1) -> bytes:
        """Up to ``n`` bytes of the body (all of the rest when ``n`` < 0); b"" at its end."""
        while not self.complete and (n < 0 or not self._body):
            self._more()
        n = len(self._body) if n < 0 else min(n, len(self._body))
        data = bytes(self._body[:n])
        del self._body[:n]
        return data

    def _more(self) -> None:
        sock = self._conn.sock
        if sock is None:
            raise ConnectionError("the connection is closed")
        data = sock.recv(_READ)
        if not data:
            if self.status and not self._framed:  # a body that ends with the connection
                self.complete = self.will_close = True
                return
            raise ConnectionError("the engine closed the connection before its answer ended")
        if not self.status:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD:
                raise ConnectionError(f"the engine's answer has a head over {MAX_HEAD} bytes")
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as e:
            raise ConnectionError(f"the engine's answer is not HTTP/1.1: {e}") from None

    # httptools' callbacks

    def on_status(self, reason: bytes) -> None:
        self.reason += reason.decode("latin-1")

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text
        if key in ("content-length", "transfer-encoding"):
            self._framed = True

    def on_headers_complete(self) -> None:
        self.will_close = not self._parser.should_keep_alive()
        self.status = self._parser.get_status_code()

    def on_body(self, data: bytes) -> None:
        self._body += data

    def on_message_complete(self) -> None:
        self.complete = True
