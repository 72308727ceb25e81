"""The server's settings: one frozen object built by the CLI and passed to the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import namespaces as ns


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
    extra_workers: int = 4
    store_path: str | None = None
    max_rows: int = 10_000
    allowed_services: frozenset[str] = field(default_factory=frozenset)
    max_query_bytes: int = 128 * 1024
    max_nesting: int = 100
    base_iri: str = ns.BASE
    access_log: bool = True
    result_cache_bytes: int = 64 * 2**20  # answers to repeated queries kept (0: none)
    result_cache_entry_bytes: int = 2**20  # larger answers are not kept

    @property
    def max_body_bytes(self) -> int:
        """The largest request body read: a form-encoded query may triple in size."""
        return self.max_query_bytes * 3 + 8192
