"""Reading a shapes graph: which nodes are shapes, their targets, paths, severities and
parameters, and every SHACL term they use.

Nothing here writes SPARQL except property paths. A shape the translator cannot read
exactly — an ill-formed path, two values where SHACL allows one, a term it does not know — is
*refused*: :class:`Refused` carries a sentence naming the shape and the term, and the plan
lists it instead of leaving the constraint out.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .. import namespaces as ns

__all__ = ["SHAPE_TERMS", "Refused", "Shape", "Shapes", "show"]

# SHACL terms a shape may carry besides the parameters of the constraint components
# (``components.PARAMETERS``): targets, the path, and the non-validating properties.
SHAPE_TERMS = frozenset(SH[n] for n in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
    "path", "severity", "deactivated", "message",
    "name", "description", "order", "group", "defaultValue"))

# Terms of a SHACL-SPARQL constraint (the value of sh:sparql).
SPARQL_CONSTRAINT_TERMS = frozenset(SH[n] for n in (
    "select", "prefixes", "message", "deactivated", "name", "description"))

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

# Predicates whose values are shapes, and those whose values are lists of shapes.
_SHAPE_VALUED = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_PATH_KEYS = {SH.inversePath: "^", SH.alternativePath: "|", SH.zeroOrMorePath: "*",
              SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


class Refused(Exception):
    """A shape, or a term of one, the translator will not translate (the message says which
    and why)."""


def show(term) -> str:
    """A term as messages name it: compacted IRI, ``_:label``, or the literal."""
    if isinstance(term, URIRef):
        return ns.compact(str(term))
    if isinstance(term, BNode):
        return "_:" + str(term)
    if isinstance(term, Literal):
        return term.n3()
    return str(term)


@dataclass(frozen=True)
class Shape:
    """One shape: ``path`` is None for a node shape."""

    node: URIRef | BNode
    path: URIRef | BNode | None
    sparql_path: str | None  # the path in SPARQL syntax, full IRIs
    nullable: bool  # the path can be empty (then every focus node is one of its values)
    severity: str  # "Violation", "Warning" or "Info"
    deactivated: bool

    @property
    def is_property(self) -> bool:
        return self.path is not None


class Shapes:
    """The shapes of an rdflib graph, found as the SHACL specification (§2.1) and pySHACL find
    them: instances of sh:NodeShape and sh:PropertyShape, subjects of targets, of sh:property
    and of sh:node, and values of the shape-expecting parameters (sh:property, sh:node, sh:not,
    sh:qualifiedValueShape, members of sh:and, sh:or and sh:xone)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict = {}

    # --- discovery ------------------------------------------------------------------------

    @cached_property
    def nodes(self) -> list[URIRef | BNode]:
        g = self.graph
        found: set = set(g.subjects(RDF.type, SH.NodeShape))
        found |= set(g.subjects(RDF.type, SH.PropertyShape))
        for p in (*_TARGETS, SH.target, SH.property, SH.node):
            found |= set(g.subjects(p, None))
        for p in _SHAPE_VALUED:
            found |= set(g.objects(None, p))
        for p in _SHAPE_LISTS:
            for lst in g.objects(None, p):
                with suppress(Refused):  # reported when the list is read for its constraint
                    found |= set(self.items(lst, p))
        found = {n for n in found if isinstance(n, URIRef | BNode)}
        return sorted(found, key=_order)

    def where(self, node) -> str:
        """A shape as messages name it: an IRI, or a blank node with the way to it from a named
        shape (``ex:S sh:or _:b``)."""
        g, trail, seen = self.graph, [show(node)], {node}
        while isinstance(node, BNode):
            parent = None
            for s, p in g.subject_predicates(node):
                while p == RDF.rest or p == RDF.first:  # climb out of an RDF list
                    heads = list(g.subject_predicates(s))
                    if not heads:
                        break
                    s, p = heads[0]
                if s not in seen and p != RDF.first:
                    parent = (s, p)
                    break
            if parent is None:
                break
            node = parent[0]
            seen.add(node)
            trail[:0] = [show(node), show(parent[1])]
        return " ".join(trail)

    def roots(self) -> list[URIRef | BNode]:
        """The shapes that have targets (explicit or implicit class targets)."""
        g = self.graph
        return [n for n in self.nodes
                if any(g.value(n, p) is not None for p in _TARGETS) or self.is_class(n)]

    def is_class(self, node) -> bool:
        """A shape that is also an rdfs:Class in the shapes graph targets its instances."""
        g = self.graph
        classes = {RDFS.Class, *g.transitive_subjects(RDFS.subClassOf, RDFS.Class)}
        return any(t in classes for t in g.objects(node, RDF.type))

    def targets(self, node) -> list[tuple[URIRef, object]]:
        """(target predicate, value) pairs, the implicit class target as sh:targetClass."""
        g = self.graph
        out = [(p, o) for p in _TARGETS for o in sorted(g.objects(node, p), key=_order)]
        if self.is_class(node):
            out.append((SH.targetClass, node))
        return out

    # --- one shape ------------------------------------------------------------------------

    def shape(self, node) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self.graph
        paths = list(g.objects(node, SH.path))
        if len(paths) > 1:
            raise Refused(f"{show(node)} has {len(paths)} values of sh:path; a property "
                          "shape has one.")
        path = paths[0] if paths else None
        if path is not None and (node, RDF.type, SH.NodeShape) in g:
            raise Refused(f"{show(node)} is an sh:NodeShape with an sh:path.")
        if path is None and (node, RDF.type, SH.PropertyShape) in g:
            raise Refused(f"{show(node)} is an sh:PropertyShape without an sh:path.")
        severity = self.one(node, SH.severity)
        if severity is not None and severity not in SEVERITIES:
            raise Refused(f"{show(node)} has sh:severity {show(severity)}; the report knows "
                          "sh:Violation, sh:Warning and sh:Info.")
        deactivated = self.one(node, SH.deactivated)
        if deactivated is not None and not _is_boolean(deactivated):
            raise Refused(f"{show(node)} has sh:deactivated {show(deactivated)}, not a "
                          "boolean.")
        shape = Shape(
            node=node,
            path=path,
            sparql_path=None if path is None else self.sparql_path(path),
            nullable=path is not None and self.nullable(path),
            severity=SEVERITIES.get(severity, "Violation"),
            deactivated=deactivated is not None and bool(deactivated.toPython()),
        )
        self._shapes[node] = shape
        return shape

    def one(self, node, predicate):
        """The value of a parameter SHACL allows once, or None."""
        values = list(self.graph.objects(node, predicate))
        if len(values) > 1:
            raise Refused(f"{show(node)} has {len(values)} values of {show(predicate)}; "
                          "SHACL allows one.")
        return values[0] if values else None

    def items(self, lst, predicate=None) -> list:
        """The members of a well-formed RDF list."""
        g, out, seen, node = self.graph, [], set(), lst
        where = f" (the value of {show(predicate)})" if predicate is not None else ""
        while node != RDF.nil:
            firsts = list(g.objects(node, RDF.first))
            rests = list(g.objects(node, RDF.rest))
            if node in seen or len(firsts) != 1 or len(rests) != 1:
                raise Refused(f"{show(lst)}{where} is not a well-formed RDF list.")
            seen.add(node)
            out.append(firsts[0])
            node = rests[0]
        return out

    def messages(self, node) -> list[Literal]:
        return sorted((m for m in self.graph.objects(node, SH.message)
                       if isinstance(m, Literal)), key=str)

    # --- property paths -------------------------------------------------------------------

    def sparql_path(self, path, depth: int = 0) -> str:
        """A SHACL property path (§2.3.1) in SPARQL 1.1 syntax, with full IRIs."""
        if depth > 50:
            raise Refused(f"the property path {show(path)} nests too deeply.")
        if isinstance(path, URIRef):
            return f"<{path}>"
        if not isinstance(path, BNode):
            raise Refused(f"{show(path)} is not a property path.")
        kind, value = self._path_kind(path)
        if kind == "sequence":
            members = self.items(path)
            if len(members) < 2:
                raise Refused(f"the sequence path {show(path)} has fewer than two members.")
            return "(" + "/".join(self.sparql_path(m, depth + 1) for m in members) + ")"
        if kind == "|":
            members = self.items(value, SH.alternativePath)
            if len(members) < 2:
                raise Refused(f"the alternative path {show(path)} has fewer than two "
                              "members.")
            return "(" + "|".join(self.sparql_path(m, depth + 1) for m in members) + ")"
        inner = self.sparql_path(value, depth + 1)
        return f"^({inner})" if kind == "^" else f"({inner}){kind}"

    def nullable(self, path, depth: int = 0) -> bool:
        """True when the path matches the empty path, so every node is one of its own values
        (``p*``, ``p?``, a sequence of such, an alternative with one)."""
        if isinstance(path, URIRef) or depth > 50:
            return False
        kind, value = self._path_kind(path)
        if kind == "sequence":
            return all(self.nullable(m, depth + 1) for m in self.items(path))
        if kind == "|":
            return any(self.nullable(m, depth + 1) for m in self.items(value))
        if kind in ("*", "?"):
            return True
        return self.nullable(value, depth + 1)  # "+": as nullable as the path it repeats

    def _path_kind(self, path: BNode) -> tuple[str, object]:
        g = self.graph
        keys = [(p, o) for p, o in g.predicate_objects(path) if p in _PATH_KEYS]
        is_list = g.value(path, RDF.first) is not None
        if is_list and not keys:
            return "sequence", None
        if len(keys) == 1 and not is_list:
            p, o = keys[0]
            return _PATH_KEYS[p], o
        raise Refused(f"the property path {show(path)} is ill-formed: a path is an IRI, a "
                      "list, or a blank node with exactly one of sh:inversePath, "
                      "sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath, "
                      "sh:zeroOrOnePath.")

    # --- SHACL-SPARQL prefixes ------------------------------------------------------------

    def prefixes(self, constraint) -> dict[str, str]:
        """The PREFIX declarations of a SHACL-SPARQL constraint (sh:prefixes/sh:declare), as
        pySHACL reads them: those of each sh:prefixes value, and those of the shapes graph's
        ontologies when that value is not one."""
        g = self.graph
        ontologies = set(g.subjects(RDF.type, OWL.Ontology))
        out: dict[str, str] = {}
        for holder in g.objects(constraint, SH.prefixes):
            holders = {holder} if holder in ontologies else {holder, *ontologies}
            for h in sorted(holders, key=_order):
                for decl in g.objects(h, SH.declare):
                    prefix = self.one(decl, SH.prefix)
                    namespace = self.one(decl, SH.namespace)
                    if not isinstance(prefix, Literal) or namespace is None:
                        raise Refused(f"the sh:declare {show(decl)} needs one sh:prefix and "
                                      "one sh:namespace.")
                    out[str(prefix)] = str(namespace)
        return out


def _is_boolean(term) -> bool:
    return isinstance(term, Literal) and term.datatype == XSD.boolean and isinstance(
        term.toPython(), bool)


def _order(term) -> tuple[int, str]:
    """A stable order for terms (IRIs first), so that plans and queries are reproducible."""
    return (0 if isinstance(term, URIRef) else 1, str(term))

