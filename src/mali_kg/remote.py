"""A SPARQL engine elsewhere, read through the SPARQL 1.1 Protocol as if it were the store.

:class:`RemoteStore` answers the calls mali-kg makes of a :class:`pyoxigraph.Store` —
``query``, ``quads_for_pattern``, ``named_graphs``, ``len``, iteration — by sending standard
SPARQL 1.1 to the engine's query endpoint (Oxigraph server, Virtuoso, QLever, Fuseki …) and
parsing its answers with pyoxigraph, lazily: a caller that stops reading closes the answer.
The engine's dataset is pinned on every request: the default graph is the union of the
served graphs (``default-graph-uri``), and ``GRAPH`` ranges over them (``named-graph-uri``),
so an engine's own system graphs never show and every engine answers the same.

Credentials come from the URL's user part, ``--backend-user`` with the
``MALI_KG_BACKEND_PASSWORD`` environment variable, or the user's ``~/.netrc``; they are sent
as HTTP basic authentication and never appear in messages (:attr:`Backend.url` has none).
"""

from __future__ import annotations

import base64
import functools
import io
import netrc
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from . import engine_http
from .gate import (
    beyond_sparql_11,
    calls_written,
    may_call_by_name,
    services_as_graphs,
    without_dataset_clauses,
)
from .lru import ByteLRU

PASSWORD_ENV = "MALI_KG_BACKEND_PASSWORD"
# Asked of the engine, by query form: the formats every SPARQL 1.1 engine writes. (Asked for
# both at once, Virtuoso writes a CONSTRUCT's triples as a JSON result set.)
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML,
            "text/tab-separated-values": ox.QueryResultsFormat.TSV}
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
           "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
           "application/n-quads": ox.RdfFormat.N_QUADS}
# A dataset with nothing in it, for a request that asks for an empty default graph.
EMPTY_GRAPH = "urn:x-mali-kg:empty"
# A keep-alive connection idle longer than this is not trusted with a request (Oxigraph
# server answered 500 on one left idle about 60 s); the request goes on a fresh one.
_IDLE_S = 30.0


class RemoteError(Exception):
    """The engine refused the request (``status`` 4xx) or failed (5xx, or 0: unreachable)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Backend:
    """Where the engine is and what of it is served; picklable, for the worker processes."""

    url: str  # the query endpoint, without credentials
    graphs: tuple[str, ...]  # the named graphs served
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    functions: frozenset[str] = frozenset()  # extension functions queries may call
    timeout: float = 60.0  # seconds to wait for the engine to start answering

    @classmethod
    def parse(cls, url: str, *, graphs: Iterable[str], user: str | None = None,
              functions: Iterable[str] = (), timeout: float = 60.0) -> Backend:
        """``url`` as given on the command line: credentials in it are taken out of it."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or \
                parts.port == 0:  # reading .port also refuses one that is not a number
            raise ValueError(f"The engine's URL must be an http:// or https:// URL, not "
                             f"{url[:80]!r}")
        netloc = parts.netloc.rpartition("@")[2]  # host and port, without the credentials
        clean = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        user = user or parts.username
        password = parts.password or os.environ.get(PASSWORD_ENV)
        if password is None:
            user, password = _netrc(parts.hostname, user)
        return cls(clean, tuple(graphs), user, password, frozenset(functions), timeout)

    def authorization(self) -> str | None:
        if self.user is None or self.password is None:
            return None
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        return f"Basic {token}"


def _netrc(host: str, user: str | None) -> tuple[str | None, str | None]:
    try:
        entry = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError):
        return user, None
    if entry is None or (user is not None and entry[0] != user):
        return user, None
    return entry[0], entry[2]


@dataclass(frozen=True)
class WholeAnswer:
    """A result set the engine sent whole, within the size asked for: sent as it is, or parsed
    as often as needed (once to be written by pyoxigraph's writer, again to be cut to the
    limits), without asking the engine twice."""

    data: bytes
    format: ox.QueryResultsFormat

    def solutions(self) -> ox.QuerySolutions:
        return ox.parse_query_results(self.data, self.format)

    def sparql11_json(self) -> bytes | None:
        """The answer as the engine wrote it, when that is the SPARQL 1.1 JSON results format:
        JSON, without the "typed-literal" term type of the SPARQL 1.0 format that some engines
        still write (Virtuoso 7.2; 1.1 writes a literal with a datatype). Else None."""
        if self.format is ox.QueryResultsFormat.JSON and b'"typed-literal"' not in self.data:
            return self.data
        return None


