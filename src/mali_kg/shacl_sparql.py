"""SHACL validation at scale: the bundled shapes translated to SPARQL and run on Oxigraph.

pySHACL evaluates shapes one focus node at a time in Python, over an rdflib graph; past a few
thousand triples that is too slow to use (see ``docs/benchmarks.md``). This module reads the
shapes once and turns each constraint into one SPARQL query that returns every violating
focus node at once, so the work is done by Oxigraph's engine and indexes, on the same on-disk
store the server uses. Supported: ``sh:targetClass`` (with ``rdfs:subClassOf*``),
``sh:targetSubjectsOf``; node and property shapes on predicate paths with ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:pattern``,
``sh:minLength``, ``sh:in``, ``sh:minInclusive``, ``sh:languageIn``, ``sh:or`` of those,
``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``,
``sh:lessThan``, ``sh:lessThanOrEquals`` and SHACL-SPARQL ``sh:select`` constraints (``$this``
joined with the target instead of pre-bound). A constraint it cannot translate is counted in
``untranslated``, never silently dropped.

:func:`validate_store` returns the same :class:`~mali_kg.validate.Report` as the pySHACL
validator, so the text, JSON and Turtle renderers work alike; :func:`validate_files` loads RDF
files into an in-memory store with the ontology first. See decision 0008.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from . import namespaces as ns
from . import resources, store
from .errors import InputError, MaliKGError
from .validate import Report, Result, to_rdflib

__all__ = ["Check", "Outcome", "Plan", "plan", "validate_files", "validate_store"]

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class Classes:
    """Instance-of tests with the ``rdfs:subClassOf`` closure of the ontology computed once.

    ``?x rdf:type/rdfs:subClassOf* C`` makes Oxigraph walk the class hierarchy for every row,
    and from the class side when ``?x`` is bound inside ``FILTER NOT EXISTS``; a plain
    ``rdf:type`` lookup against the list of subclasses uses the indexes instead.
    """

    def __init__(self, ontology: Graph) -> None:
        self.ontology = ontology
        self.counter = 0

    def subclasses(self, cls: str) -> list[str]:
        from rdflib import RDFS

        found = {URIRef(cls)}
        found.update(self.ontology.transitive_subjects(RDFS.subClassOf, URIRef(cls)))
        return sorted(f"<{c}>" for c in found)

    def test(self, var: str, cls: str) -> str:
        """A group pattern true when ``var`` is an instance of ``cls`` or of a subclass."""
        self.counter += 1
        t = f"?_class{self.counter}"
        return f"{var} {RDF_TYPE} {t} . FILTER({t} IN ({', '.join(self.subclasses(cls))}))"


_PATH_TYPE = re.compile(r"(\?\w+|\$\w+)\s+(?:rdf:type|a)/rdfs:subClassOf\*\s+"
                        r"(<[^>]+>|[A-Za-z][\w-]*:[\w-]+)")


_XSD = ns.XSD
_INTEGER_BOUNDS = {"nonNegativeInteger": " && {v} >= 0", "positiveInteger": " && {v} >= 1",
                   "nonPositiveInteger": " && {v} <= 0", "negativeInteger": " && {v} <= -1",
                   "long": "", "int": "", "short": "", "byte": "", "unsignedLong": " && {v} >= 0",
                   "unsignedInt": " && {v} >= 0", "unsignedShort": " && {v} >= 0",
                   "unsignedByte": " && {v} >= 0"}


# XSD types Oxigraph can cast a string to: the cast checks the lexical form.
_CASTABLE = {"date", "dateTime", "time", "boolean", "decimal", "double", "float", "integer",
             "duration", "dayTimeDuration", "yearMonthDuration"}


# Every SHACL term the translation understands; any other one on a shape is reported.
SUPPORTED = {SH[n] for n in (
    "targetClass", "targetSubjectsOf", "property", "path", "sparql", "select", "prefixes",
    "message", "severity", "name", "description", "order", "group", "deactivated",
    "minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "flags", "minLength",
    "in", "minInclusive", "languageIn", "or", "not", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "lessThan", "lessThanOrEquals")}


@dataclass
class Check:
    shape: str
    kind: str
    severity: str
    query: str
    source_shape: str = ""  # as the report writes it: mksh:X, or mksh:X/mk:path
    component: str = ""  # the SHACL constraint component, compacted (sh:…)
    path: str | None = None  # compacted predicate of a property shape
    message: str = ""  # sh:message, with {$this}/{?var} filled in per result


@dataclass
class Plan:
    checks: list[Check] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)


def _n3(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise ValueError(term)


def _value_condition(g: Graph, node, var: str, classes: Classes) -> str | None:
    """A SPARQL expression true when ``var`` satisfies the value constraints on ``node``."""
    parts: list[str] = []
    for dt in g.objects(node, SH.datatype):
        local = str(dt).rsplit("#", 1)[-1]
        if local == "langString":
            parts.append(f'(isLiteral({var}) && LANG({var}) != "")')
        elif str(dt).startswith(_XSD) and local in _INTEGER_BOUNDS:
            # Oxigraph stores the integer types derived from xsd:integer as xsd:integer
            # (the value is kept, the declared subtype is not): check the value range instead.
            parts.append(f"(isLiteral({var}) && DATATYPE({var}) = <{_XSD}integer>"
                         f"{_INTEGER_BOUNDS[local].format(v=var)})")
        elif str(dt).startswith(_XSD) and local in _CASTABLE:
            # An ill-formed literal ("2023-06-31"^^xsd:date) keeps its datatype in the store;
            # the cast fails on it, which makes the condition an error, hence false.
            parts.append(f"(isLiteral({var}) && DATATYPE({var}) = {_n3(dt)}"
                         f" && isLiteral({_n3(dt)}(STR({var}))))")
        else:
            parts.append(f"(isLiteral({var}) && DATATYPE({var}) = {_n3(dt)})")
    for c in g.objects(node, SH["class"]):
        parts.append(f"EXISTS {{ {classes.test(var, str(c))} }}")
    for k in g.objects(node, SH.nodeKind):
        parts.append({SH.IRI: f"isIRI({var})", SH.Literal: f"isLiteral({var})",
                      SH.BlankNode: f"isBlank({var})"}[k])
    for p in g.objects(node, SH.pattern):
        flags = g.value(node, SH.flags)
        parts.append(f"(!isBlank({var}) && REGEX(STR({var}), {Literal(str(p)).n3()}"
                     + (f", {Literal(str(flags)).n3()}" if flags else "") + "))")
    for n in g.objects(node, SH.minLength):
        parts.append(f"(!isBlank({var}) && STRLEN(STR({var})) >= {int(n)})")
    for lst in g.objects(node, SH["in"]):
        parts.append(f"({var} IN ({', '.join(_n3(x) for x in Collection(g, lst))}))")
    for x in g.objects(node, SH.minInclusive):
        parts.append(f"({var} >= {_n3(x)})")
    for lst in g.objects(node, SH.languageIn):
        alts = " || ".join(f'LANGMATCHES(LANG({var}), "{x}")' for x in Collection(g, lst))
        parts.append(f"({alts})")
    for lst in g.objects(node, SH["or"]):
        alts = [_value_condition(g, m, var, classes) for m in Collection(g, lst)]
        if any(a is None for a in alts):
            return None
        parts.append("(" + " || ".join(alts) + ")")
    for inner in g.objects(node, SH["not"]):
        cond = _value_condition(g, inner, var, classes)
        if cond is None:
            return None
        parts.append(f"!COALESCE({cond}, false)")
    return " && ".join(parts) if parts else None


_VALUE_COMPONENTS = (
    ("datatype", "Datatype"), ("class", "Class"), ("nodeKind", "NodeKind"),
    ("pattern", "Pattern"), ("minLength", "MinLength"), ("in", "In"),
    ("minInclusive", "MinInclusive"), ("languageIn", "LanguageIn"), ("or", "Or"),
    ("not", "Not"))


def _value_component(g: Graph, node) -> str:
    """The constraint component of the first value constraint on ``node``."""
    for term, name in _VALUE_COMPONENTS:
        if g.value(node, SH[term]) is not None:
            return f"sh:{name}ConstraintComponent"
    return "sh:NodeConstraintComponent"


def _target(g: Graph, shape, classes: Classes) -> str | None:
    alts = [f"{{ {classes.test('?this', str(c))} }}" for c in g.objects(shape, SH.targetClass)]
    alts += [f"{{ ?this {_n3(p)} [] }}" for p in g.objects(shape, SH.targetSubjectsOf)]
    if not alts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(alts) + " } }"


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _sparql_check(g: Graph, constraint, target: str, prefixes: dict[str, str],
                  path: str | None, classes: Classes) -> str:
    select = str(g.value(constraint, SH.select))

    def expand(m: re.Match) -> str:
        cls = m.group(2)
        if not cls.startswith("<"):
            prefix, _, local = cls.partition(":")
            cls = f"<{prefixes[prefix]}{local}>"
        return classes.test(m.group(1), cls[1:-1])

    select = _PATH_TYPE.sub(expand, select)
    if path:
        select = select.replace("$PATH", path)
    select = select.replace("$this", "?this")
    select = _not_exists_to_minus(select)
    m = _WHERE.search(select)
    body = select[:m.end()] + " " + target + " " + select[m.end():]
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items())) + body


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)
_FILTER = re.compile(r"FILTER\s*\(", re.IGNORECASE)
_VAR = re.compile(r"[?$]\w+")


def _block_end(text: str, start: int, open_: str = "{", close: str = "}") -> int:
    """Index just past the bracket that closes the one opened before ``start``."""
    depth = 1
    for i in range(start, len(text)):
        depth += (text[i] == open_) - (text[i] == close)
        if depth == 0:
            return i + 1
    raise ValueError("unbalanced brackets")


def _strip_filters(block: str) -> str:
    out, i = [], 0
    for m in _FILTER.finditer(block):
        if m.start() < i:
            continue
        out.append(block[i:m.start()])
        i = _block_end(block, m.end(), "(", ")")
    return "".join(out) + block[i:]


def _not_exists_to_minus(query: str) -> str:
    """``FILTER NOT EXISTS { P }`` → ``MINUS { P }`` where that is both safe and worth it.

    Oxigraph plans the inside of NOT EXISTS without knowing ``?this`` is bound, so a block
    that joins several patterns is evaluated from its most selective constant for every focus
    node: quadratic in the graph (5 s at 2·10^5 triples, minutes at 10^6). MINUS evaluates the
    block once and subtracts. The two agree when ``?this`` is in the block's patterns and every
    variable of the block is bound by a pattern inside it (not only used in a FILTER, which
    could refer to the outer row). A single-pattern block is left alone: NOT EXISTS is an
    index look-up there, and MINUS would scan every match of the pattern.
    """
    out, i = [], 0
    for m in _NOT_EXISTS.finditer(query):
        if m.start() < i:
            continue
        end = _block_end(query, m.end())
        block = query[m.end():end - 1]
        patterns = _strip_filters(block)
        bare = re.sub(r'<[^>]*>|"[^"]*"', "", patterns)
        joins = "UNION" in bare.upper() or ";" in bare or bare.strip().rstrip(".").count(".") > 0
        safe = "?this" in patterns and set(_VAR.findall(block)) <= set(_VAR.findall(patterns))
        out.append(query[i:m.start()])
        out.append(("MINUS {" if safe and joins else m.group(0)) + block + "}")
        i = end
    return "".join(out) + query[i:]


def _prefixes(g: Graph) -> dict[str, str]:
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
            for d in g.objects(None, SH.declare)}


def plan(shapes: Path | None = None, ontology: Path | None = None) -> Plan:
    """Translate the shapes file into SPARQL checks."""
    g = Graph().parse(str(shapes or resources.shapes_file()))
    classes = Classes(Graph().parse(str(ontology or resources.ontology_file())))
    prefixes = _prefixes(g)
    result = Plan()
    for node in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.objects(None, SH.property)):
        for pred in set(g.predicates(node)):
            if str(pred).startswith(str(SH)) and pred not in SUPPORTED:
                result.untranslated.append(f"{node}: {pred}")
    for shape in set(g.subjects(RDF.type, SH.NodeShape)):
        name = str(shape).rsplit("#", 1)[-1]
        severity = str(g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        target = _target(g, shape, classes)
        if target is None:
            result.untranslated.append(f"{name}: no target")
            continue
        shape_name = ns.compact(str(shape))
        shape_message = str(g.value(shape, SH.message) or "")

        def add(kind: str, query: str, component: str, *, _name=name, _sev=severity,
                _source=shape_name, path: str | None = None, message: str = "") -> None:
            source = f"{_source}/{path}" if path else _source
            result.checks.append(Check(_name, kind, _sev, query, source, component, path,
                                       message))

        cond = _value_condition(g, shape, "?this", classes)
        if cond:
            add("node", f"SELECT ?this WHERE {{ {target} FILTER(!COALESCE({cond}, false)) }}",
                _value_component(g, shape), message=shape_message)
        for c in g.objects(shape, SH.sparql):
            add("sparql", _sparql_check(g, c, target, prefixes, None, classes),
                "sh:SPARQLConstraintComponent",
                message=str(g.value(c, SH.message) or shape_message))
        for prop in g.objects(shape, SH.property):
            path = g.value(prop, SH.path)
            if not isinstance(path, URIRef):
                result.untranslated.append(f"{name}: non-predicate path")
                continue
            p = _n3(path)
            on = {"path": ns.compact(str(path)),
                  "message": str(g.value(prop, SH.message) or shape_message)}
            cond = _value_condition(g, prop, "?v", classes)
            if cond:
                add("value", f"SELECT ?this ?v WHERE {{ {target} ?this {p} ?v . "
                    f"FILTER(!COALESCE({cond}, false)) }}", _value_component(g, prop), **on)
            for n in g.objects(prop, SH.minCount):
                add("minCount", f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(n)})",
                    "sh:MinCountConstraintComponent", **on)
            for n in g.objects(prop, SH.maxCount):
                add("maxCount", f"SELECT ?this WHERE {{ {target} ?this {p} ?v }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(n)})",
                    "sh:MaxCountConstraintComponent", **on)
            q = g.value(prop, SH.qualifiedValueShape)
            if q is not None:
                qc = _value_condition(g, q, "?v", classes)
                lo, hi = g.value(prop, SH.qualifiedMinCount), g.value(prop, SH.qualifiedMaxCount)
                tests = ([f"SUM(IF(COALESCE({qc}, false), 1, 0)) < {int(lo)}"] if lo else []) + \
                        ([f"SUM(IF(COALESCE({qc}, false), 1, 0)) > {int(hi)}"] if hi else [])
                if qc is None or not tests:
                    result.untranslated.append(f"{name}: qualifiedValueShape")
                else:
                    component = ("sh:QualifiedMinCountConstraintComponent" if lo
                                 else "sh:QualifiedMaxCountConstraintComponent")
                    add("qualified", f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} "
                        f"}} GROUP BY ?this HAVING ({' || '.join(tests)})", component, **on)
            for op, pred, comp in (("<", SH.lessThan, "LessThan"),
                                   ("<=", SH.lessThanOrEquals, "LessThanOrEquals")):
                for other in g.objects(prop, pred):
                    add("compare", f"SELECT ?this ?v WHERE {{ {target} ?this {p} ?v ; "
                        f"{_n3(other)} ?w . FILTER(!COALESCE(?v {op} ?w, false)) }}",
                        f"sh:{comp}ConstraintComponent", **on)
            for c in g.objects(prop, SH.sparql):
                add("sparql", _sparql_check(g, c, target, prefixes, p, classes),
                    "sh:SPARQLConstraintComponent", path=on["path"],
                    message=str(g.value(c, SH.message) or on["message"]))
    return result


@dataclass
class Outcome:
    """Counts only, for benchmarks: no result is materialised."""

    conforms: bool
    counts: dict[str, int]
    checks: int
    untranslated: list[str]
    by_shape: dict[str, int]


def count_store(store_: ox.Store, shapes: Path | None = None, *,
                checks: Plan | None = None) -> Outcome:
    """Run every translated check over the union of the store's graphs and count the rows."""
    p = checks or plan(shapes)
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    by_shape: dict[str, int] = {}
    for check in p.checks:
        rows = sum(1 for _ in store_.query(check.query, use_default_graph_as_union=True))
        counts[check.severity] = counts.get(check.severity, 0) + rows
        if rows:
            by_shape[f"{check.shape}/{check.kind}"] = by_shape.get(
                f"{check.shape}/{check.kind}", 0) + rows
    return Outcome(counts["Violation"] == 0, counts, len(p.checks), p.untranslated, by_shape)


