"""The web server: SPARQL 1.1 Protocol endpoint, Linked Data, dumps and query UI.

Modules, each with one job (imports point downward):

* ``settings`` — the options; ``context`` — what routes share (store, worker pool)
* ``lexer`` → ``inspection`` — the gate every query passes before it runs
* ``worker`` (+ ``results``) — runs in the worker processes; ``executor`` — the pool
* ``negotiation``, ``responses``, ``cache`` — HTTP helpers
* ``protocol`` (/sparql), ``service_description``, ``linked_data`` (+ ``describe``,
  ``html``), ``dumps``, ``ui`` — the routes
* ``middleware``, ``app`` (``create_app``) — assembly

Importing this package is cheap; the web framework is imported by :func:`create_app` and
:func:`serve` only, so worker processes never load it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["Settings", "create_app", "serve"]


def create_app(settings: Settings | None = None, **kwargs) -> FastAPI:
    from .app import create_app as _create_app

    return _create_app(settings, **kwargs)


def serve(*, host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None,
          timeout: float = 10.0, workers: int = 1, store_path: str | None = None,
          max_rows: int = 10_000, allowed_services: Sequence[str] = ()) -> None:
    """Run the server until interrupted (the ``mali-kg serve`` command)."""
    import uvicorn

    settings = Settings(public_url=public_url, timeout=timeout, workers=workers,
                        store_path=store_path, max_rows=max_rows,
                        allowed_services=frozenset(allowed_services))
    from ..pages import router as pages_router

    shown = f"[{host}]" if ":" in host else host
    base = (public_url or f"http://{shown}:{port}").rstrip("/")

    def announce() -> None:
        print(f"mali-kg: serving on {base}/ (SPARQL endpoint and query editor at {base}/sparql); "
              "press Ctrl-C to stop.", file=sys.stderr, flush=True)

    app = create_app(settings, extra_routers=[pages_router], on_ready=announce)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning",
                server_header=False, proxy_headers=False)
