"""The pages' one seam to the data: a ``query(sparql) -> results`` callable.

Page code never touches a store directly. It is handed either an in-process
:class:`pyoxigraph.Store` (wrapped with :func:`mali_kg.store.run_query`, union default graph)
or any callable that takes a SPARQL string and returns pyoxigraph results; :func:`as_query`
accepts both. :func:`select` turns a SELECT into plain rows of Python values.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .. import namespaces as ns
from ..lru import ByteLRU
from ..remote import RemoteStore
from ..store import run_query

Query = Callable[[str], Any]

XSD, RDF, RDFS, SKOS, OWL = ns.XSD, ns.RDF, ns.RDFS, ns.SKOS, ns.OWL

_PROLOGUE = ns.sparql_prologue()


LABEL_CACHE_BYTES = 8 * 2**20  # labels kept per served store, at most


class StoreQuery:
    """``query(sparql)`` over one store. With ``keep``, what pages look up is kept for every
    later page over the same store, for a store nothing writes while it is served: the labels
    (least recently used first out, at most :data:`LABEL_CACHE_BYTES`) and the few numbers
    about the whole graph (``figures``, a fixed set of keys). Over a remote engine, whose
    data can change underneath, nothing is kept."""

    __slots__ = ("store", "labels", "figures")

    def __init__(self, store: ox.Store | RemoteStore, *, keep: bool = False):
        self.store = store
        keep = keep and isinstance(store, ox.Store)
        self.labels = ByteLRU(max_bytes=LABEL_CACHE_BYTES, max_entry=64 * 1024) \
            if keep else None
        self.figures: dict[str, Any] | None = {} if keep else None

    def __call__(self, sparql: str) -> Any:
        return run_query(self.store, sparql)


def served_query(source: ox.Store | RemoteStore | Query, last: Query | None = None) -> Query:
    """The query callable for pages over ``source``, the store a server serves: ``last``
    (by default the one this process made last, for the renderer's pages and the router's
    alike) if it is over the same store, so that labels and figures are looked up once per
    process; else a new one that keeps them."""
    global _served
    last = last if last is not None else _served
    if isinstance(last, StoreQuery) and last.store is source:
        return last
    if isinstance(source, ox.Store | RemoteStore):
        _served = StoreQuery(source, keep=True)
        return _served
    return as_query(source)


_served: Query | None = None


def as_query(source: ox.Store | RemoteStore | Query) -> Query:
    """A ``query(sparql)`` callable over a store (the embedded one, or a SPARQL engine read
    through :class:`~mali_kg.remote.RemoteStore`, as ``serve --backend`` does), or the
    callable itself."""
    if isinstance(source, ox.Store | RemoteStore):
        return StoreQuery(source)
    if callable(source):
        return source
    raise TypeError(f"expected a pyoxigraph.Store or a query callable, not {type(source)!r}")


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as the templates need it."""

    kind: str  # "iri", "literal", "bnode"
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    @property
    def is_literal(self) -> bool:
        return self.kind == "literal"

    def __str__(self) -> str:
        return self.value

    @property
    def key(self) -> tuple:
        return (self.kind, self.value, self.lang or "", self.datatype or "")


def term(t: Any) -> Term | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        dt = t.datatype.value if t.datatype else None
        return Term("literal", t.value, t.language or None,
                    None if t.language or dt == XSD + "string" else dt)
    return Term("literal", str(t))


_NUMERIC = {XSD + t for t in ("integer", "decimal", "float", "double", "int", "long", "short",
                              "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedLong",
                              "unsignedInt", "unsignedShort", "unsignedByte")}


def term_order(t: Term | None) -> tuple:
    """A key that orders terms the same whichever store they come from: missing, blank
    nodes, IRIs, then literals (numbers by value first), each by its text, language and
    datatype. SPARQL's ORDER BY leaves literals of different languages or types to each
    engine, and Virtuoso cannot sort by a long text."""
    if t is None:
        return (0,)
    rank = {"bnode": 1, "iri": 2}.get(t.kind, 3)
    number = float("inf")
    if t.datatype in _NUMERIC:
        with contextlib.suppress(ValueError):
            number = float(t.value)
    return (rank, number, t.value, t.lang or "", t.datatype or "")


def select(query: Query, sparql: str) -> list[dict[str, Term | None]]:
    """Run a SELECT (the project's prefixes are declared) and return rows of :class:`Term`."""
    results = query(_PROLOGUE + sparql)
    names = [v.value for v in results.variables]
    return [{n: term(sol[n]) for n in names} for sol in results]


def values(query: Query, sparql: str, var: str) -> list[Term]:
    return [r[var] for r in select(query, sparql) if r[var] is not None]


def iris(values) -> str:
    """IRIs written for a VALUES block: ``<a> <b> …``."""
    return " ".join(iri(v) for v in values)


def iri(value: str) -> str:
    """An IRI written for SPARQL (``<…>``), refusing characters that could break out."""
    if any(c in value for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def local_path(value: str, base_path: str = "/") -> str:
    """Where this server shows an IRI: project IRIs map to local paths, others stay."""
    if value.startswith(ns.BASE):
        return base_path + value[len(ns.BASE):]
    return value


def slug_of(value: str) -> str:
    """``https://w3id.org/mali-kg/id/span/x`` → ``span/x``."""
    return value[len(ns.ID):] if value.startswith(ns.ID) else value


def local_name(value: str) -> str:
    for sep in ("#", "/"):
        if sep in value:
            tail = value.rsplit(sep, 1)[1]
            if tail:
                return tail
    return value