def validate_store(store_: ox.Store, shapes: Path | None = None, *,
                   checks: Plan | None = None) -> Report:
    """Validate the union of the store's graphs; the same :class:`Report` as pySHACL's.

    A shape term the translation does not understand raises :class:`MaliKGError` rather than
    being skipped. The report's graph is a minimal ``sh:ValidationReport`` built from the
    results (focus node, path, value, severity, message, source shape and component).
    """
    p = checks or plan(shapes)
    if p.untranslated:
        raise MaliKGError("The shapes use SHACL terms the SPARQL engine does not translate: "
                          + "; ".join(sorted(p.untranslated)))
    results: list[Result] = []
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    for check in p.checks:
        solutions = store_.query(check.query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            focus = bound.get("this")
            if focus is None:
                continue
            value = bound.get("value", bound.get("v"))
            results.append(Result(
                focus_node=_show(focus),
                severity=check.severity,
                message=_fill(check.message, bound) or f"{check.component} failed",
                path=check.path,
                value=_show(value) if value is not None else None,
                source_shape=check.source_shape,
                constraint_component=check.component,
            ))
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, to_rdflib(focus)))
            graph.add((node, SH.resultSeverity, SH[check.severity]))
            graph.add((node, SH.resultMessage, Literal(results[-1].message)))
            graph.add((node, SH.sourceConstraintComponent,
                       SH[check.component.removeprefix("sh:")]))
            if check.path:
                graph.add((node, SH.resultPath, _expand(check.path)))
            if value is not None:
                graph.add((node, SH.value, to_rdflib(value)))
    conforms = not any(r.severity == "Violation" for r in results)
    graph.add((report, SH.conforms, Literal(conforms)))
    return Report(conforms=conforms, results=results, graph=graph)


