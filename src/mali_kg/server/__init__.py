"""The web server: SPARQL 1.1 Protocol endpoint, Linked Data, dumps and query UI.

Modules, each with one job (imports point downward):

* ``settings`` — the options; ``context`` — what routes share (store, worker pool, renderer)
* the gate every query passes before it runs is :mod:`mali_kg.gate`, shared with the CLI
* ``worker`` (+ ``results``, ``params``) — runs in the worker processes; ``executor`` — the
  pools; caches are bounded in bytes (:mod:`mali_kg.lru`)
* ``responses``, ``cache`` — HTTP helpers (content negotiation is :mod:`mali_kg.negotiation`)
* ``protocol`` (/sparql), ``service_description``, ``linked_data`` (+ ``describe``),
  ``dumps``, ``ui`` — the routes; their HTML comes from the renderer the app is given
  (``ctx.renderer``: :class:`mali_kg.pages.Renderer`, Jinja templates), never from here
* ``middleware``, ``app`` (``create_app``) — assembly
* ``connections`` — limits on HTTP connections; ``serving`` — the serving process: the app
  with the pages' renderer and router, under uvicorn;
  ``supervisor`` — ``mali-kg serve``: restarts the serving process if it dies

Importing this package is cheap; the web framework is imported by :func:`create_app` and
:func:`serve` only, so worker processes never load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["Settings", "create_app", "serve"]


def create_app(settings: Settings | None = None, **kwargs) -> FastAPI:
    from .app import create_app as _create_app

    return _create_app(settings, **kwargs)


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server until interrupted (the ``mali-kg serve`` command): a supervisor that
    keeps one serving process running (see :mod:`.supervisor`)."""
    from .supervisor import supervise

    supervise(settings, host=host, port=port)
