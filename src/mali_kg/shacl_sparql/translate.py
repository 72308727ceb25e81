"""Shapes → SPARQL: one query per constraint, each returning its validation results.

A constraint is a shape, a component and a value of the component's parameter. Its query
returns one row per validation result — the focus node ``?this`` and, where SHACL gives one, the
value ``?value`` and the path ``?path`` — so each result names its own shape, component and
severity. Focus nodes come from the shape's targets (``Context``), or, for a property shape of a
property shape, from the values of the parent. Whether a node *conforms* to a shape (sh:node,
sh:not, sh:and, sh:or, sh:xone, qualified value shapes) is an ``EXISTS`` over the union of the
shape's violation patterns, so nested shapes become nested ``EXISTS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from . import sparql
from .components import COMPONENTS, PARAMETERS, Component, Condition
from .shapes import SHAPE_TERMS, SPARQL_CONSTRAINT_TERMS, Refused, Shape, Shapes, show

__all__ = ["Check", "Plan", "TopQuery", "Translator", "translate"]

# The LIMIT of a subquery that must be evaluated on its own (see Translator.instances): more
# rows than any store holds.
NO_LIMIT = 10**15


@dataclass
class TopQuery:
    select: str
    where: str
    modifiers: str = ""
    distinct: bool = False

    def text(self) -> str:
        distinct = "DISTINCT " if self.distinct else ""
        return f"SELECT {distinct}{self.select} WHERE {{ {self.where} }} {self.modifiers}".strip()


@dataclass
class Check:
    """One constraint and its query. The fields before ``node`` describe the results as the
    report writes them; the rest are the terms the report graph needs."""

    shape: str  # the source shape, compacted
    kind: str  # the component's local name ("MinCount", "SPARQL"…)
    severity: str  # "Violation", "Warning" or "Info"
    query: str
    source_shape: str = ""  # as the report names it: mksh:X, or mksh:X/mk:path
    component: str = ""  # the constraint component, compacted (sh:…ConstraintComponent)
    path: str | None = None  # the shape's path, compacted (SPARQL path syntax)
    message: str = ""  # the message of every result (templates filled in per result)
    node: URIRef | BNode | None = None  # the source shape
    path_node: URIRef | BNode | None = None  # the shape's sh:path
    messages: list[Literal] = field(default_factory=list)
    constraint: URIRef | BNode | None = None  # the sh:sparql constraint node
    is_property: bool = False
    templates: bool = False  # fill {?var} and {$this} from each row (SHACL-SPARQL)


@dataclass
class Plan:
    """The checks of a shapes graph, and what was refused (a non-empty ``untranslated`` makes
    validation an error: a shape the translator cannot read is never passed)."""

    checks: list[Check] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    shapes: Graph | None = None


class Context:
    """The focus nodes of a shape at the top level.

    A property shape of a property shape has a focus node for each value of each focus node of
    its parent — the same node twice when two parents share it, and SHACL validates it twice —
    so the parents' focus nodes are kept alongside, in the ``keys`` variables; queries that
    group or remove duplicates include them."""

    def __init__(self, pattern, keys: tuple[str, ...] = ()) -> None:
        self._pattern = pattern  # var -> group pattern binding var to each focus node
        self.keys = keys

    @property
    def key_text(self) -> str:
        return "".join(f" {k}" for k in self.keys)

    def focus(self, var: str) -> str:
        return f"{{ SELECT DISTINCT {var}{self.key_text} WHERE {{ {self._pattern(var)} }} }}"


class Translator:
    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes
        self.counter = 0
        self._stack: list = []
        self._empty = ox.Store()

    # --- terms and variables --------------------------------------------------------------

    def var(self, hint: str = "v") -> str:
        self.counter += 1
        return f"?_{hint}{self.counter}"

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            return node.n3()
        raise Refused(f"the blank node {show(node)} cannot be written in a query.")

    def same(self, v: str, node) -> str:
        """An expression, never an error, true when ``v`` is the term ``node`` (a blank node
        of the shapes graph is never a node of the data).

        Not ``sameTerm``: Virtuoso 7.2 evaluates it only as a FILTER of its own (or under
        ``!`` and ``&&``), and gets it wrong inside ``||``, ``COALESCE`` or ``IF``, where
        sh:in and sh:hasValue need it. ``=`` is ``sameTerm`` for an IRI; a literal is the
        same term as another when their strings, language tags and datatypes are, each
        compared as the engine reads the term written here (Oxigraph reads literals in their
        canonical form, as it stores them)."""
        if isinstance(node, BNode):
            return "false"
        term = self.term(node)
        if isinstance(node, URIRef):
            return f"({v} = {term})"
        if node.language:
            return (f"(isLiteral({v}) && LANG({v}) != \"\" && LCASE(LANG({v})) = "
                    f"LCASE(LANG({term})) && STR({v}) = STR({term}))")
        return (f"(isLiteral({v}) && LANG({v}) = \"\" && DATATYPE({v}) = DATATYPE({term}) "
                f"&& STR({v}) = STR({term}))")

    def instances(self, x: str, cls) -> str:
        """A group pattern with a solution for each type of ``x`` that is the class ``cls``
        or one of its subclasses (SHACL instances, §3.2), whether ``x`` is bound or not.

        Not ``x rdf:type/rdfs:subClassOf* cls``: Virtuoso 7.2 returns a row once per start
        node when a repeated path has both ends bound, dropping the other rows that share
        the start. The subclasses are walked from ``cls`` in a subquery, which a LIMIT keeps
        Virtuoso from merging into the query around it (it binds the start first
        otherwise). Oxigraph walks them from the constant in both forms, and finds a bound
        ``x``'s types by index."""
        t = self.var("t")
        return (f"{x} <{RDF.type}> {t} . {{ SELECT DISTINCT {t} WHERE {{ {t} "
                f"<{RDFS.subClassOf}>* {self.term(cls)} }} LIMIT {NO_LIMIT} }}")

    def reaches(self, x: str, path: str, node) -> str:
        """A group pattern with a solution when the path leads from ``x`` to the term
        ``node``. Virtuoso 7.2 returns a row once per start node when a repeated path (``*``,
        ``+``, ``?``) has both ends bound, dropping the other rows that share the start, so
        such a path ends at a variable of its own, compared with the term by a FILTER of its
        own."""
        if not _repeats(path):
            return f"{x} {path} {self.term(node)} ."
        w = self.var("w")
        return f"{x} {path} {w} . FILTER(sameTerm({w}, {self.term(node)}))"

    def check_expression(self, expression: str, refusal: str) -> None:
        """Refuse unless Oxigraph parses the expression and evaluates it without an error."""
        try:
            ok = bool(self._empty.query(f"ASK {{ BIND({expression} AS ?x) FILTER(BOUND(?x)) }}"))
        except (SyntaxError, ValueError, OSError) as e:
            raise Refused(f"{refusal}: {e}") from None
        if not ok:
            raise Refused(f"{refusal}.")

    # --- value nodes ----------------------------------------------------------------------

    def values(self, shape: Shape, x: str, v: str | None = None, *,
               enumerate_focus: bool = False) -> tuple[str, str]:
        """(pattern, variable): the value nodes of ``shape`` for the focus node ``x``, which
        an enclosing EXISTS substitutes (or, with ``enumerate_focus``, which the pattern binds
        itself). For a node shape the value node is ``x`` itself."""
        if not shape.is_property:
            return "", x
        v = v or self.var("v")
        path = shape.sparql_path
        if shape.nullable and not enumerate_focus:
            # Oxigraph gives the empty path only for nodes of the graph; SHACL gives it for any.
            return f"{{ {x} {path} {v} }} UNION {{ BIND({x} AS {v}) }}", v
        return f"{x} {path} {v} .", v

    def top_values(self, ctx: Context, shape: Shape, this: str, v: str, *,
                   optional: bool = False, where=None) -> str:
        """A group pattern binding (``this``, ``v``) to each focus node and value node, once;
        with ``optional``, a focus node without values is kept with ``v`` unbound; ``where``
        (an expression of the value variable) keeps only the values that pass it."""
        focus = ctx.focus(this)
        keys = ctx.key_text
        if not shape.is_property:
            kept = f" FILTER({where(v)})" if where else ""
            return f"{focus} BIND({this} AS {v}){kept}"
        path = shape.sparql_path
        kept = f" FILTER({where(v)})" if where else ""
        if shape.nullable:
            pairs = (f"{{ SELECT DISTINCT {this} {v}{keys} WHERE {{ {{ {focus} {this} {path} "
                     f"{v} }} UNION {{ {focus} BIND({this} AS {v}) }} }} }}")
            if optional:
                return f"{focus} OPTIONAL {{ {pairs}{kept} }}"
            return pairs + kept
        if optional:
            return f"{focus} OPTIONAL {{ {this} {path} {v} .{kept} }}"
        if path.startswith("<") or path.startswith("^(<") and path.count("<") == 1:
            return f"{focus} {this} {path} {v} .{kept}"  # one triple per value: no duplicates
        return (f"{{ SELECT DISTINCT {this} {v}{keys} WHERE {{ {focus} {this} {path} {v} }} }}"
                + kept)

    def query(self, select: str, where: str, modifiers: str = "", *,
              distinct: bool = False) -> TopQuery:
        return TopQuery(select, where, modifiers, distinct)

    # --- conformance ----------------------------------------------------------------------

    def conforms(self, node, v: str) -> str:
        """An expression true when the node ``v`` conforms to the shape ``node``."""
        violations = self.violations(node, v)
        if not violations:
            return "true"
        if not any(isinstance(c, Condition) for c in violations):
            return f"NOT EXISTS {{ {_union(violations)} }}"
        return f"!({self.violated(violations)})"

    def violated(self, violations: list[str | Condition]) -> str:
        """An expression, never an error, true when one of the violations holds."""
        conditions = [f"COALESCE({c.expression}, false)" for c in violations
                      if isinstance(c, Condition)]
        patterns = [p for p in violations if not isinstance(p, Condition)]
        if patterns:
            conditions.append(f"EXISTS {{ {_union(patterns)} }}")
        return " || ".join(conditions) or "false"

    def violations(self, node, x: str) -> list[str | Condition]:
        """One per constraint of the shape: a group pattern with a solution exactly when the
        focus node ``x`` (substituted by an enclosing EXISTS) violates it, or, when that
        pattern would be a FILTER alone, its expression (:class:`Condition`): Virtuoso 7.2
        does not apply a FILTER in an EXISTS group that has no triple pattern."""
        if not isinstance(node, URIRef | BNode):
            raise Refused(f"{show(node)} is used as a shape but is a literal.")
        shape = self.shapes.shape(node)
        if shape.deactivated:
            return []  # every node conforms to a deactivated shape
        if node in self._stack:
            raise Refused(f"{show(node)} refers to itself through "
                          + " → ".join(show(s) for s in self._stack)
                          + "; SHACL leaves recursive shapes undefined.")
        self._stack.append(node)
        try:
            patterns: list[str | Condition] = []
            for component, value in self.constraints(shape):
                if component.name == "Property":
                    patterns += self._property_violations(shape, value, x)
                elif component.name == "SPARQL":
                    patterns += sparql.nested(self, shape, value, x)
                elif component.test is not None:
                    pattern, v = self.values(shape, x)
                    test = component.test(self, shape, value, v)
                    if pattern:
                        patterns.append(f"{pattern} FILTER(!COALESCE({test}, false))")
                    else:
                        patterns.append(Condition(f"!COALESCE({test}, false)"))
                else:
                    patterns += component.nested(self, shape, value, x)
            return patterns
        finally:
            self._stack.pop()

    def _property_violations(self, shape: Shape, child, x: str) -> list[str | Condition]:
        if not shape.is_property:
            return self.violations(child, x)
        pattern, v = self.values(shape, x)
        inner = self.violations(child, v)
        if not inner:
            return []
        if not any(isinstance(c, Condition) for c in inner):
            return [f"{pattern} FILTER EXISTS {{ {_union(inner)} }}"]
        return [f"{pattern} FILTER({self.violated(inner)})"]

    # --- constraints of a shape -----------------------------------------------------------

    def constraints(self, shape: Shape) -> list[tuple[Component, object]]:
        """(component, parameter value) for each constraint of the shape, the values checked."""
        g = self.shapes.graph
        out = []
        for component in COMPONENTS:
            values = sorted(g.objects(shape.node, component.parameter), key=_order)
            if not values or any(g.value(shape.node, r) is None for r in component.requires):
                continue  # a component applies when all its mandatory parameters are given
            if component.property_only and not shape.is_property:
                raise Refused(f"{show(shape.node)} is a node shape; "
                              f"{show(component.parameter)} applies to property shapes.")
            if len(values) > 1 and not component.repeatable:
                raise Refused(f"{show(shape.node)} has {len(values)} values of "
                              f"{show(component.parameter)}; SHACL allows one.")
            for value in values:
                if component.check is not None:
                    component.check(self, shape, value)
                out.append((component, value))
        if not shape.is_property and g.value(shape.node, SH.qualifiedValueShape) is not None:
            raise Refused(f"{show(shape.node)} is a node shape; sh:qualifiedValueShape applies "
                          "to property shapes.")
        return out

    # --- the top level --------------------------------------------------------------------

    def target_context(self, node) -> Context:
        targets = self.shapes.targets(node)

        def pattern(var: str) -> str:
            alternatives = []
            nodes = [o for p, o in targets if p == SH.targetNode]
            if nodes:
                alternatives.append(
                    f"VALUES {var} {{ {' '.join(self._target_node(n) for n in nodes)} }}")
            for p, o in targets:
                if p == SH.targetClass:
                    if not isinstance(o, URIRef):
                        raise Refused(f"{show(node)}: sh:targetClass {show(o)} is not an IRI.")
                    alternatives.append(self.instances(var, o))
                elif p == SH.targetSubjectsOf:
                    alternatives.append(f"{var} {self._predicate(node, o)} [] .")
                elif p == SH.targetObjectsOf:
                    alternatives.append(f"[] {self._predicate(node, o)} {var} .")
            if not alternatives:
                return "FILTER(false)"
            return _union(alternatives)

        return Context(pattern)

    def _target_node(self, n) -> str:
        if isinstance(n, BNode):
            return "UNDEF"  # a blank node of the shapes graph is no node of the data
        return self.term(n)

    def _predicate(self, node, p) -> str:
        if not isinstance(p, URIRef):
            raise Refused(f"{show(node)}: {show(p)} is not a property IRI.")
        return f"<{p}>"

    def value_context(self, parent: Context, shape: Shape) -> Context:
        f = self.var("f")

        def pattern(var: str) -> str:
            return self.top_values(parent, shape, f, var)

        return Context(pattern, (*parent.keys, f))

    def emit(self, node, ctx: Context, plan: Plan, trail: tuple = ()) -> None:
        """The checks of a shape whose focus nodes are ``ctx``'s, and of its property shapes."""
        shape = self.shapes.shape(node)
        if shape.deactivated:
            return
        if node in trail:
            raise Refused(f"{show(node)} is its own property shape through "
                          + " → ".join(show(s) for s in trail) + ".")
        for component, value in self.constraints(shape):
            if component.name == "Property":
                child_ctx = self.value_context(ctx, shape) if shape.is_property else ctx
                try:
                    self.emit(value, child_ctx, plan, (*trail, node))
                except Refused as e:
                    plan.untranslated.append(str(e))
                continue
            try:
                plan.checks += self._checks(shape, component, value, ctx)
            except Refused as e:
                plan.untranslated.append(str(e))

    def _checks(self, shape: Shape, component: Component, value, ctx: Context) -> list[Check]:
        if component.name == "SPARQL":
            query, constraint_messages = sparql.top(self, shape, value, ctx)
            if not query:
                return []  # a deactivated constraint
            messages = _unique(constraint_messages + self.shapes.messages(shape.node))
            return [self._check(shape, component, value, query, messages, constraint=value,
                                templates=True)]
        if component.test is not None:
            where = self.top_values(ctx, shape, "?this", "?value")
            test = component.test(self, shape, value, "?value")
            queries = [TopQuery("?this ?value", f"{where} FILTER(!COALESCE({test}, false))")]
        else:
            queries = component.top(self, shape, value, ctx)
        messages = self.shapes.messages(shape.node)
        return [self._check(shape, component, value, q.text(), messages) for q in queries]

    def _check(self, shape: Shape, component: Component, value, query: str,
               messages: list[Literal], *, constraint=None, templates: bool = False) -> Check:
        self.check_query(query, shape, component)
        name = _shape_name(self.shapes.graph, shape)
        generic = component.message.format(value=self._show_value(value))
        path = None
        if shape.path is not None:
            from ..validate import show_path

            path = show_path(self.shapes.graph, shape.path)
        return Check(
            shape=name, kind=component.name, severity=shape.severity,
            query=query, source_shape=name, component=f"sh:{component.name}ConstraintComponent",
            path=path, message=" ".join(str(m) for m in messages) or generic,
            node=shape.node, path_node=shape.path,
            messages=messages or [Literal(generic)], constraint=constraint,
            is_property=shape.is_property, templates=templates)

    def _show_value(self, value) -> str:
        if isinstance(value, BNode) and self.shapes.graph.value(value, RDF.first) is not None:
            try:
                return "(" + " ".join(show(m) for m in self.shapes.items(value)) + ")"
            except Refused:
                pass
        return show(value)

    def check_query(self, query: str, shape: Shape, component: Component) -> None:
        """Run the query on an empty store: Oxigraph's parser checks what was written."""
        try:
            list(self._empty.query(query))
        except SyntaxError as e:
            raise Refused(f"{show(shape.node)}: the query for {component.name} does not "
                          f"parse ({e}).") from None


