"""The embedded Oxigraph store: load the bundled graph, run queries, dump.

Each bundled file is loaded into a named graph of its own; queries see the union of all graphs
as their default graph unless the caller names graphs (SPARQL ``FROM`` / protocol
``default-graph-uri``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from . import jsonld, resources
from . import namespaces as ns
from .errors import DataSyntaxError, InputError, QuerySyntaxError
from .formats import RdfFormat

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def bundled_graphs() -> dict[str, Path]:
    """Named graph IRI → file, for everything the service publishes."""
    return {
        ns.GRAPH_DATA: resources.data_file(),
        ns.GRAPH_ONTOLOGY: resources.ontology_file(),
        ns.GRAPH_VOID: resources.void_file(),
        ns.GRAPH_SHAPES: resources.shapes_file(),
    }


def open_store(*, path: Path | None = None, read_only: bool = False) -> ox.Store:
    """An in-memory store with the bundled graphs, or an on-disk store at ``path``.

    An on-disk store is opened as it is (load it first with :func:`load_files`); with
    ``read_only`` several processes can share it.
    """
    if path is not None:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    store = ox.Store()
    load_files(store, bundled_graphs())
    return store


def load_files(store: ox.Store, graphs: dict[str, Path]) -> None:
    """Bulk-load each file into its named graph."""
    for graph, path in graphs.items():
        load_file(store, path, graph=graph)


def rdf_format_of(path: Path) -> RdfFormat:
    """The RDF format of a file, from its extension; a directory is refused."""
    if path.is_dir():
        raise InputError(f"{path} is a directory; name the RDF files in it.")
    return RdfFormat.from_path(str(path))


def load_file(store: ox.Store, path: Path, *, graph: str | None = None) -> None:
    """Bulk-load one RDF file; a syntax error becomes :class:`DataSyntaxError`. A JSON-LD
    file may reference the project's context by its IRI: it is read from here, never
    fetched."""
    fmt = rdf_format_of(path)
    to_graph = ox.NamedNode(graph) if graph and not fmt.is_dataset else None
    source: dict = {"path": str(path)}
    if fmt is RdfFormat.JSONLD:
        source = {"input": jsonld.inline_context(path.read_bytes())}
    try:
        store.bulk_load(**source, format=fmt.oxigraph, to_graph=to_graph, base_iri=ns.BASE)
    except SyntaxError as e:
        raise data_syntax_error(path, e) from None


def data_syntax_error(path: Path | str, error: SyntaxError) -> DataSyntaxError:
    """Turn an Oxigraph parse error into one that names the file, line and column."""
    line, column = error_position(str(error))
    where = f" at line {line}, column {column}" if line else ""
    detail = _PARSER_SUFFIX.sub("", _PARSER_PREFIX.sub("", str(error)))
    return DataSyntaxError(f"{path}: syntax error{where}: {detail}", line=line, column=column)


_PARSER_SUFFIX = re.compile(r" \(line \d+\)$")
_PARSER_PREFIX = re.compile(
    r"^(?:Parser error|error) at (?:line \d+ (?:between )?columns? \d+(?: and \d+)?|\d+:\d+): ")


_POSITION = re.compile(r"(?:on )?line (\d+)[^\d]+columns? (\d+)")
_RANGE = re.compile(r"\b(\d+):(\d+)\b")


def error_position(message: str) -> tuple[int | None, int | None]:
    """(line, column), 1-based, from an Oxigraph error message, or (None, None)."""
    m = _POSITION.search(message) or _RANGE.search(message)
    if not m:
        return None, None
    line, column = int(m.group(1)), int(m.group(2))
    return line, column


def run_query(
    store: ox.Store,
    query: str,
    *,
    default_graphs: Iterable[str] | None = None,
    named_graphs: Iterable[str] | None = None,
    base_iri: str | None = ns.BASE,
) -> QueryResult:
    """Evaluate a SPARQL query; the default graph is the union of all graphs unless named."""
    options: dict = {"base_iri": base_iri}
    default = list(default_graphs or [])
    if default:
        options["default_graph"] = [ox.NamedNode(g) for g in default]
    else:
        options["use_default_graph_as_union"] = True
    named = list(named_graphs or [])
    if named:
        options["named_graphs"] = [ox.NamedNode(g) for g in named]
    try:
        return store.query(query, **options)
    except SyntaxError as e:
        raise query_syntax_error(e) from None


def query_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """Turn an Oxigraph query parse error into one that gives the line and column."""
    line, column = error_position(str(error))
    where = f" at line {line}, column {column}" if line else ""
    detail = _PARSER_PREFIX.sub("", str(error))
    return QuerySyntaxError(f"SPARQL syntax error{where}: {detail}", line=line, column=column)


def dump(store: ox.Store, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
    """Serialise one named graph, or (``graph=None``) the whole store.

    Triple formats get the union of all graphs; TriG and N-Quads keep the named graphs.
    JSON-LD is compacted against the project's context, which it embeds so that the file
    reads offline (the server's documents reference it instead: :func:`dump_jsonld`).
    """
    if fmt is RdfFormat.JSONLD:
        return dump_jsonld(store, graph=graph, embed_context=True)[0]
    if graph is not None:
        return store.dump(format=fmt.oxigraph, from_graph=ox.NamedNode(graph),
                          prefixes=_prefixes(fmt))
    if fmt.is_dataset:
        return store.dump(format=fmt.oxigraph, prefixes=_prefixes(fmt))
    union = ox.Store()
    union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    return union.dump(format=fmt.oxigraph, from_graph=ox.DefaultGraph(),
                      prefixes=_prefixes(fmt))


def dump_jsonld(store: ox.Store, *, graph: str | None = None, form: str = jsonld.COMPACTED,
                embed_context: bool = False) -> tuple[bytes, str]:
    """One named graph, or the union of all graphs, as JSON-LD in ``form``
    (:data:`.jsonld.COMPACTED` or :data:`.jsonld.EXPANDED`), and the form written; a
    compacted document references the project's context by its IRI, or embeds it."""
    if graph is not None:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    else:
        union = ox.Store()
        union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
        quads = union.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return jsonld.write((ox.Triple(q.subject, q.predicate, q.object) for q in quads), form,
                        embed=embed_context)


def _prefixes(fmt: RdfFormat) -> dict[str, str] | None:
    return None if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS) else dict(ns.PREFIXES)
