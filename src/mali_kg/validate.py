"""SHACL validation of the data against the bundled shapes and ontology.

The only module that uses pySHACL. It never prints: it returns a :class:`Report`, which
renders itself as text, Turtle or JSON.

>>> report = validate_bundled()
>>> report.conforms, report.fails("Violation"), report.counts()["Violation"]
(False, False, 0)

As the SHACL specification says, a report conforms only when it holds no result at all: the
bundled graph has warnings and infos (``sh:Warning``, ``sh:Info``), so it does not conform,
though it has no violation. :meth:`Report.fails` says whether a report has a result of a given
severity or a more serious one; ``mali-kg validate --fail-on`` uses it.

Against the bundled shapes, the ontology's class hierarchy is mixed into the data graph so
that class membership follows ``rdfs:subClassOf`` (an ``mk:Person`` is an ``mk:Actor``); no
further inference is run. Other shapes (``shapes=``) see the data as given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import Path as RdfPath
from rdflib.query import Result as SparqlResult

from . import jsonld, resources
from . import namespaces as ns
from .errors import InputError, MaliKGError, UnsupportedFormatError
from .formats import RdfFormat
from .store import data_syntax_error, rdf_format_of

__all__ = [
    "Report",
    "Result",
    "check_shapes",
    "load_graph",
    "load_shapes",
    "report_from_graph",
    "validate_bundled",
    "validate_files",
    "validate_graph",
]

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Result:
    """One validation result. Terms are given in N-Triples-like form, IRIs compacted
    with the project's prefixes where one applies (``id:article``, ``mk:date``)."""

    focus_node: str
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    path: str | None = None
    value: str | None = None
    source_shape: str | None = None
    constraint_component: str | None = None