def translate(graph: Graph) -> Plan:
    """Every check of a shapes graph, and every term or shape refused."""
    shapes = Shapes(graph)
    tr = Translator(shapes)
    plan = Plan(shapes=graph)
    plan.untranslated += scan(shapes)
    for node in shapes.roots():
        try:
            if tr.shapes.shape(node).deactivated:
                continue
            tr.emit(node, tr.target_context(node), plan)
        except Refused as e:
            plan.untranslated.append(str(e))
    # Shapes reached only through sh:node, sh:or… are read when a query needs them; read the
    # others too, so that an ill-formed one is refused even if nothing refers to it now.
    for node in shapes.nodes:
        try:
            shape = shapes.shape(node)
            if not shape.deactivated:
                tr.constraints(shape)
        except Refused as e:
            plan.untranslated.append(str(e))
    plan.untranslated = [_locate(m, shapes) for m in _unique(plan.untranslated)]
    return plan


def _locate(message: str, shapes: Shapes) -> str:
    """Name the first blank node of a message by the way to it from a named shape."""
    m = re.search(r"_:([A-Za-z0-9]+)", message)
    if m is None or (BNode(m.group(1)), None, None) not in shapes.graph:
        return message
    return message[:m.start()] + shapes.where(BNode(m.group(1))) + message[m.end():]


