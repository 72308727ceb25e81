"""Cacheable responses: a strong ETag from the content hash, 304 on If-None-Match."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response

CACHE_CONTROL = "public, max-age=3600"


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cached_response(request: Request, body: bytes, media_type: str, *,
                    headers: dict[str, str] | None = None, etag: str | None = None) -> Response:
    """200 with ETag and Cache-Control, or 304 when the client's copy is current."""
    tag = etag or etag_for(body)
    all_headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=all_headers)
    return Response(body, media_type=media_type, headers=all_headers)


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == tag for t in header.split(","))
