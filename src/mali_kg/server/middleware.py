"""ASGI middleware: security headers, HEAD as GET without the body, gzip by Accept-Encoding
and the JSON-lines access log.

Pure ASGI (no BaseHTTPMiddleware), so the per-request cost stays a few microseconds.
"""

from __future__ import annotations

import json
import sys
import time
from typing import TextIO

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
_HTML = [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    """``nosniff`` everywhere; on HTML, framing denied and a CSP (scripts from 'self' only)
    unless the page set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_ALWAYS)
                ctype = next((v for k, v in headers if k == b"content-type"), b"")
                if ctype.startswith(b"text/html"):
                    # A page that sets its own (stricter) policy keeps it: one policy only.
                    own = any(k == b"content-security-policy" for k, _ in headers)
                    headers.extend(_HTML[1:] if own else _HTML)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD answered wherever GET is, exactly as GET without the body (RFC 9110 §9.3.2).

    The request goes on as a GET, so whichever route, mount or negotiation answers the GET
    answers the HEAD too: same status and the same Content-Type, Content-Length, ETag, Link,
    Vary and Cache-Control, whatever the route order or the methods a route declares. The
    body is dropped on the way out. Mounted outside the compression, so the headers are those
    of the body a GET would get, compressed or not.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            return await self.app(scope, receive, send)

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def gzip_acceptable(accept_encoding: str | None) -> bool:
    """True when ``Accept-Encoding`` allows gzip: listed (or ``*``) with a q-value above 0."""
    gzip = star = None
    for part in (accept_encoding or "").split(",")[:32]:
        coding, *params = (f.strip() for f in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        coding = coding.lower()
        if coding in ("gzip", "x-gzip"):
            gzip = max(gzip or 0.0, q)
        elif coding == "*":
            star = q
    chosen = gzip if gzip is not None else star
    return chosen is not None and chosen > 0


class Compression(GZipMiddleware):
    """Starlette's gzip, chosen by the q-values of ``Accept-Encoding`` (``gzip;q=0`` means
    no, ``*`` means yes), with the ETag made weak whenever gzip may be applied: the gzip and
    identity bodies are different representations and must not share a strong validator
    (RFC 9110 §8.8.3), while ``If-None-Match`` (weak comparison) still matches either."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not gzip_acceptable(_header(scope, b"accept-encoding")):
            return await self.app(scope, receive, self._identity(send))
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
        headers.append((b"accept-encoding", b"gzip"))
        scope = {**scope, "headers": headers}

        async def send_weak_etag(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(raw=message.setdefault("headers", []))
                tag = out.get("etag")
                if tag and not tag.startswith("W/"):
                    out["etag"] = "W/" + tag
                if message["status"] == 304:
                    out.add_vary_header("Accept-Encoding")
            await send(message)

        await super().__call__(scope, receive, send_weak_etag)

    def _identity(self, send: Send) -> Send:
        """What starlette's identity responder does, on every answer to a client that takes
        no gzip, without its objects: the answer goes out as it is, with ``Vary:
        Accept-Encoding`` where gzip would have been applied had it been asked for (a body
        of ``minimum_size`` bytes or more, or one streamed; not encoded already, not
        partial, of a type not excluded)."""
        held: Message | None = None

        async def send_identity(message: Message) -> None:
            nonlocal held
            kind = message["type"]
            if kind == "http.response.start" and self._compressible(message):
                held = message  # until the body says how long it is
                return
            if held is not None and kind in ("http.response.body", "http.response.pathsend"):
                start, held = held, None
                if kind == "http.response.body" and (
                        message.get("more_body", False) or
                        len(message.get("body", b"")) >= self.minimum_size):
                    _add_vary(start["headers"], b"Accept-Encoding")
                await send(start)
            await send(message)

        return send_identity

    def _compressible(self, start: Message) -> bool:
        headers = start.setdefault("headers", [])
        if start["status"] == 206 or any(k == b"content-encoding" for k, _ in headers):
            return False
        ctype = next((v for k, v in headers if k == b"content-type"), b"")
        media = ctype.decode("latin-1").partition(";")[0].strip().lower()
        kinds = {media, media.partition("/")[0] + "/*"}
        if media.startswith("application/grpc+"):
            kinds.add("application/grpc")
        return kinds.isdisjoint(self.exclude_content_types)


def _add_vary(headers: list[tuple[bytes, bytes]], name: bytes) -> None:
    """``name`` added to the Vary header, as starlette's ``add_vary_header`` does: one Vary
    header, where the first was, with the values of all of them."""
    at = [i for i, (k, _) in enumerate(headers) if k == b"vary"]
    if not at:
        headers.append((b"vary", name))
        return
    headers[at[0]] = (b"vary", b", ".join([headers[i][1] for i in at] + [name]))
    for i in reversed(at[1:]):
        del headers[i]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class AccessLog:
    """One JSON object per request on stderr: time, client, method, path, status, bytes, ms."""

    def __init__(self, app: ASGIApp, stream: TextIO | None = None):
        self.app = app
        self.stream = stream or sys.stderr

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        state = {"status": 500, "bytes": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            client = scope.get("client")
            record = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "client": client[0] if client else None,
                "method": scope.get("method"),
                "path": (scope.get("path") or "")[:2000],
                "query_bytes": len(scope.get("query_string", b"")),
                "status": state["status"],
                "bytes": state["bytes"],
                "ms": round((time.perf_counter() - start) * 1000, 2),
            }
            self.stream.write(json.dumps(record) + "\n")
