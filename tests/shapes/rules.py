"""The rules of the shapes, read from the shapes graph itself, and the manifest that lists them.

A **pair** is a (shape, constraint component) that a validation result can name as its source
shape and component: a shape with targets, or a property shape of one, and a SHACL Core
component (or sh:SPARQLConstraintComponent) whose parameters it carries. Shapes are named as
reports name them (``mksh:AnchorShape``, or ``mksh:AnchorShape/oa:hasSource`` for a blank
property shape); two property shapes on the same path share a name, so their pairs are one.

A **constraint** is one triple of the shapes graph that declares or parameterises a constraint —
``sh:maxCount 1``, ``sh:class mk:Mission``, one ``sh:sparql`` constraint, or a triple of a shape
nested in a list of sh:or, under sh:not or sh:qualifiedValueShape — together with the pairs whose
results it changes: its own, or for a nested shape those of the constraint that uses it.

``manifest.tsv`` beside this file lists every pair with the failing cases of ``cases/`` that
produce a result with exactly that shape and component. Rewrite it with::

    uv run python tests/shapes/rules.py > tests/shapes/manifest.tsv
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from mali_kg import namespaces as ns
from mali_kg import resources
from mali_kg.shacl_sparql.components import COMPONENTS, Component

HERE = Path(__file__).parent
MANIFEST = HERE / "manifest.tsv"
CASES_DIR = HERE / "cases"

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Parameters whose values are shapes, and those whose values are lists of shapes.
_SHAPE_VALUED = (SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
# Every parameter of a constraint, sh:property excepted: it holds a shape, not a constraint
# (the triples of that shape are constraints of their own).
_PARAMETERS = {p: [c for c in COMPONENTS if p in c.parameters]
               for c in COMPONENTS for p in c.parameters if p != SH.property}
_HEADER = re.compile(r"^#\s*([a-z-]+):\s*(.*?)\s*$")


def shapes_files() -> list[Path]:
    files = sorted(resources.shapes_file().parent.glob("*.ttl"))
    assert files, f"no shapes in {resources.shapes_file().parent}"  # never pass on nothing
    return files


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in shapes_files():
        graph.parse(path, format="turtle")
    return graph


def compact(term) -> str:
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        return term.n3()
    return ns.compact(str(term))


def shape_name(graph: Graph, shape) -> str:
    """A shape as validation reports name it (``validate._shape_name``)."""
    if isinstance(shape, BNode):
        parent = graph.value(predicate=SH.property, object=shape)
        path = graph.value(shape, SH.path)
        if parent is not None and isinstance(path, URIRef):
            return f"{compact(parent)}/{compact(path)}"
    return compact(shape)


def top_shapes(graph: Graph) -> list:
    """The shapes whose results a report lists: those with targets and, below them, their
    property shapes (and theirs)."""
    found = [s for s in set(graph.subjects()) if any((s, p, None) in graph for p in _TARGETS)]
    todo = list(found)
    while todo:
        for prop in graph.objects(todo.pop(), SH.property):
            if prop not in found:
                found.append(prop)
                todo.append(prop)
    return sorted(found, key=lambda s: shape_name(graph, s))


def declared(graph: Graph, shape) -> list[Component]:
    """The components of the constraints ``shape`` declares (parameter and required ones)."""
    return [c for c in COMPONENTS
            if c.parameter != SH.property and (shape, c.parameter, None) in graph
            and all((shape, r, None) in graph for r in c.requires)]


def pairs(graph: Graph | None = None) -> list[tuple[str, str]]:
    """Every (shape, constraint component) pair of the shapes, sorted."""
    g = shapes_graph() if graph is None else graph
    return sorted({(shape_name(g, s), compact(c.iri)) for s in top_shapes(g)
                   for c in declared(g, s)})


@dataclass(frozen=True)
class Constraint:
    """One triple of the shapes graph that a constraint depends on."""

    triple: tuple
    label: str  # where it is and what it says, for test ids and messages
    pairs: frozenset[tuple[str, str]]  # the pairs whose results removing it changes
    roots: frozenset  # the shapes with targets it lies under


def constraints(graph: Graph | None = None) -> list[Constraint]:
    """Every constraint triple of the shapes: of the top shapes and of the shapes nested in
    them."""
    g = shapes_graph() if graph is None else graph
    top = top_shapes(g)
    users: dict = {}  # nested shape -> [(shape that uses it, parameter)]
    todo, seen = list(top), set(top)
    while todo:
        shape = todo.pop()
        for p in (SH.property, *_SHAPE_VALUED, *_SHAPE_LISTS):
            for value in g.objects(shape, p):
                members = list(g.items(value)) if p in _SHAPE_LISTS else [value]
                for member in members:
                    users.setdefault(member, []).append((shape, p))
                    if member not in seen:
                        seen.add(member)
                        todo.append(member)

    def affected(shape, parameter, depth: int = 0) -> set[tuple[str, str]]:
        assert depth < 20, f"the shapes nest too deeply at {compact(shape)}"
        if shape in top:
            return {(shape_name(g, shape), compact(c.iri)) for c in declared(g, shape)
                    if parameter in c.parameters}
        return {pair for user, p in users.get(shape, [])
                for pair in affected(user, p, depth + 1)}

    names: dict[str, int] = {}
    for shape in top:
        names[shape_name(g, shape)] = names.get(shape_name(g, shape), 0) + 1

    def roots(shape, depth: int = 0) -> set:
        assert depth < 20, f"the shapes nest too deeply at {compact(shape)}"
        parents = set(g.subjects(SH.property, shape)) | {u for u, _ in users.get(shape, [])}
        if not parents or any((shape, p, None) in g for p in _TARGETS):
            return {shape}
        return {r for parent in parents for r in roots(parent, depth + 1)}

    def where(shape) -> str:
        if shape in top:
            name = shape_name(g, shape)
            if names[name] == 1:
                return name
            # Two property shapes on one path: tell them apart by what they hold.
            qualified = g.value(shape, SH.qualifiedValueShape)
            if qualified is not None:
                return f"{name}{{sh:qualifiedValueShape {_term(g, qualified)}}}"
            return name + "{" + " ".join(sorted(
                {compact(p) for p in g.predicates(shape) if p in _PARAMETERS})) + "}"
        user, p = users[shape][0]
        return f"{where(user)} {compact(p)}[…]"

    out = []
    for shape in seen:
        for p, o in g.predicate_objects(shape):
            if p not in _PARAMETERS:
                continue
            label = f"{where(shape)} {compact(p)} {_describe(g, p, o)}"
            out.append(Constraint((shape, p, o), label, frozenset(affected(shape, p)),
                                  frozenset(roots(shape))))
    return sorted(out, key=lambda c: c.label)


def closure(graph: Graph, roots: Iterable) -> Graph:
    """The triples the shapes ``roots`` are made of: theirs, and those of every node they
    lead to that has triples of its own (property shapes, nested shapes, lists, SHACL-SPARQL
    constraints and their prefix declarations)."""
    out, todo, seen = Graph(), list(roots), set(roots)
    while todo:
        for s, p, o in graph.triples((todo.pop(), None, None)):
            out.add((s, p, o))
            if o not in seen and (o, None, None) in graph:
                seen.add(o)
                todo.append(o)
    return out


def _describe(graph: Graph, p, o) -> str:
    if p == SH.sparql:
        message = str(graph.value(o, SH.message) or "")
        return '"' + (message[:48] + "…" if len(message) > 48 else message) + '"'
    return _term(graph, o)


def _term(graph: Graph, o, depth: int = 0) -> str:
    """A term of the shapes, blank nodes written out (their labels change from parse to
    parse)."""
    if isinstance(o, Literal) and o.datatype in (XSD.integer, XSD.boolean):
        return str(o)
    if not isinstance(o, BNode) or depth > 5:
        return compact(o) if not isinstance(o, BNode) else "[…]"
    if graph.value(o, RDF.first) is not None:
        return "(" + " ".join(_term(graph, m, depth + 1) for m in graph.items(o)) + ")"
    return "[" + " ; ".join(f"{compact(a)} {_term(graph, b, depth + 1)}"
                            for a, b in sorted(graph.predicate_objects(o))) + "]"


# --- the cases and the manifest ---------------------------------------------------------------

def case_paths() -> list[Path]:
    return sorted(CASES_DIR.glob("*.ru"))


def case_expectations(path: Path) -> dict[str, str]:
    expect = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADER.match(line)
        if m:
            expect[m.group(1)] = m.group(2)
    return expect


def cases_by_pair(paths: Iterable[Path] | None = None) -> dict[tuple[str, str], list[str]]:
    """The failing cases of each (shape, component) pair their headers name."""
    out: dict[tuple[str, str], list[str]] = {}
    for path in case_paths() if paths is None else paths:
        e = case_expectations(path)
        out.setdefault((e.get("shape", ""), e.get("component", "")), []).append(path.stem)
    return out


def render_manifest() -> str:
    """The manifest as the shapes and the cases make it today."""
    cases = cases_by_pair()
    lines = [
        "# Every (shape, constraint component) pair of shapes/*.ttl, and the failing cases of",
        "# tests/shapes/cases/ that produce a result with exactly that source shape and",
        "# component. Checked by tests/shapes/test_rules.py; rewrite it with",
        "#     uv run python tests/shapes/rules.py > tests/shapes/manifest.tsv",
        "# shape\tcomponent\tcases",
    ]
    for shape, component in pairs():
        lines.append(f"{shape}\t{component}\t{' '.join(cases.get((shape, component), []))}")
    return "\n".join(lines) + "\n"


def read_manifest(path: Path = MANIFEST) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        shape, component, cases = (line.split("\t") + ["", ""])[:3]
        out[(shape, component)] = cases.split()
    return out


if __name__ == "__main__":
    sys.stdout.write(render_manifest())