def validate_files(paths: Sequence[Path | str]) -> Report:
    """Load RDF files (with the bundled ontology) into an in-memory store and validate it."""
    if not paths:
        raise MaliKGError("No files to validate: name at least one RDF file.")
    s = ox.Store()
    store.load_file(s, resources.ontology_file(), graph=ns.GRAPH_ONTOLOGY)
    ontology = len(s)
    for f in paths:
        store.load_file(s, Path(f), graph=ns.GRAPH_DATA)
    if len(s) == ontology:
        raise InputError("The files hold no triples: nothing to validate.")
    return validate_store(s)


_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


def _fill(message: str, bound: dict) -> str:
    def sub(m: re.Match) -> str:
        name = m.group(1)
        term = bound.get(name)
        if term is None and name == "value":
            term = bound.get("v")
        if term is None:
            return m.group(0)
        return term.value if isinstance(term, ox.Literal) else _show(term)

    return _TEMPLATE.sub(sub, message)


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return ns.compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        text = Literal(term.value).n3()
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value == ns.XSD_STRING:
            return text
        return f"{text}^^{ns.compact(term.datatype.value)}"
    return str(term)


def _expand(compact: str) -> URIRef:
    if compact.startswith("<"):
        return URIRef(compact[1:-1])
    prefix, _, local = compact.partition(":")
    return URIRef(ns.PREFIXES[prefix] + local)


