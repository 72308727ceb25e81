"""What the routes share: settings, the parent's read-only store, the worker pool and the
renderer of HTML pages.

One :class:`ServerContext` lives on ``app.state.ctx``; routes reach it with :func:`get_ctx`.
The parent process's store serves the bounded, server-written look-ups (Linked Data
descriptions, dumps, the service description); client queries only ever run in the workers.
Every HTML page the server serves comes from ``ctx.renderer`` (a :class:`PageRenderer`, in
practice :class:`mali_kg.pages.Renderer`, given to ``create_app``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .. import namespaces as ns
from ..lru import BoundedDict
from ..remote import RemoteStore
from ..store import open_store
from .executor import JobTimeout, PoolBusy, WorkerFailed, WorkerPool
from .result_cache import ResultCache
from .settings import Settings
from .worker import Limits

PAGE_CACHE_BYTES = 256 * 2**20
# Over a remote engine a query worker mostly waits for the engine's answer, so several share a
# process, a thread each: as many queries at once for fewer processes to switch between.
BACKEND_WORKERS_PER_PROCESS = 4


class PageRenderer(Protocol):
    """What the server asks of its HTML layer: the text of each kind of page it serves."""

    def render_entity(self, source: ox.Store, iri: str, *, base_path: str,
                      alternates: list[tuple[str, str]]) -> str: ...

    def render_ontology(self, source: ox.Store, *, base_path: str,
                        alternates: list[tuple[str, str]]) -> str: ...

    def render_triples(self, iri: str, triples: Sequence[ox.Triple], *,
                       labels: dict[str, dict[str, str]], link_for: Callable[[str], str],
                       alternates: Sequence[tuple[str, str]]) -> str: ...

    def render_query_editor(self, *, config: dict) -> str: ...

    def render_landing(self, *, triples: int) -> str: ...


class ServerContext:
    def __init__(self, settings: Settings, renderer: PageRenderer):
        self.settings = settings
        self.renderer = renderer
        path = Path(settings.store_path) if settings.store_path else None
        if settings.backend is not None:
            self.store: ox.Store | RemoteStore = RemoteStore(settings.backend)
        else:
            self.store = open_store(path=path, read_only=True) if path else open_store()
        limits = Limits(max_memory=settings.max_memory, max_output=settings.max_output)
        warm = settings.workers + 1  # one spare, so a slow query never holds up a fast one
        self.pool = WorkerPool(role="query", warm=warm, limit=warm + settings.extra_workers,
                               limits=limits, source=settings.backend or settings.store_path,
                               slots=BACKEND_WORKERS_PER_PROCESS if settings.backend else 1)
        self.validators = WorkerPool(role="validate", warm=settings.validate_workers,
                                     limit=settings.validate_workers + 1, limits=limits)
        # What the server wrote from the store (pages, descriptions, dumps), and answers to
        # repeated queries. Over a remote engine, whose data can change underneath, answers
        # are kept only for --cache-ttl seconds (none by default).
        ttl = settings.cache_ttl if settings.backend is not None else None
        self.cache = BoundedDict(max_bytes=PAGE_CACHE_BYTES, max_entry=PAGE_CACHE_BYTES, ttl=ttl)
        keep = settings.result_cache_bytes if ttl is None or ttl > 0 else 0
        self.results = ResultCache(max_bytes=keep, max_entry=settings.result_cache_entry_bytes,
                                   ttl=ttl)

    async def start(self) -> None:
        """Start the query workers; the validation workers (pySHACL takes about 2 s to load)
        start in the background, and a validation that comes first waits for them."""
        self._validators_starting = asyncio.create_task(self.validators.start())
        await self.pool.start()
        # Over a remote engine, the first look-ups are round trips: made now, off the loop.
        await self.off_loop(lambda: (self.graph_names, self.graph_sizes, self.triple_count))

    async def off_loop(self, fn, *args):
        """``fn(*args)``: at once over the embedded store; on a thread over a remote engine,
        so that waiting for its answers never holds up the event loop."""
        if self.settings.backend is None:
            return fn(*args)
        return await run_in_threadpool(fn, *args)

    async def close(self) -> None:
        self._validators_starting.cancel()
        with contextlib.suppress(BaseException):
            await self._validators_starting
        await asyncio.gather(self.pool.close(), self.validators.close())

    async def validate(self, job: object) -> tuple:
        """Run a validation job (see :mod:`mali_kg.pages.validation`) in a validation worker,
        within the time limit; the worker's reply, or ``("limit", status, message)``."""
        timeout = self.settings.timeout
        try:
            return await self.validators.run(job, timeout=timeout)
        except JobTimeout:
            return ("limit", 503, f"Validation did not finish within {timeout:g} s and was "
                    "stopped. Validate a smaller graph here, or run `mali-kg validate` locally.")
        except PoolBusy:
            return ("limit", 503, "Every validation worker is busy; try again in a moment.")
        except WorkerFailed as e:
            mib = self.settings.max_memory // 2**20
            if e.out_of_memory:
                return ("limit", 503, f"Validation needed more than {mib} MiB of memory and "
                        "was stopped. Validate a smaller graph here, or run `mali-kg validate` "
                        "locally.")
            return ("limit", 500, "The validator stopped while checking this input; it has "
                    "been restarted.")

    @cached_property
    def graph_names(self) -> frozenset[str]:
        """IRIs of the named graphs in the store: the only graphs FROM may name."""
        return frozenset(g.value for g in self.store.named_graphs()
                         if isinstance(g, ox.NamedNode))

    @cached_property
    def graph_sizes(self) -> dict[str, int]:
        """Triples in each named graph."""
        if isinstance(self.store, RemoteStore):
            return self.store.graph_sizes()
        return {g: sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                for g in self.graph_names}

    @cached_property
    def triple_count(self) -> int:
        return len(self.store)

    def base_url(self, request: Request) -> str:
        """The server's public base URL, ending in '/': --public-url, else from the request."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + "/"
        return str(request.base_url)

    def endpoint_url(self, request: Request) -> str:
        return self.base_url(request) + "sparql"

    def local_path(self, iri: str) -> str | None:
        """The path (with the public URL's path prefix) where a project IRI is served."""
        if not iri.startswith(ns.BASE):
            return None
        return self.path_prefix + iri[len(ns.BASE):]

    @cached_property
    def path_prefix(self) -> str:
        if not self.settings.public_url:
            return "/"
        from urllib.parse import urlsplit

        path = urlsplit(self.settings.public_url).path
        return path.rstrip("/") + "/"


def get_ctx(request: Request) -> ServerContext:
    return request.app.state.ctx
