"""Load RDF files into a SPARQL engine through the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is replaced (``PUT ?graph=IRI``) by its first batch of triples and extended
(``POST``) by the next ones, so memory stays bounded by one batch whatever the file's size.
Blank nodes are scoped to one request by the protocol: a file with blank nodes larger than a
batch is refused rather than split (load it with the engine's own bulk loader; see
``docs/deploy.md``). HTTP basic or digest authentication is chosen by the engine's challenge,
as Virtuoso asks digest for writes.

httpx is used here, not the lean client of :mod:`.remote`, for its digest
authentication; loading is not on the query path.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from . import jsonld
from . import namespaces as ns
from .formats import RdfFormat
from .remote import Backend
from .store import data_syntax_error, rdf_format_of

BATCH_TRIPLES = 200_000
N_TRIPLES = "application/n-triples"


class LoadError(Exception):
    pass


@dataclass
class LoadReport:
    triples: int = 0
    seconds: float = 0.0
    graphs: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


def load(target: Backend, files: dict[Path, str], *, batch: int = BATCH_TRIPLES,
         progress: Callable[[str], None] = lambda _line: None) -> LoadReport:
    """Load each file into its graph (files in N-Quads or TriG keep their own graphs)."""
    report = LoadReport()
    started = time.perf_counter()
    with _Client(target) as client:
        for path, graph in files.items():
            for name, triples in _batches(path, graph, batch):
                method = "POST" if name in report.graphs else "PUT"
                client.send(method, name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
                report.graphs[name] = report.graphs.get(name, 0) + len(triples)
                report.triples += len(triples)
            progress(f"{path}: {report.triples} triples so far")
    report.seconds = time.perf_counter() - started
    return report


def _batches(path: Path, graph: str, batch: int) -> Iterator[tuple[str, list[ox.Triple]]]:
    """(graph, triples) in batches of at most ``batch`` triples, graph by graph as they come."""
    fmt = rdf_format_of(path)
    source: dict = {"path": str(path)}
    if fmt is RdfFormat.JSONLD:
        source = {"input": jsonld.inline_context(path.read_bytes())}
    pending: dict[str, list[ox.Triple]] = {}
    blank = False
    try:
        for quad in ox.parse(**source, format=fmt.oxigraph, base_iri=ns.BASE):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else graph
            blank = blank or isinstance(quad.subject, ox.BlankNode) or \
                isinstance(quad.object, ox.BlankNode)
            triples = pending.setdefault(name, [])
            triples.append(quad.triple)
            if len(triples) >= batch:
                if blank:
                    raise LoadError(f"{path}: has blank nodes and more than {batch} triples; "
                                    "the protocol would split them between requests. Load it "
                                    "with the engine's bulk loader (see docs/deploy.md).")
                yield name, pending.pop(name)
    except SyntaxError as e:
        raise LoadError(str(data_syntax_error(path, e))) from None
    yield from pending.items()


class _Client:
    """One HTTP connection to the Graph Store endpoint, authenticated as the engine asks."""

    def __init__(self, target: Backend):
        self.target = target
        self.http = httpx.Client(verify=_tls(),
                                 timeout=httpx.Timeout(target.timeout, connect=10.0))
        self.auth: httpx.Auth | None = None

    def __enter__(self) -> _Client:
        return self

    def __exit__(self, *_exc) -> None:
        self.http.close()

    def send(self, method: str, graph: str, body: bytes) -> None:
        while True:
            try:
                r = self.http.request(method, self.target.url, params={"graph": graph},
                                      content=body, headers={"Content-Type": N_TRIPLES},
                                      auth=self.auth or httpx.USE_CLIENT_DEFAULT)
            except httpx.HTTPError as e:
                raise LoadError(f"The engine at {self.target.url} could not be reached: "
                                f"{type(e).__name__}: {e}") from None
            if r.status_code == 401 and self.auth is None and self.target.user is not None:
                self.auth = _auth(r.headers.get("WWW-Authenticate", ""), self.target)
                continue
            if r.status_code >= 300:
                why = r.text.strip()[:300] or r.reason_phrase
                hint = " (give --user, and the password in MALI_KG_BACKEND_PASSWORD or " \
                    "~/.netrc)" if r.status_code in (401, 403) else ""
                raise LoadError(f"The engine at {self.target.url} refused {method} of "
                                f"<{graph}>: {r.status_code} {why}{hint}")
            return


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default TLS context, made once a process: making one reads the CA bundle
    (tens of milliseconds, more than a small graph takes to send)."""
    return httpx.create_ssl_context()


def _auth(challenge: str, target: Backend) -> httpx.Auth:
    user, password = target.user or "", target.password or ""
    if challenge.lower().startswith("digest"):
        return httpx.DigestAuth(user, password)
    return httpx.BasicAuth(user, password)