@dataclass
class Report:
    """The outcome of a validation: ``conforms`` is True only when there is no result at all
    (SHACL §3.6.2); :meth:`fails` weighs the results by severity."""

    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph | None = field(default=None, repr=False, compare=False)
    omitted: int = 0  # results left out by :meth:`limited`
    # The report graph's node for each result, in the order of ``results``.
    nodes: list = field(default_factory=list, repr=False, compare=False)

    def limited(self, max_results: int) -> Report:
        """The report with at most ``max_results`` results (violations first); the others
        are counted in ``omitted`` and said to be left out in every rendering."""
        if len(self.results) <= max_results:
            return self
        order = sorted(range(len(self.results)),
                       key=lambda i: _severity_first(self.results[i]))[:max_results]
        omitted = len(self.results) - max_results
        graph = _empty_report(self.conforms)
        if self.graph is not None and self.nodes:
            report = next(graph.subjects(RDF.type, SH.ValidationReport))
            graph.add((report, RDFS.comment, Literal(
                f"{omitted} further results were left out: a report lists at most "
                f"{max_results}.", lang="en")))
            for i in order:
                graph.add((report, SH.result, self.nodes[i]))
                graph += self.graph.cbd(self.nodes[i])
        return Report(conforms=self.conforms, results=[self.results[i] for i in order],
                      graph=graph, omitted=omitted)

    def fails(self, severity: str = "Violation") -> bool:
        """True when some result has this severity or a more serious one
        (``"Violation"``, ``"Warning"`` or ``"Info"``)."""
        if severity not in _SEVERITY_ORDER:
            raise ValueError(f"unknown severity {severity!r}")
        limit = _SEVERITY_ORDER[severity]
        return any(_SEVERITY_ORDER.get(r.severity, 0) <= limit for r in self.results)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def infos(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Info"]

    def counts(self) -> dict[str, int]:
        return {s: sum(r.severity == s for r in self.results) for s in _SEVERITY_ORDER}

    def grouped(self) -> list[tuple[str, list[Result]]]:
        """Results grouped by focus node: nodes with violations first, then warnings, infos."""
        groups: dict[str, list[Result]] = {}
        for r in sorted(self.results, key=_severity_first):
            groups.setdefault(r.focus_node, []).append(r)
        return list(groups.items())

    def to_text(self) -> str:
        """A human-readable report, grouped by focus node."""
        c = self.counts()
        head = "Conforms." if self.conforms else "Does not conform."
        lines = [f"{head} {c['Violation']} violation(s), {c['Warning']} warning(s), "
                 f"{c['Info']} info(s)."]
        if self.omitted:
            lines.append(f"{self.omitted} further result(s) left out.")
        for focus, results in self.grouped():
            lines.append("")
            lines.append(focus)
            for r in results:
                where = f" {r.path}" if r.path else ""
                lines.append(f"  {r.severity.upper()}{where}")
                if r.value is not None:
                    lines.append(f"    value:   {_shorten(r.value)}")
                lines.append(f"    message: {r.message}")
                if r.source_shape:
                    lines.append(f"    shape:   {r.source_shape} ({r.constraint_component})")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report as JSON: ``{"conforms": …, "counts": {…}, "results": [{…}, …]}``."""
        doc = {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [asdict(r) for r in sorted(self.results, key=_sort_key)],
        }
        if self.omitted:
            doc["truncated"] = True
            doc["omitted"] = self.omitted
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def to_turtle(self) -> str:
        """The W3C SHACL validation report graph, in Turtle."""
        graph = self.graph if self.graph is not None else _empty_report(self.conforms)
        for prefix, iri in ns.PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        return graph.serialize(format="turtle")


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate an rdflib graph against the bundled shapes and ontology, or against ``shapes``.

    The graph is not modified. Against the bundled shapes it is copied together with the
    ontology's class hierarchy (``rdfs:subClassOf``), which is all SHACL needs to see an
    ``mk:Person`` as an ``mk:Actor``; against other shapes it is copied as it is.
    """
    target = _SparqlOnOxigraphGraph()
    for triple in data:
        target.add(triple)
    if shapes is None:
        for triple in _class_hierarchy():
            target.add(triple)
    target.freeze()
    shapes_graph = _shapes_graph() if shapes is None else shapes
    _, report_graph, _ = _pyshacl().validate(
        target,
        shacl_graph=shapes_graph,
        inference="none",
        inplace=True,
        # Every result counts when a shape is used inside another (sh:node, sh:or…): a
        # nested shape whose only results are warnings does not conform either.
        allow_warnings=False,
        advanced=False,
        meta_shacl=False,
    )
    if not isinstance(report_graph, Graph):  # pySHACL's ValidationFailure, handed back
        raise UnusableShapes(f"pySHACL cannot validate with these shapes (nothing was "
                             f"validated): {report_graph}")
    return report_from_graph(report_graph, shapes_graph)


class UnusableShapes(MaliKGError):
    """pySHACL refused the shapes (a SPARQL constraint with MINUS, VALUES or SERVICE, which
    SHACL forbids, …); the message says why."""


@cache
def _pyshacl():
    """pySHACL, imported where it runs (the SPARQL engine reads this module without it).

    pySHACL checks a SPARQL constraint's text (no MINUS, VALUES or SERVICE, pre-bound
    variables not rebound: six regular expressions) again for every focus node: 40 % of the
    time of validating the bundled graph. The verdict depends only on the text and on the
    variables that may be pre-bound, so a text that passed is not checked again."""
    import pyshacl
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    check = SPARQLQueryHelper.check_invalid_sparql
    passed: set[tuple] = set()

    def check_once(self, sparql_text, valuenode=None, extravars=None):
        key = (type(self), sparql_text, valuenode is not None, frozenset(extravars or ()))
        if key not in passed:
            check(self, sparql_text, valuenode=valuenode, extravars=extravars)
            if len(passed) >= _CHECKED_TEXTS:  # bounded, whatever shapes a process is given
                passed.clear()
            passed.add(key)
        return True

    SPARQLQueryHelper.check_invalid_sparql = check_once
    return pyshacl


_CHECKED_TEXTS = 4096


def validate_files(paths: Sequence[Path | str], shapes: Graph | None = None) -> Report:
    """Validate the union of RDF files (format from each file's extension).

    Raises :class:`DataSyntaxError` (with ``line`` and ``column`` where the parser gives
    them) for a file that does not parse, :class:`UnsupportedFormatError` for an unknown
    extension and :class:`OSError` for a file that cannot be read.
    """
    if not paths:
        raise MaliKGError("No files to validate: name at least one RDF file.")
    return validate_graph(load_graph(paths), shapes)


def validate_bundled() -> Report:
    """Validate the bundled data graph (``data/mali-kg.ttl``)."""
    return validate_graph(load_graph([resources.data_file()]))


def load_graph(paths: Iterable[Path | str]) -> Graph:
    """Parse RDF files into one rdflib graph (named graphs of TriG/N-Quads are merged)."""
    graph = Graph()
    for p in paths:
        path = Path(p)
        fmt = rdf_format_of(path)
        data = path.read_bytes()  # OSError propagates: unreadable or missing file
        parse_rdf(data, fmt, source=path, into=graph)
    if len(graph) == 0:
        raise InputError("The files hold no triples: nothing to validate.")
    return graph


def load_shapes(paths: Iterable[Path | str], *, read: Sequence[bytes] = ()) -> Graph:
    """Parse shapes files (format from each file's extension) into one rdflib graph; ``read``
    holds the bytes of the first files, when the caller has read them already."""
    graph = Graph()
    for i, p in enumerate(paths):
        path = Path(p)
        data = read[i] if i < len(read) else path.read_bytes()
        parse_rdf(data, rdf_format_of(path), source=path, into=graph)
    if len(graph) == 0:
        raise InputError("The shapes files hold no triples: there is nothing to validate "
                         "against.")
    return graph


def check_shapes(shapes: Graph | None = None) -> Report:
    """Validate a shapes graph (the bundled one by default) against SHACL-for-SHACL."""
    from pyshacl.entrypoints import meta_validate

    shapes_graph = _shapes_graph() if shapes is None else shapes
    _, report_graph, _ = meta_validate(shapes_graph, allow_warnings=False)
    return report_from_graph(report_graph, shapes_graph)


# --- loading -----------------------------------------------------------------------------------

def parse_rdf(data: bytes, fmt: RdfFormat, *, source: Path | str = "input",
              max_triples: int | None = None, into: Graph | None = None) -> Graph:
    """Parse RDF bytes into an rdflib graph (named graphs of TriG/N-Quads are merged).

    Oxigraph's parsers are fast and report line and column: a syntax error becomes a
    :class:`DataSyntaxError` naming ``source``. More than ``max_triples`` raises
    :class:`TooManyTriples`.
    """
    graph = Graph() if into is None else into
    add = graph.add
    if fmt is RdfFormat.JSONLD:  # our published context is read locally, never fetched
        data = jsonld.inline_context(data)
    try:
        for n, q in enumerate(ox.parse(data, format=fmt.oxigraph, base_iri=ns.BASE)):
            if max_triples is not None and n >= max_triples:
                raise TooManyTriples(f"{source} holds more than {max_triples} triples; "
                                     "validate a smaller graph, or run `mali-kg validate`.")
            add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    except SyntaxError as e:
        raise data_syntax_error(source, e) from None
    return graph


class TooManyTriples(MaliKGError):
    """The input is larger than the caller accepts."""


def to_rdflib(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> URIRef | BNode | Literal:
    """The rdflib term for an Oxigraph term (plain strings as simple literals, as rdflib parses)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == ns.XSD_STRING:
            return Literal(t.value)  # as rdflib's own parsers give simple literals
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise UnsupportedFormatError(f"RDF-star triple terms are not supported: {t}")


@cache
def _shapes_graph() -> Graph:
    return Graph().parse(resources.shapes_file(), format="turtle")


@cache
def _ontology_graph() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


@cache
def _class_hierarchy() -> tuple[tuple[URIRef, URIRef, URIRef], ...]:
    """The ontology's class and property hierarchy, domains and ranges (named terms only)."""
    ontology = _ontology_graph()
    return tuple(
        (s, p, o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
        for s, o in ontology.subject_objects(p)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    )


class _SparqlOnOxigraphGraph(Graph):
    """An in-memory rdflib graph whose SELECT queries run on an Oxigraph copy of it.

    pySHACL evaluates each SHACL-SPARQL constraint once per focus node and hands rdflib the
    query text every time; rdflib re-parses it (tens of milliseconds) and evaluates slowly.
    Oxigraph parses and evaluates the same query in well under a millisecond, and follows the
    SPARQL specification more closely. Pre-bound variables (``$this``) are passed as
    substitutions (SEP-0007), the mechanism SHACL's pre-binding describes. Core constraints
    keep using rdflib's triple index. Call :meth:`freeze` after the last ``add``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._ox: ox.Store | None = None

    def freeze(self) -> None:
        store = ox.Store()
        store.bulk_extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in self
        )
        self._ox = store

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if self._ox is None or not isinstance(query_object, str) or initNs:
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)
        substitutions = {
            ox.Variable(str(name)): to_oxigraph(value)
            for name, value in (initBindings or {}).items()
            if f"?{name}" in query_object or f"${name}" in query_object
        }
        answer = self._ox.query(query_object, substitutions=substitutions)
        if not isinstance(answer, ox.QuerySolutions):
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)
        names = [v.value for v in answer.variables]
        out = SparqlResult("SELECT")
        out.vars = [Variable(n) for n in names]
        out.bindings = [
            {Variable(n): to_rdflib(row[n]) for n in names if row[n] is not None}
            for row in answer
        ]
        return out


def to_oxigraph(t) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph term for an rdflib term (blank node labels kept)."""
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"not an RDF term: {t!r}")


# --- report ------------------------------------------------------------------------------------

def report_from_graph(graph: Graph, shapes: Graph | None = None) -> Report:
    """The :class:`Report` of a SHACL validation report graph.

    ``conforms`` is True only when the report has no result (its ``sh:conforms`` is set to
    agree). ``shapes`` is the shapes graph the results' source shapes
    come from (the bundled one by default); it names blank property shapes.
    """
    def show(term, path: bool = False) -> str | None:
        if term is None:
            return None
        if isinstance(term, RdfPath):
            return term.n3(graph.namespace_manager)
        if path and isinstance(term, BNode):
            return show_path(graph, term) or "_:" + str(term)  # a complex property path
        if isinstance(term, Literal):
            return term.n3(graph.namespace_manager)
        return _compact(term)

    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    results, nodes = [], []
    # The report's results: those of sh:result (the results pySHACL nests under sh:detail,
    # for sh:node, are explanations, not results of the report).
    for node in [r for report in graph.subjects(RDF.type, SH.ValidationReport)
                 for r in graph.objects(report, SH.result)]:
        nodes.append(node)
        severity = graph.value(node, SH.resultSeverity)
        messages = [str(m) for m in graph.objects(node, SH.resultMessage)]
        results.append(Result(
            focus_node=show(graph.value(node, SH.focusNode)) or "",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=" ".join(messages) or "(no message)",
            path=show(graph.value(node, SH.resultPath), path=True),
            value=show(graph.value(node, SH.value)),
            source_shape=_shape_name(graph.value(node, SH.sourceShape), shapes),
            constraint_component=show(graph.value(node, SH.sourceConstraintComponent)),
        ))
    conforms = not results
    for report in graph.subjects(RDF.type, SH.ValidationReport):
        graph.set((report, SH.conforms, Literal(conforms)))
    return Report(conforms=conforms, results=results, graph=graph, nodes=nodes)


def _shape_name(shape, shapes: Graph | None = None) -> str | None:
    """A shape's IRI, or for a blank property shape ``<node shape>/<path>``."""
    if shape is None:
        return None
    if isinstance(shape, BNode):
        shapes = _shapes_graph() if shapes is None else shapes
        parent = shapes.value(predicate=SH.property, object=shape)
        path = shapes.value(shape, SH.path)
        if parent is not None and isinstance(path, URIRef):
            return f"{_compact(parent)}/{_compact(path)}"
    return _compact(shape)


_PATH_OPERATORS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def show_path(graph: Graph, node, depth: int = 0) -> str | None:
    """A SHACL property path in SPARQL's path syntax, IRIs compacted (``^mk:speaker``,
    ``(mk:a/mk:b)*``); None when ``node`` is not a well-formed path."""
    if isinstance(node, URIRef):
        return _compact(node)
    if not isinstance(node, BNode) or depth > 50:
        return None

    def group(member) -> str | None:
        text = show_path(graph, member, depth + 1)
        if text is None:
            return None
        return text if isinstance(member, URIRef) else f"({text})"

    if graph.value(node, RDF.first) is not None:
        members = [group(m) for m in graph.items(node)]
        return None if not members or None in members else "/".join(members)
    keys = [(p, o) for p, o in graph.predicate_objects(node)
            if p in _PATH_OPERATORS or p in (SH.inversePath, SH.alternativePath)]
    if len(keys) != 1:
        return None
    p, o = keys[0]
    if p == SH.alternativePath:
        members = [group(m) for m in graph.items(o)]
        return None if not members or None in members else "|".join(members)
    inner = group(o)
    if inner is None:
        return None
    return "^" + inner if p == SH.inversePath else inner + _PATH_OPERATORS[p]


def _compact(term) -> str:
    return "_:" + str(term) if isinstance(term, BNode) else ns.compact(str(term))


def _sort_key(r: Result) -> tuple:
    return (r.focus_node, _SEVERITY_ORDER.get(r.severity, 9), r.path or "", r.message)


def _severity_first(r: Result) -> tuple:
    return (_SEVERITY_ORDER.get(r.severity, 9), r.focus_node, r.path or "", r.message)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty_report(conforms: bool) -> Graph:
    g = Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(conforms)))
    return g
