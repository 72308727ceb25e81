"""Error responses: one shape for every refusal, never a stack trace.

The body is plain text (``text/plain; charset=utf-8``) unless the client asks for JSON, in
which case it is an RFC 9457 problem document with ``line`` and ``column`` for syntax errors.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from starlette.responses import Response

from ..negotiation import choose


def error_response(status: int, message: str, *, accept: str | None = None,
                   line: int | None = None, column: int | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    title = HTTPStatus(status).phrase
    wanted = choose(("text/plain", "application/problem+json"), accept,
                    {"application/json": "application/problem+json"})
    if wanted == "application/problem+json":
        doc: dict = {"type": "about:blank", "title": title, "status": status, "detail": message}
        if line is not None:
            doc["line"], doc["column"] = line, column
        body = json.dumps(doc, ensure_ascii=False).encode()
        media = "application/problem+json"
    else:
        body = f"{status} {title}: {message}\n".encode()
        media = "text/plain; charset=utf-8"
    return Response(body, status_code=status, media_type=media, headers=headers)
