"""The middleware's own ways of doing what starlette does give what starlette gives."""

from __future__ import annotations

import pytest
from starlette.middleware.gzip import GZipMiddleware

from mali_kg.server.middleware import Compression

from .helpers import run

BIG, SMALL = b"x" * 2000, b"x" * 10


def _app(status: int, headers: list[tuple[bytes, bytes]], bodies: list[bytes]):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        for i, body in enumerate(bodies):
            await send({"type": "http.response.body", "body": body,
                        "more_body": i < len(bodies) - 1})
    return app


def _sent(middleware, app) -> list[dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"",
             "headers": [(b"accept-encoding", b"identity")]}
    run(middleware(app, minimum_size=1024)(scope, receive, send))
    return sent


JSON = (b"content-type", b"application/sparql-results+json")


@pytest.mark.parametrize("status, headers, bodies", [
    (200, [JSON], [BIG]),
    (200, [JSON], [SMALL]),
    (200, [JSON], [SMALL, SMALL]),  # streamed
    (200, [JSON, (b"vary", b"Accept")], [BIG]),
    (200, [(b"vary", b"Accept"), JSON, (b"vary", b"Origin")], [BIG]),
    (200, [(b"content-type", b"image/png")], [BIG]),
    (200, [(b"content-type", b"video/mp4; codecs=x")], [BIG]),
    (200, [(b"content-type", b"application/grpc+proto")], [BIG]),
    (200, [JSON, (b"content-encoding", b"br")], [BIG]),
    (206, [JSON], [BIG]),
    (304, [JSON], [b""]),
    (200, [], [BIG]),
])
def test_identity_answers_as_starlette_does(status, headers, bodies):
    """To a client that takes no gzip, the answer goes out as starlette's identity responder
    sends it: the same messages, with Vary: Accept-Encoding where it adds it."""
    app = _app(status, headers, bodies)
    assert _sent(Compression, app) == _sent(GZipMiddleware, app)
