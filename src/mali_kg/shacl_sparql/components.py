"""The SHACL Core constraint components (SHACL §4), one entry each, as SPARQL.

An entry says which parameter declares the constraint, which further parameters it reads,
whether property shapes only may use it, and how to write it:

- a *value* component tests each value node on its own: ``test`` gives a SPARQL expression
  that is true when the value node ``v`` passes (an error counts as a failure); the translator
  writes the query that returns every failing (focus node, value node) pair;
- the other components give ``top`` — the query of the validation results at the top level —
  and ``nested`` — group patterns that have a solution exactly when the constraint fails for the
  focus node ``x``, used inside ``EXISTS`` to decide whether a node conforms to a shape
  (sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape).

Nested patterns rely on ``EXISTS`` substituting the variable ``x`` of the enclosing row, so
each of them starts from ``x`` (Oxigraph plans the inside of ``EXISTS`` without knowing which
variables are bound: a pattern that starts from a constant would be evaluated in full for every
row).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from .shapes import Refused, Shape, show

if TYPE_CHECKING:
    from .translate import TopQuery

__all__ = ["COMPONENTS", "Component", "Condition", "PARAMETERS"]

# Counts up to this many are written as that many distinct values joined from the focus node
# (index look-ups); larger ones as a grouped subquery.
PAIRWISE_LIMIT = 4


@dataclass(frozen=True)
class Condition:
    """A violation that reads no graph pattern of its own, given as an expression of the
    focus node, true when the constraint is violated (see ``Translator.violations``)."""

    expression: str


@dataclass(frozen=True)
class Component:
    """One SHACL Core constraint component."""

    name: str  # sh:<name>ConstraintComponent
    parameter: URIRef  # the parameter that declares a constraint of this component
    optional: tuple[URIRef, ...] = ()  # further parameters it reads
    requires: tuple[URIRef, ...] = ()  # further mandatory parameters (else it does not apply)
    property_only: bool = False  # property shapes only (SHACL, and pySHACL, refuse it elsewhere)
    repeatable: bool = False  # one constraint per value of the parameter (else one value only)
    test: Callable[..., str] | None = None  # (tr, shape, value, v) -> expression; value kind
    top: Callable[..., list[TopQuery]] | None = None  # (tr, shape, value, ctx) -> queries
    nested: Callable[..., list[str]] | None = None  # (tr, shape, value, x) -> group patterns
    check: Callable[..., None] | None = None  # (tr, shape, value): refuse ill-formed values
    message: str = ""  # the generic message; {value} is the parameter

    @property
    def iri(self) -> URIRef:
        return SH[self.name + "ConstraintComponent"]

    @property
    def parameters(self) -> tuple[URIRef, ...]:
        return (self.parameter, *self.requires, *self.optional)


# --- checks of parameter values ------------------------------------------------------------

def _integer(tr, shape: Shape, value) -> None:
    if not (isinstance(value, Literal) and isinstance(value.toPython(), int)
            and not isinstance(value.toPython(), bool) and value.toPython() >= 0):
        raise Refused(f"{show(shape.node)}: {show(value)} is not a non-negative integer.")


def _iri(tr, shape: Shape, value) -> None:
    if not isinstance(value, URIRef):
        raise Refused(f"{show(shape.node)}: {show(value)} is not an IRI.")


def _literal(tr, shape: Shape, value) -> None:
    if not isinstance(value, Literal):
        raise Refused(f"{show(shape.node)}: {show(value)} is not a literal.")


def _boolean(tr, shape: Shape, value) -> None:
    if not (isinstance(value, Literal) and value.datatype == XSD.boolean
            and isinstance(value.toPython(), bool)):
        raise Refused(f"{show(shape.node)}: {show(value)} is not a boolean.")


def _node_kind(tr, shape: Shape, value) -> None:
    if value not in _NODE_KINDS:
        raise Refused(f"{show(shape.node)}: {show(value)} is not a node kind.")


def _list(tr, shape: Shape, value) -> None:
    tr.shapes.items(value)


def _shape_list(tr, shape: Shape, value) -> None:
    if not tr.shapes.items(value):
        raise Refused(f"{show(shape.node)}: the list {show(value)} is empty.")


def _node_shape(tr, shape: Shape, value) -> None:
    if tr.shapes.shape(value).is_property:
        raise Refused(f"{show(shape.node)}: sh:node {show(value)} is a property shape; "
                      "sh:node takes node shapes.")


def _strings(tr, shape: Shape, value) -> None:
    for tag in tr.shapes.items(value):
        if not isinstance(tag, Literal) or tag.language or tag.datatype not in (
                None, XSD.string):
            raise Refused(f"{show(shape.node)}: sh:languageIn lists {show(tag)}, not a string.")


def _pattern(tr, shape: Shape, value) -> None:
    _literal(tr, shape, value)
    flags = tr.shapes.one(shape.node, SH.flags)
    if flags is not None and not re.fullmatch(r"[smixq]*", str(flags)):
        raise Refused(f"{show(shape.node)}: sh:flags {show(flags)} holds a flag XPath "
                      "regular expressions do not have (s, m, i, x, q).")
    tr.check_expression(f"REGEX(\"\", {_string(value)}{_flags(flags)})",
                        f"{show(shape.node)}: sh:pattern {show(value)} is not a regular "
                        "expression the SPARQL engine accepts")


def _qualified(tr, shape: Shape, value) -> None:
    _integer(tr, shape, value)
    tr.shapes.one(shape.node, SH.qualifiedValueShape)
    disjoint = tr.shapes.one(shape.node, SH.qualifiedValueShapesDisjoint)
    if disjoint is not None:
        _boolean(tr, shape, disjoint)


def _closed(tr, shape: Shape, value) -> None:
    _boolean(tr, shape, value)
    ignored = tr.shapes.one(shape.node, SH.ignoredProperties)
    if ignored is not None:
        tr.shapes.items(ignored, SH.ignoredProperties)


# --- value components: one test per value node ---------------------------------------------

def _class(tr, shape, c, v) -> str:
    return f"EXISTS {{ {tr.instances(v, c)} }}"


_XSD = str(XSD)
# Oxigraph stores a literal of a type derived from xsd:integer as xsd:integer when its lexical
# form is an integer (the value is kept, the declared type is not), and keeps the others — the
# ill-typed ones, such as "c"^^xsd:byte — as they are: a value of such a type passes when it is
# an xsd:integer in the type's range.
_DERIVED_INTEGERS = {
    "nonNegativeInteger": ">= 0", "positiveInteger": ">= 1", "nonPositiveInteger": "<= 0",
    "negativeInteger": "<= -1", "long": None, "int": None, "short": None, "byte": None,
    "unsignedLong": ">= 0", "unsignedInt": ">= 0", "unsignedShort": ">= 0",
    "unsignedByte": ">= 0"}
_RANGES = {"int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1), "byte": (-128, 127),
           "long": (-2**63, 2**63 - 1), "unsignedLong": (0, 2**64 - 1),
           "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
           "unsignedByte": (0, 255)}
# XSD types Oxigraph casts strings to: the cast checks the lexical form, which tells an
# ill-typed literal ("2023-02-30"^^xsd:date, kept as it is by the store) from a valid one.
_CASTABLE = {"string", "boolean", "decimal", "integer", "double", "float", "date", "dateTime",
             "time", "duration", "dayTimeDuration", "yearMonthDuration"}


def _datatype(tr, shape, d, v) -> str:
    d_text = tr.term(d)
    if d == RDF.langString:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    local = str(d)[len(_XSD):] if str(d).startswith(_XSD) else None
    if local in _DERIVED_INTEGERS:
        low, high = _RANGES.get(local, (None, None))
        bound = _DERIVED_INTEGERS[local]
        tests = [f"{v} {bound}"] if bound else []
        if low is not None:
            tests += [f"{v} >= {low}", f"{v} <= {high}"]
        return " && ".join([f"(isLiteral({v})", f"DATATYPE({v}) = <{_XSD}integer>",
                            *tests]) + ")"
    if local in _CASTABLE and local != "string":
        # (DATATYPE of the cast, not isLiteral: Virtuoso 7.2 says a failed cast is a literal)
        return (f"(isLiteral({v}) && DATATYPE({v}) = {d_text}"
                f" && DATATYPE({d_text}(STR({v}))) = {d_text})")
    return f"(isLiteral({v}) && DATATYPE({v}) = {d_text})"


# An IRI is an isIRI that is not isBlank: Virtuoso 7.2 keeps blank nodes as IRIs of its own
# ("nodeID://…") and says isIRI of them.
_NODE_KINDS = {
    SH.IRI: "(isIRI({v}) && !isBlank({v}))", SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "((isIRI({v}) && !isBlank({v})) || isLiteral({v}))",
}


def _node_kind_test(tr, shape, k, v) -> str:
    return _NODE_KINDS[k].format(v=v)


def _compare(op: str):
    def test(tr, shape, bound, v) -> str:
        b = tr.term(bound)
        return f"({comparable(v, b)} && {v} {op} {b})"
    return test


_DURATIONS = ", ".join(f"<{XSD[t]}>" for t in ("duration", "dayTimeDuration",
                                                 "yearMonthDuration"))


def comparable(a: str, b: str) -> str:
    """True when SPARQL's ``<`` compares the terms ``a`` and ``b`` rather than raising an
    error: numbers, strings of one language (or none), or literals of one datatype (durations
    among themselves), as Oxigraph does. Written out because Virtuoso 7.2 compares anything
    (``"4" >= 1`` is true, a string and a date are ordered), where SHACL reports a value that
    cannot be compared."""
    return (f"((isNumeric({a}) && isNumeric({b})) || (isLiteral({a}) && isLiteral({b}) && "
            f"!isNumeric({a}) && !isNumeric({b}) && ("
            f"(LANG({a}) != \"\" && LCASE(LANG({a})) = LCASE(LANG({b}))) || "
            f"(LANG({a}) = \"\" && LANG({b}) = \"\" && (DATATYPE({a}) = DATATYPE({b}) || "
            f"(DATATYPE({a}) IN ({_DURATIONS}) && DATATYPE({b}) IN ({_DURATIONS})))))))")


def _length(op: str):
    def test(tr, shape, n, v) -> str:
        return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(n)})"
    return test


def _string(text) -> str:
    return Literal(str(text)).n3()


def _flags(flags) -> str:
    return f", {_string(flags)}" if flags is not None and str(flags) else ""


def _pattern_test(tr, shape, p, v) -> str:
    flags = tr.shapes.one(shape.node, SH.flags)
    return f"(!isBlank({v}) && REGEX(STR({v}), {_string(p)}{_flags(flags)}))"


def _language_in(tr, shape, lst, v) -> str:
    tags = [f"LANGMATCHES(LANG({v}), {_string(t)})" for t in tr.shapes.items(lst)]
    return f"(isLiteral({v}) && ({' || '.join(tags) or 'false'}))"


def _in(tr, shape, lst, v) -> str:
    members = [tr.same(v, m) for m in tr.shapes.items(lst)]
    return "(" + (" || ".join(members) or "false") + ")"


def _node(tr, shape, n, v) -> str:
    return tr.conforms(n, v)


def _not(tr, shape, n, v) -> str:
    return f"!({tr.conforms(n, v)})"


def _and(tr, shape, lst, v) -> str:
    return "(" + " && ".join(tr.conforms(m, v) for m in tr.shapes.items(lst)) + ")"


def _or(tr, shape, lst, v) -> str:
    return "(" + " || ".join(tr.conforms(m, v) for m in tr.shapes.items(lst)) + ")"


def _xone(tr, shape, lst, v) -> str:
    counts = " + ".join(f"IF({tr.conforms(m, v)}, 1, 0)" for m in tr.shapes.items(lst))
    return f"(({counts}) = 1)"


# --- counts ----------------------------------------------------------------------------------

def _distinct(values: list[str]) -> str:
    pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(values) for b in values[i + 1:]]
    return f"FILTER({' && '.join(pairs)})" if pairs else ""


def _at_least(tr, shape: Shape, x: str, n: int, test=None) -> str:
    """A group pattern with a solution when ``x`` has at least ``n`` distinct value nodes
    (that pass ``test``, an expression of the value variable)."""
    if n <= PAIRWISE_LIMIT:
        parts, values = [], []
        for _ in range(n):
            pattern, v = tr.values(shape, x)
            parts.append(pattern)
            values.append(v)
            if test is not None:
                parts.append(f"FILTER(COALESCE({test(v)}, false))")
        return " ".join(parts) + " " + _distinct(values)
    # A subquery does not see the row's variables: it counts for every node and is joined
    # with x on its projected variable.
    k, v = tr.var("k"), tr.var("v")
    pattern, v = tr.values(shape, k, v, enumerate_focus=True)
    passing = f" FILTER(COALESCE({test(v)}, false))" if test is not None else ""
    return (f"{{ SELECT ({k} AS {x}) WHERE {{ {pattern}{passing} }} GROUP BY {k} "
            f"HAVING (COUNT(DISTINCT {v}) >= {n}) }}")


def _min_count_top(tr, shape, n, ctx) -> list[TopQuery]:
    n = int(n)
    if n == 0:
        return []
    pattern = tr.top_values(ctx, shape, "?this", "?value", optional=True)
    return [tr.query("?this", pattern,
                     f"GROUP BY ?this{ctx.key_text} HAVING (COUNT(DISTINCT ?value) < {n})")]


def _min_count_nested(tr, shape, n, x) -> list[Condition]:
    n = int(n)
    return [Condition(f"NOT EXISTS {{ {_at_least(tr, shape, x, n)} }}")] if n else []


def _max_count_top(tr, shape, n, ctx) -> list[TopQuery]:
    pattern = tr.top_values(ctx, shape, "?this", "?value")
    return [tr.query("?this", pattern,
                     f"GROUP BY ?this{ctx.key_text} HAVING (COUNT(DISTINCT ?value) > {int(n)})")]


def _max_count_nested(tr, shape, n, x) -> list[str]:
    return [_at_least(tr, shape, x, int(n) + 1)]


# --- qualified value shapes --------------------------------------------------------------------

def _siblings(tr, shape: Shape, q) -> list:
    """Sibling shapes (SHACL §4.7.3): the qualified value shapes of the other property shapes
    of the shapes that have this one as sh:property."""
    disjoint = tr.shapes.one(shape.node, SH.qualifiedValueShapesDisjoint)
    if disjoint is None or not disjoint.toPython():
        return []
    g, out = tr.shapes.graph, []
    for parent in sorted(g.subjects(SH.property, shape.node), key=str):
        for sibling_property in sorted(g.objects(parent, SH.property), key=str):
            for sibling in g.objects(sibling_property, SH.qualifiedValueShape):
                if sibling != q and sibling not in out:
                    out.append(sibling)
    return out


def _qualifies(tr, shape: Shape):
    q = tr.shapes.one(shape.node, SH.qualifiedValueShape)
    siblings = _siblings(tr, shape, q)

    def test(v: str) -> str:
        return " && ".join([tr.conforms(q, v), *(f"!({tr.conforms(s, v)})" for s in siblings)])

    return test


def _qualified_min_top(tr, shape, n, ctx) -> list[TopQuery]:
    n = int(n)
    if n == 0:
        return []
    test = _qualifies(tr, shape)
    pattern = tr.top_values(ctx, shape, "?this", "?value", optional=True,
                            where=lambda v: f"COALESCE({test(v)}, false)")
    return [tr.query("?this", pattern,
                     f"GROUP BY ?this{ctx.key_text} HAVING (COUNT(DISTINCT ?value) < {n})")]


def _qualified_min_nested(tr, shape, n, x) -> list[Condition]:
    n = int(n)
    if n == 0:
        return []
    return [Condition(f"NOT EXISTS {{ {_at_least(tr, shape, x, n, _qualifies(tr, shape))} }}")]


def _qualified_max_top(tr, shape, n, ctx) -> list[TopQuery]:
    test = _qualifies(tr, shape)
    pattern = tr.top_values(ctx, shape, "?this", "?value")
    return [tr.query("?this", f"{pattern} FILTER(COALESCE({test('?value')}, false))",
                     f"GROUP BY ?this{ctx.key_text} HAVING (COUNT(DISTINCT ?value) > {int(n)})")]


def _qualified_max_nested(tr, shape, n, x) -> list[str]:
    return [_at_least(tr, shape, x, int(n) + 1, _qualifies(tr, shape))]


# --- sh:hasValue, sh:uniqueLang ------------------------------------------------------------------

def _has_value_top(tr, shape, value, ctx) -> list[TopQuery]:
    focus = ctx.focus("?this")
    return [tr.query("?this", f"{focus} FILTER({_lacks(tr, shape, value, '?this')})")]


def _has_value_nested(tr, shape, value, x) -> list[Condition]:
    return [Condition(_lacks(tr, shape, value, x))]


def _lacks(tr, shape: Shape, value, x: str) -> str:
    if not shape.is_property:
        return f"!{tr.same(x, value)}"
    if not shape.nullable and not isinstance(value, BNode):
        return f"NOT EXISTS {{ {tr.reaches(x, shape.sparql_path, value)} }}"
    pattern, v = tr.values(shape, x)
    return f"NOT EXISTS {{ {pattern} FILTER({tr.same(v, value)}) }}"


def _same_language(a: str, b: str) -> str:
    return (f"FILTER(!sameTerm({a}, {b}) && LANG({a}) != \"\" "
            f"&& LCASE(LANG({a})) = LCASE(LANG({b})))")


def _unique_lang_top(tr, shape, value, ctx) -> list[TopQuery]:
    if not value.toPython():
        return []
    a = tr.top_values(ctx, shape, "?this", "?value")
    b = tr.top_values(ctx, shape, "?this", "?other")
    where = f"{a} {b} {_same_language('?value', '?other')} BIND(LCASE(LANG(?value)) AS ?lang)"
    return [tr.query(f"?this ?lang{ctx.key_text}", where, distinct=True)]


def _unique_lang_nested(tr, shape, value, x) -> list[str]:
    if not value.toPython():
        return []
    (pa, a), (pb, b) = tr.values(shape, x), tr.values(shape, x)
    return [f"{pa} {pb} {_same_language(a, b)}"]


# --- property pairs ------------------------------------------------------------------------

def _pair_patterns(tr, shape: Shape, other, x: str, kind: str) -> list[str | Condition]:
    """Group patterns with one solution per failing value (bound to the returned variable),
    for focus node ``x`` (substituted, or bound earlier in the group)."""
    p = tr.term(other)
    if not shape.is_property:  # the value node is the focus node: no pattern of its own
        if kind == "equals":
            w = tr.var("o")
            return [Condition(f"NOT EXISTS {{ {x} {p} {x} }}"),
                    f"{x} {p} {w} FILTER(!sameTerm({x}, {w}))"]
        return [Condition(f"EXISTS {{ {x} {p} {x} }}")]  # disjoint (the others: property only)
    pattern, v = tr.values(shape, x)
    if kind == "equals":
        w = tr.var("o")
        pattern_w, u = tr.values(shape, x)
        return [f"{pattern} FILTER NOT EXISTS {{ {x} {p} {v} }}",
                f"{x} {p} {w} FILTER NOT EXISTS {{ {pattern_w} FILTER(sameTerm({u}, {w})) }}"]
    if kind == "disjoint":
        return [f"{pattern} FILTER EXISTS {{ {x} {p} {v} }}"]
    w = tr.var("o")
    op = "<" if kind == "lessThan" else "<="
    return [f"{pattern} {x} {p} {w} FILTER(!COALESCE({comparable(v, w)} && {v} {op} {w}, "
            "false))"]


def _pair(kind: str):
    def top(tr, shape, other, ctx) -> list[TopQuery]:
        p = tr.term(other)
        values = tr.top_values(ctx, shape, "?this", "?value")
        if kind == "equals":
            focus = ctx.focus("?this")
            inner, u = tr.values(shape, "?this")
            # (a FILTER alone in NOT EXISTS is not applied by Virtuoso 7.2: a node shape's
            # value is its focus node, compared directly)
            missing = (f"FILTER NOT EXISTS {{ {inner} FILTER(sameTerm({u}, ?value)) }}"
                       if inner else "FILTER(!sameTerm(?this, ?value))")
            return [
                tr.query("?this ?value", f"{values} FILTER NOT EXISTS {{ ?this {p} ?value }}"),
                tr.query("?this ?value", f"{focus} ?this {p} ?value {missing}")]
        if kind == "disjoint":
            return [tr.query("?this ?value",
                             f"{values} FILTER EXISTS {{ ?this {p} ?value }}")]
        op = "<" if kind == "lessThan" else "<="
        return [tr.query("?this ?value", f"{values} ?this {p} ?other "
                         f"FILTER(!COALESCE({comparable('?value', '?other')} && "
                         f"?value {op} ?other, false))")]

    def nested(tr, shape, other, x) -> list[str | Condition]:
        return _pair_patterns(tr, shape, other, x, kind)

    return top, nested


# --- sh:closed -------------------------------------------------------------------------------

def _not_allowed(tr, shape: Shape, p: str) -> str:
    """True when the predicate ``p`` is neither the path of one of the shape's property shapes
    nor one of its sh:ignoredProperties."""
    g = tr.shapes.graph
    allowed = {g.value(q, SH.path) for q in g.objects(shape.node, SH.property)}
    ignored = tr.shapes.one(shape.node, SH.ignoredProperties)
    if ignored is not None:
        allowed |= set(tr.shapes.items(ignored))
    iris = sorted(str(a) for a in allowed if isinstance(a, URIRef))
    if not iris:
        return "true"  # (Oxigraph 0.5 evaluates NOT IN () to false)
    return f"{p} NOT IN (" + ", ".join(f"<{a}>" for a in iris) + ")"


def _closed_top(tr, shape, value, ctx) -> list[TopQuery]:
    if not value.toPython():
        return []
    values = tr.top_values(ctx, shape, "?this", "?node")
    return [tr.query("?this ?path ?value", f"{values} ?node ?path ?value "
                     f"FILTER({_not_allowed(tr, shape, '?path')})")]


def _closed_nested(tr, shape, value, x) -> list[str]:
    if not value.toPython():
        return []
    pattern, v = tr.values(shape, x)
    p, o = tr.var("p"), tr.var("o")
    return [f"{pattern} {v} {p} {o} FILTER({_not_allowed(tr, shape, p)})"]


# --- the table -----------------------------------------------------------------------------

_equals, _disjoint, _less, _less_or_equal = (
    _pair("equals"), _pair("disjoint"), _pair("lessThan"), _pair("lessThanOrEquals"))

COMPONENTS: tuple[Component, ...] = (
    # Value type (§4.1)
    Component("Class", SH["class"], repeatable=True, test=_class, check=_iri,
              message="Value does not have class {value}"),
    Component("Datatype", SH.datatype, test=_datatype, check=_iri,
              message="Value is not a literal with datatype {value}"),
    Component("NodeKind", SH.nodeKind, test=_node_kind_test, check=_node_kind,
              message="Value is not of node kind {value}"),
    # Cardinality (§4.2)
    Component("MinCount", SH.minCount, property_only=True, top=_min_count_top,
              nested=_min_count_nested, check=_integer, message="Less than {value} values"),
    Component("MaxCount", SH.maxCount, property_only=True, top=_max_count_top,
              nested=_max_count_nested, check=_integer, message="More than {value} values"),
    # Value range (§4.3)
    Component("MinExclusive", SH.minExclusive, repeatable=True, test=_compare(">"),
              check=_literal, message="Value is not > {value}"),
    Component("MinInclusive", SH.minInclusive, repeatable=True, test=_compare(">="),
              check=_literal, message="Value is not >= {value}"),
    Component("MaxExclusive", SH.maxExclusive, repeatable=True, test=_compare("<"),
              check=_literal, message="Value is not < {value}"),
    Component("MaxInclusive", SH.maxInclusive, repeatable=True, test=_compare("<="),
              check=_literal, message="Value is not <= {value}"),
    # String-based (§4.4)
    Component("MinLength", SH.minLength, test=_length(">="), check=_integer,
              message="Value is shorter than {value} characters, or a blank node"),
    Component("MaxLength", SH.maxLength, test=_length("<="), check=_integer,
              message="Value is longer than {value} characters, or a blank node"),
    Component("Pattern", SH.pattern, optional=(SH.flags,), repeatable=True,
              test=_pattern_test, check=_pattern,
              message="Value does not match the pattern {value}"),
    Component("LanguageIn", SH.languageIn, test=_language_in, check=_strings,
              message="Language tag not in {value}"),
    Component("UniqueLang", SH.uniqueLang, property_only=True, top=_unique_lang_top,
              nested=_unique_lang_nested, check=_boolean,
              message="More than one value has the same language tag"),
    # Property pairs (§4.5)
    Component("Equals", SH.equals, repeatable=True, top=_equals[0], nested=_equals[1],
              check=_iri, message="Value sets of the path and {value} differ"),
    Component("Disjoint", SH.disjoint, repeatable=True, top=_disjoint[0],
              nested=_disjoint[1], check=_iri, message="Value is also a value of {value}"),
    Component("LessThan", SH.lessThan, property_only=True, repeatable=True, top=_less[0],
              nested=_less[1], check=_iri, message="Value is not < the values of {value}"),
    Component("LessThanOrEquals", SH.lessThanOrEquals, property_only=True, repeatable=True,
              top=_less_or_equal[0], nested=_less_or_equal[1], check=_iri,
              message="Value is not <= the values of {value}"),
    # Logical (§4.6)
    Component("Not", SH["not"], repeatable=True, test=_not,
              message="Value conforms to {value}"),
    Component("And", SH["and"], repeatable=True, test=_and, check=_shape_list,
              message="Value does not conform to every shape in {value}"),
    Component("Or", SH["or"], repeatable=True, test=_or, check=_shape_list,
              message="Value does not conform to any shape in {value}"),
    Component("Xone", SH.xone, repeatable=True, test=_xone, check=_shape_list,
              message="Value does not conform to exactly one shape in {value}"),
    # Shape-based (§4.7); sh:property has no results of its own: the translator validates the
    # property shape's focus nodes, which are this shape's value nodes.
    Component("Node", SH.node, repeatable=True, test=_node, check=_node_shape,
              message="Value does not conform to {value}"),
    Component("Property", SH.property, repeatable=True),
    Component("QualifiedMinCount", SH.qualifiedMinCount, requires=(SH.qualifiedValueShape,),
              optional=(SH.qualifiedValueShapesDisjoint,),
              property_only=True, top=_qualified_min_top, nested=_qualified_min_nested,
              check=_qualified, message="Less than {value} values conform to the qualified "
              "value shape"),
    Component("QualifiedMaxCount", SH.qualifiedMaxCount, requires=(SH.qualifiedValueShape,),
              optional=(SH.qualifiedValueShapesDisjoint,),
              property_only=True, top=_qualified_max_top, nested=_qualified_max_nested,
              check=_qualified, message="More than {value} values conform to the qualified "
              "value shape"),
    # Other (§4.8)
    Component("Closed", SH.closed, optional=(SH.ignoredProperties,), top=_closed_top,
              nested=_closed_nested, check=_closed,
              message="The node has a property the closed shape does not allow"),
    Component("HasValue", SH.hasValue, repeatable=True, top=_has_value_top,
              nested=_has_value_nested, message="Missing the value {value}"),
    Component("In", SH["in"], test=_in, check=_list, message="Value is not in {value}"),
    # SHACL-SPARQL (§5): sh:select constraints, see ``sparql.py``.
    Component("SPARQL", SH.sparql, repeatable=True),
)

# Every parameter of every component: any other SHACL term on a shape is refused.
PARAMETERS = frozenset(p for c in COMPONENTS for p in c.parameters)

