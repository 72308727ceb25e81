"""The app factory: ``create_app(settings, renderer=…)`` assembles the routes and the
middleware; ``renderer`` (:class:`mali_kg.pages.Renderer`) renders every HTML page the
server's own routes serve.

Route order matters (first match wins): the SPARQL endpoint, dumps and Linked Data routes
come first, then the routers given in ``extra_routers`` (HTML pages), then the landing page
(unless a router serves ``/``) and, last, the Linked Data fallback that answers any other
project path. HEAD is answered as GET, without the body, in front of the routing
(:class:`~.middleware.HeadAsGet`), so it works wherever GET does, with the same headers.

GET, HEAD and POST at ``/sparql`` take a shorter way (:class:`App`): the same middleware
around the protocol handler, without the framework's routing and exception layers (seven
layers between the socket and the handler, on every query; decision 14).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import asynccontextmanager
from typing import TextIO

from fastapi import APIRouter, FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from . import dumps, linked_data, protocol, service_description
from .context import PageRenderer, ServerContext, get_ctx
from .middleware import AccessLog, Compression, HeadAsGet, SecurityHeaders
from .responses import error_response
from .settings import Settings
from .ui import STATIC_DIR

log = logging.getLogger("mali_kg.server")

EXPOSED_HEADERS = ["ETag", "Link", "Content-Location", "X-Mali-KG-Truncated",
                   "X-Mali-KG-Row-Limit", "X-Mali-KG-Byte-Limit", "X-Mali-KG-Timeout",
                   "Retry-After"]


def create_app(settings: Settings | None = None, *, renderer: PageRenderer,
               extra_routers: Sequence[APIRouter] = (),
               on_ready: Callable[[], None] | None = None,
               log_stream: TextIO | None = None) -> FastAPI:
    """The whole web app. Worker processes start with the app's lifespan; ``on_ready`` is
    called once they answer. The access log goes to ``log_stream`` (default: stderr)."""
    settings = settings or Settings()
    ctx = ServerContext(settings, renderer)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await ctx.start()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            await ctx.close()

    app = App(title="mali-kg", lifespan=lifespan, docs_url=None, redoc_url=None,
              openapi_url=None)
    app.state.ctx = ctx
    app.router.routes.extend(protocol.routes)
    app.router.routes.extend(dumps.routes)
    app.router.routes.extend(linked_data.routes)
    app.add_api_route("/.well-known/void", service_description.well_known_void,
                      methods=["GET"], include_in_schema=False)
    app.add_api_route("/health", health, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in extra_routers:
        app.include_router(router)
    if not any(getattr(r, "path", None) == "/" for router in extra_routers
               for r in router.routes):
        app.add_api_route("/", landing, methods=["GET"], include_in_schema=False)
    app.router.routes.extend(linked_data.fallback_routes)

    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(Compression, minimum_size=1024)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       # Whatever headers a browser library adds (Authorization,
                       # X-Requested-With, Cache-Control, …): never with credentials.
                       allow_headers=["*"],
                       expose_headers=EXPOSED_HEADERS, max_age=86400)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    if settings.access_log:
        app.add_middleware(AccessLog, stream=log_stream)
    return app


class App(FastAPI):
    """The app, with queries to ``/sparql`` taken straight to :func:`.protocol.sparql`
    through the app's own middleware (built once, in the same order)."""

    _sparql_stack: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql" and \
                scope["method"] in ("GET", "HEAD", "POST"):
            scope["app"] = self
            if self._sparql_stack is None:
                stack: ASGIApp = _sparql_endpoint
                for cls, args, kwargs in reversed(self.user_middleware):
                    stack = cls(stack, *args, **kwargs)
                self._sparql_stack = stack
            return await self._sparql_stack(scope, receive, send)
        return await super().__call__(scope, receive, send)


async def _sparql_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The protocol handler, answering as the exception handlers below would."""
    request = Request(scope, receive, send)
    try:
        response = await protocol.sparql(request)
    except ClientDisconnect as exc:
        response = await _client_gone(request, exc)
    except Exception as exc:
        log.exception("Exception answering %s %s", scope["method"], scope["path"])
        response = await _internal_error(request, exc)
    await response(scope, receive, send)


async def health(request: Request) -> Response:
    ctx = get_ctx(request)
    alive = ctx.pool.alive
    # Workers killed at their limits are replaced at once: while replacements start, the
    # server is recovering, not down; with none alive and none starting it cannot answer.
    status = "ok" if alive else "recovering" if ctx.pool.size else "down"
    body = {"status": status, "workers": alive,
            "workers_replaced": ctx.pool.replaced,
            "pool": {"query": ctx.pool.state(), "validate": ctx.validators.state()},
            "triples": ctx.triple_count, "graphs": len(ctx.graph_names)}
    return JSONResponse(body, status_code=503 if status == "down" else 200,
                        headers={"Cache-Control": "no-store"})


async def landing(request: Request) -> Response:
    ctx = get_ctx(request)
    return HTMLResponse(ctx.renderer.render_landing(triples=ctx.triple_count))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Refusals raised by the router and the static files, in the server's error shape."""
    path = request.url.path[:200]
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = headers.get("Allow") or headers.get("allow") or "GET"
        message = f"{request.method[:20]} is not supported at {path}; use {allowed}."
    elif exc.status_code == 404:
        message = (f"Nothing is served at {path}. Start at / (links to everything), query at "
                   "/sparql, or download the graph at /data/mali-kg.ttl.")
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, accept=request.headers.get("accept"),
                          headers=headers)


async def _client_gone(request: Request, exc: ClientDisconnect) -> Response:
    """The client closed the connection before its request body had arrived: there is no one
    left to answer, so the access log records 499 (client closed request) and nothing else."""
    return Response(status_code=499)


async def _internal_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "Something went wrong on the server; the error was logged.",
                          accept=request.headers.get("accept"))