def scan(shapes: Shapes) -> list[str]:
    """Every SHACL term the translator does not know, on every shape and SPARQL constraint —
    nested shapes included — and the SHACL features it does not translate."""
    g = shapes.graph
    known = SHAPE_TERMS | PARAMETERS
    out = []
    for node in shapes.nodes:
        for p in sorted(set(g.predicates(node, None)), key=str):
            if str(p).startswith(str(SH)) and p not in known:
                out.append(f"{show(node)} uses {show(p)}, which the SPARQL engine does not "
                           "translate.")
        for c in g.objects(node, SH.sparql):
            for p in sorted(set(g.predicates(c, None)), key=str):
                if str(p).startswith(str(SH)) and p not in SPARQL_CONSTRAINT_TERMS:
                    out.append(f"the SPARQL constraint {show(c)} of {show(node)} uses "
                               f"{show(p)}, which the SPARQL engine does not translate.")
    for kind in (SH.ConstraintComponent, SH.SPARQLTarget, SH.SPARQLTargetType,
                 SH.SPARQLRule, SH.TripleRule, SH.JSConstraint, SH.JSTarget):
        for node in sorted(g.subjects(RDF.type, kind), key=str):
            out.append(f"{show(node)} is an {show(kind)}, which the SPARQL engine does not "
                       "translate.")
    return out


def _shape_name(graph: Graph, shape: Shape) -> str:
    from ..validate import _shape_name as name

    return name(shape.node, graph) or show(shape.node)


def _repeats(path: str) -> bool:
    """Whether a SPARQL path (full IRIs) repeats a step: ``*``, ``+`` or ``?``."""
    return any(c in re.sub(r"<[^>]*>", "", path) for c in "*+?")


def _union(patterns: list[str]) -> str:
    return " UNION ".join(f"{{ {p} }}" for p in patterns)


def _unique(items: list) -> list:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _order(term) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, Literal) else 2, str(term))