class RemoteStore:
    """The parts of :class:`pyoxigraph.Store` mali-kg uses, over the SPARQL 1.1 Protocol.

    One connection per thread, kept alive between requests.
    """

    def __init__(self, backend: Backend):
        self.backend = backend
        parts = urlsplit(backend.url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        auth = backend.authorization()
        # Each request's head but its length, by what it accepts.
        self._heads = {accept: (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: {accept}\r\n"
            "Accept-Encoding: identity\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + (f"Authorization: {auth}\r\n" if auth else "")).encode("ascii")
            for accept in (ACCEPT_RESULTS, ACCEPT_GRAPH)}
        self._local = threading.local()  # conn, and when it last finished a request: used
        self._graphs = [ox.NamedNode(g) for g in backend.graphs]

    # -- the Store interface ------------------------------------------------------------

    def query(self, query: str, *, base_iri: str | None = None,
              use_default_graph_as_union: bool = False, default_graph=None,
              named_graphs=None, form: str | None = None, whole: int = 0, **_ignored):
        """Evaluate ``query`` on the engine; the answer is parsed as it is read.

        ``form`` is the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE), found by parsing the
        query here when not given. With ``whole``, a SELECT answer that ends within that many
        bytes is read at once and given as a :class:`WholeAnswer`."""
        form = form or query_form(query, base_iri)
        if use_default_graph_as_union:
            default, named = self.backend.graphs, self.backend.graphs
        else:
            default = _names(default_graph) if default_graph is not None else self.backend.graphs
            named = _names(named_graphs) if named_graphs is not None else self.backend.graphs
            query = without_dataset_clauses(query)  # the dataset given here wins, as it must
        text = f"BASE <{base_iri}>\n{query}" if base_iri else query
        graph = form in ("CONSTRUCT", "DESCRIBE")
        response = self._post(b"query=" + _percent_encoded(text) + b"&" +
                              _dataset_params(tuple(default), tuple(named)),
                              ACCEPT_GRAPH if graph else ACCEPT_RESULTS)
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if media in _RESULTS and not graph:
            reader = _Reader(response)
            if whole and form == "SELECT" and (data := reader.whole(whole)) is not None:
                return WholeAnswer(data, _RESULTS[media])
            result = ox.parse_query_results(reader, _RESULTS[media])
            return _boolean(result) if form == "ASK" else result
        if media in _GRAPHS and graph:
            return (q.triple for q in _closing(ox.parse(_Reader(response), _GRAPHS[media]),
                                                response))
        response.close()
        raise RemoteError(502, f"The SPARQL engine answered a {form} query in a format "
                          f"mali-kg does not read: {media[:80] or 'no Content-Type'}.")

    def quads_for_pattern(self, subject, predicate, object, graph_name=None) -> Iterator[ox.Quad]:
        """Like pyoxigraph's, with two differences: a look-up with no graph (in the union of
        the served graphs) gives quads in the default graph, the graph being unknown; and a
        blank node cannot be looked up (the protocol has no way to name one)."""
        terms = (subject, predicate, object)
        if any(isinstance(t, ox.BlankNode) for t in terms) or \
                isinstance(graph_name, ox.DefaultGraph):
            return iter(())
        pattern = " ".join(str(t) if t is not None else v
                           for t, v in zip(terms, ("?s", "?p", "?o"), strict=True))
        text = f"CONSTRUCT {{ {pattern} }} WHERE {{ {pattern} }}"
        if graph_name is not None:
            graphs = [graph_name]
        elif any(t is not None for t in terms):
            return (ox.Quad(*t, ox.DefaultGraph()) for t in self.query(
                text, use_default_graph_as_union=True, form="CONSTRUCT"))
        else:
            graphs = self._graphs
        return (ox.Quad(*t, g) for g in graphs for t in self.query(
            text, default_graph=[g], named_graphs=[], form="CONSTRUCT"))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter(self._graphs)

    def graph_sizes(self) -> dict[str, int]:
        """Triples in each served graph (0 for a graph the engine does not hold)."""
        sizes = dict.fromkeys(self.backend.graphs, 0)
        if self._graphs:
            values = " ".join(str(g) for g in self._graphs)  # N-Triples terms read as SPARQL
            for row in self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { " + values
                                  + " } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
                sizes[row["g"].value] = int(row["n"].value)
        return sizes

    def __len__(self) -> int:
        return sum(self.graph_sizes().values())

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def dump(self, output=None, format=None, *, from_graph=None, prefixes=None, **_ignored):
        """Write what the engine holds in the served graphs (the default graph is empty)."""
        local = ox.Store()
        if isinstance(from_graph, ox.DefaultGraph):
            quads = iter(())
        else:
            quads = self.quads_for_pattern(None, None, None, from_graph)
        local.bulk_extend(quads)
        options = {"format": format, "prefixes": prefixes}
        if from_graph is not None:
            options["from_graph"] = from_graph
        return local.dump(output, **options) if output is not None else local.dump(**options)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- the protocol -------------------------------------------------------------------

    def _post(self, body: bytes, accept: str) -> _Tracked:
        head = self._heads[accept]
        if getattr(self._local, "open", None) is not None:
            # An answer is still being read on this thread's connection (a look-up made while
            # iterating another): leave that connection to it; this request gets another.
            self._local.conn = self._local.open = None
        reused = getattr(self._local, "conn", None) is not None and \
            time.monotonic() - self._local.used < _IDLE_S
        if not reused:
            self.close()
        for attempt in (0, 1):
            try:
                conn = self._connection()
                response = conn.request(head, body)
            except OSError as e:  # ConnectionError, TimeoutError and ssl.SSLError are, too
                self.close()
                if reused and attempt == 0:
                    continue  # the engine closed a kept connection: once more, afresh
                raise RemoteError(0, f"The SPARQL engine at {self.backend.url} could not be "
                                  f"reached: {type(e).__name__}: {e}") from None
            if response.status == 200:
                self._local.open = _Tracked(response, conn, self)
                return self._local.open
            text = response.read(4096).decode("utf-8", "replace").strip()
            self.close()
            if response.status >= 500 and reused and attempt == 0:
                continue
            raise RemoteError(response.status, text or response.reason)
        raise AssertionError("unreachable")

    def _connection(self) -> engine_http.Connection:
        if getattr(self._local, "conn", None) is None:
            self._local.conn = engine_http.Connection(
                self._host, self._port, https=self._https, timeout=self.backend.timeout)
            self._local.used = 0.0
        return self._local.conn

    def _finished(self, answer: _Tracked) -> None:
        """An answer read to its end leaves its connection ready for the next request; one
        closed early (a cut answer) closes it."""
        local = self._local
        reusable = answer.response.complete and not answer.response.will_close
        if getattr(local, "open", None) is answer:
            local.open = None
            if reusable:
                local.used = time.monotonic()
            else:
                self.close()
        elif reusable and getattr(local, "conn", None) is None:
            local.conn, local.used = answer.conn, time.monotonic()
        else:
            answer.conn.close()


@functools.lru_cache(maxsize=256)
def _dataset_params(default: tuple[str, ...], named: tuple[str, ...]) -> bytes:
    """The protocol's dataset parameters (an empty graph stands for none)."""
    return urlencode([("default-graph-uri", g) for g in default or (EMPTY_GRAPH,)] +
                     [("named-graph-uri", g) for g in named or (EMPTY_GRAPH,)]).encode()


def _percent_encoded(text: str) -> bytes:
    """``text`` as a form value, every UTF-8 byte written %XX (valid for any byte, and done
    in C: quoting only what needs it is a loop in Python over each character)."""
    data = text.encode("utf-8")
    return b"%" + data.hex("%").encode("ascii") if data else b""


class _Tracked:
    """An engine's answer, read from its connection."""

    def __init__(self, response: engine_http.Response, conn: engine_http.Connection,
                 store: RemoteStore):
        self.response = response
        self.conn = conn
        self._store = store
        self._done = False

    def read(self, n: int = -1) -> bytes:
        data = self.response.read(-1 if n is None else n)
        if not data:
            self.close()
        return data

    def getheader(self, name: str) -> str | None:
        return self.response.getheader(name)

    def close(self) -> None:
        if not self._done:
            self._done = True
            self._store._finished(self)


# Virtuoso labels blank nodes "nodeID://b10010" in SPARQL JSON and XML results, which is no
# blank node label (SPARQL 1.1 Query Results JSON Format §3.2.2 and the XML format take the
# BLANK_NODE_LABEL of Turtle after "_:"); the prefix is dropped where it can only be a blank
# node's label (inside a JSON or XML string a quote or "<" is escaped).
_BLANK_NODE_LABELS = ((b'"bnode", "value": "nodeID://', b'"bnode", "value": "'),
                      (b"<bnode>nodeID://", b"<bnode>"))


def _rewritten(data: bytes) -> bytes:
    for virtuoso, label in _BLANK_NODE_LABELS:
        data = data.replace(virtuoso, label)
    return data


def _open_prefix(chunk: bytes) -> int:
    """The length of the longest end of ``chunk`` that begins a Virtuoso label's prefix (each
    begins with a quote or "<": only those are tried)."""
    i = max(len(chunk) - _LONGEST_PREFIX + 1, 0)
    while True:
        found = [k for k in (chunk.find(b'"', i), chunk.find(b"<", i)) if k >= 0]
        if not found:
            return 0
        i = min(found)
        end = chunk[i:]
        if any(virtuoso.startswith(end) for virtuoso, _ in _BLANK_NODE_LABELS):
            return len(end)
        i += 1


_LONGEST_PREFIX = max(len(virtuoso) for virtuoso, _ in _BLANK_NODE_LABELS)


class _Reader(io.RawIOBase):
    """A file object over an answer, for pyoxigraph's parsers, with Virtuoso's blank node
    labels rewritten as the bytes go by (see _BLANK_NODE_LABELS)."""

    def __init__(self, response: _Tracked):
        self._response = response
        # Read and rewritten, not yet handed over; a bytearray, so that handing over its
        # start (a few KiB at a time, as pyoxigraph reads) does not copy the rest.
        self._ready = bytearray()
        self._tail = b""  # read, held back: it may begin a label the next read ends
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._ready and not self._eof:
            data = self._response.read(max(len(buffer), 8192))
            self._eof = not data
            chunk = _rewritten(self._tail + data)
            keep = 0 if self._eof else _open_prefix(chunk)
            self._ready, self._tail = bytearray(chunk[:len(chunk) - keep]), \
                chunk[len(chunk) - keep:]
        n = min(len(buffer), len(self._ready))
        buffer[:n] = self._ready[:n]
        del self._ready[:n]
        return n

    def whole(self, limit: int) -> bytes | None:
        """The whole answer, asked for before any read, if it ends within ``limit`` bytes;
        else None, and what was read is read again."""
        chunks, size = [], 0
        while size <= limit:
            chunk = self._response.read(65536)
            if not chunk:
                self._eof = True
                return _rewritten(self._tail + b"".join(chunks))
            chunks.append(chunk)
            size += len(chunk)
        self._tail += b"".join(chunks)  # read as it came: rewritten when read again
        return None

    def close(self) -> None:
        self._response.close()
        super().close()


_PARSER = ox.Store()  # empty: a query planned here reads no data (its planner still asks a SERVICE)


@functools.lru_cache(maxsize=512)  # validation and the pages ask the same texts again
def query_form(query: str, base_iri: str | None = None) -> str:
    """SELECT, ASK or CONSTRUCT (for DESCRIBE too): how the engine's answer is read."""
    result = _PARSER.query(query, base_iri=base_iri)
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    return "CONSTRUCT" if isinstance(result, ox.QueryTriples) else "SELECT"


def _boolean(result):
    """An ASK answer. Virtuoso 7.2 writes one as a result set with one ``__ASK_RETVAL`` row
    holding 1 or 0, instead of SPARQL's ``{"boolean": …}``."""
    if isinstance(result, ox.QueryBoolean):
        return result
    row = next(iter(result), None)
    value = row[0].value if row is not None and row[0] is not None else "0"
    truth = value in ("1", "true")
    return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"),
                                  ox.QueryResultsFormat.JSON)


class NotStandard(Exception):
    """The query calls a function that is not SPARQL 1.1 and not on the allow-list, or holds
    something else that is not SPARQL 1.1."""


# Namespaces of functions pyoxigraph's evaluator has built in, so that its planner does not
# name them as unknown: GeoSPARQL's. They are not SPARQL 1.1 and are refused as any other
# extension is, unless allow-listed.
BUILT_IN_EXTENSIONS = ("http://www.opengis.net/def/function/geosparql/",)


def standard_only(query: str, base_iri: str | None, functions: frozenset[str]) -> None:
    """Only standard SPARQL 1.1 reaches a remote engine: the query must parse, and every
    function it calls must be SPARQL's own or allow-listed. Engines' extensions read files and
    fetch URLs (Virtuoso's ``DEFINE get:soft``, ``bif:`` and ``sql:`` functions); pyoxigraph's
    parser has none of them, and its planner names any function it does not know (those it
    has built in are looked for by name: :data:`BUILT_IN_EXTENSIONS`). A query that calls no
    function by name is only parsed. What the parser reads beyond SPARQL 1.1 (later drafts,
    Oxigraph's own) is refused too. No service is asked: pyoxigraph's planner would ask
    one, so it plans the query with each SERVICE read as a GRAPH."""
    key = (query, base_iri, functions)
    if _STANDARD.get(key) is not None:
        return
    if may_call_by_name(query):
        if (planned := services_as_graphs(query)) is not query:
            parse_only(query, base_iri)  # its own syntax errors, where they are
        allowed = {ox.NamedNode(f): _never_called for f in functions}
        try:
            _PARSER.query(planned, base_iri=base_iri, custom_functions=allowed)
        except RuntimeError as e:
            raise refusal(e, functions) or e from None
        for namespace in BUILT_IN_EXTENSIONS:
            for iri in _calls_into(query, namespace, base_iri):
                if iri not in functions:
                    raise NotStandard(_not_allowed(f"<{iri}>", functions))
    else:
        parse_only(query, base_iri)
    if (construct := beyond_sparql_11(query)) is not None:
        raise NotStandard(f"{construct[:80]!r} is not SPARQL 1.1 (pyoxigraph reads it from "
                          "later drafts), and only SPARQL 1.1 is sent to the SPARQL engine "
                          "behind this endpoint.")
    _STANDARD.put(key, True, 2 * len(query) + 200)


def parse_only(query: str, base_iri: str | None = None) -> None:
    """Parse ``query`` with pyoxigraph's parser, without planning it (a third of the cost);
    raises SyntaxError as :meth:`pyoxigraph.Store.query` does. pyoxigraph has no call that only
    parses, but its ``query`` parses before it checks its arguments, and stops at two that may
    not be given together; where it did not stop there, the query is planned as well."""
    if _PARSES_FIRST:
        try:
            _query_refused_after_parsing(query, base_iri)
        except ValueError as e:
            if str(e).startswith(_BOTH_GIVEN):
                return
            raise
    _PARSER.query(query, base_iri=base_iri)


def _query_refused_after_parsing(query: str, base_iri: str | None) -> None:
    _PARSER.query(query, base_iri=base_iri, use_default_graph_as_union=True,
                  default_graph=ox.DefaultGraph())


_BOTH_GIVEN = "The query() method use_default_graph_as_union and default_graph arguments"


def _parses_first() -> bool:
    """Whether this pyoxigraph still parses before it checks its arguments (else
    :func:`parse_only` plans too: slower, as safe)."""
    try:
        _query_refused_after_parsing("SELECT", None)
    except SyntaxError:
        return True
    except ValueError:
        return False
    return False


_PARSES_FIRST = _parses_first()


# The texts found standard, in each query worker: a text asked again (answers over a backend
# are not cached by default) is not parsed and planned again.
_STANDARD = ByteLRU(max_bytes=4 * 2**20, max_entry=64 * 1024)


def _calls_into(query: str, namespace: str, base_iri: str | None) -> list[str]:
    """The functions ``query`` calls in ``namespace``: the callees as written, resolved by
    pyoxigraph's own parser in the query's prologue."""
    if (written := calls_written(query, namespace, base_iri)) is None:
        return []
    prologue, callees = written
    names = " ".join(f"({callee} AS ?f{i})" for i, callee in enumerate(callees))
    row = next(iter(_PARSER.query(f"{prologue}SELECT {names} {{}}", base_iri=base_iri)))
    return [term.value for term in row if term.value.startswith(namespace)]


def refusal(error: Exception, functions: frozenset[str] = frozenset()) -> NotStandard | None:
    """The refusal for an engine error that names a function it does not know, else None."""
    message = str(error)
    if not message.startswith("The custom function "):
        return None
    name = message[len("The custom function "):].removesuffix(" is not supported")
    return NotStandard(_not_allowed(name, functions))


def _not_allowed(name: str, functions: frozenset[str]) -> str:
    listed = ", ".join(f"<{f}>" for f in sorted(functions)) or "none"
    return (f"The function {name} is not part of SPARQL 1.1 and is not allowed here "
            f"(allowed: {listed}).")


def _never_called(*_args):
    return None


def _closing(items: Iterator, response: _Tracked) -> Iterator:
    try:
        yield from items
    finally:
        response.close()


def _names(graphs) -> tuple[str, ...]:
    graphs = graphs if isinstance(graphs, list | tuple) else [graphs]
    return tuple(g.value for g in graphs if isinstance(g, ox.NamedNode))


