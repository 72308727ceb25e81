"""The server's settings: one frozen object built by the CLI and passed to the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import namespaces as ns
from ..remote import Backend


@dataclass(frozen=True)
class Settings:
    """Everything the server can be told; the defaults are the safe ones.

    ``public_url`` is the base URL clients see (``https://example.org/``); when None it is
    taken from each request. ``allowed_services`` lists the endpoint IRIs SERVICE may call
    (none by default).
    """

    public_url: str | None = None
    timeout: float = 10.0
    workers: int = 1
    serving_processes: int = 1  # HTTP processes sharing the socket, each with its own pools
    extra_workers: int = 4
    store_path: str | None = None
    backend: Backend | None = None  # a remote SPARQL engine instead of the embedded store
    cache_ttl: float = 0.0  # with a backend: seconds answers and pages are kept (0: not kept)
    max_rows: int = 10_000
    allowed_services: frozenset[str] = field(default_factory=frozenset)
    max_query_bytes: int = 128 * 1024
    max_nesting: int = 100
    base_iri: str = ns.BASE
    access_log: bool = True
    result_cache_bytes: int = 64 * 2**20  # answers to repeated queries kept (0: none)
    result_cache_entry_bytes: int = 2**20  # larger answers are not kept
    # Limits on each worker process (queries and validation): memory above what the worker
    # holds when it starts (its store), and the bytes of one answer (longer answers are cut
    # and flagged, like answers over max_rows).
    max_memory: int = 512 * 2**20
    max_output: int = 32 * 2**20
    validate_workers: int = 1  # warm validation workers (one more starts under load)
    max_validation_results: int = 1000  # results listed in a report; the rest are counted
    # Connections: at most max_connections open at once (more get 503); a request's line and
    # headers must arrive within header_timeout seconds, the line at most 64 KiB long (414)
    # and the headers at most max_header_bytes (431); its body within body_timeout seconds;
    # an idle keep-alive connection is closed after keep_alive seconds.
    max_connections: int = 256
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: float = 5.0
    max_header_bytes: int = 64 * 1024

    @property
    def max_body_bytes(self) -> int:
        """The largest request body read: a form-encoded query may triple in size."""
        return self.max_query_bytes * 3 + 8192
