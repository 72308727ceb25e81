"""The description of a resource served at its IRI (a generic, bounded graph walk).

For a resource X, over the union of all graphs:

1. X's outgoing triples, following blank nodes and X's own hash IRIs (``X#quote``): a
   Concise Bounded Description in which fragments count as part of their document;
2. every incoming link ``(S p X)``;
3. provenance: for each S that is *about* X in the W3C vocabularies — an RDF reification
   (``rdf:subject``/``rdf:object``) or a Web Annotation (``oa:hasBody``/``oa:hasTarget``) —
   S's own description as in 1, and the description of every resource S points to (other than
   its subject, predicate, object and type): that reaches the anchoring spans and their text
   selectors;
4. ``rdfs:label`` / ``skos:prefLabel`` of every IRI mentioned, so a client can show names.

Nothing here knows the project's own vocabulary; the walk is capped at ``MAX_TRIPLES``.
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import namespaces as ns

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
RDF, OA = ns.RDF, ns.OA
RDF_TYPE = ox.NamedNode(RDF + "type")
ABOUT = frozenset(ox.NamedNode(i) for i in (RDF + "subject", RDF + "object", OA + "hasBody",
                                            OA + "hasTarget"))
NOT_PROVENANCE = frozenset(ox.NamedNode(RDF + p) for p in ("subject", "predicate", "object",
                                                           "type"))
MAX_TRIPLES = 5000
_BNODE_DEPTH = 6


class _Collector:
    def __init__(self, store: ox.Store):
        self.store = store
        self.triples: dict[ox.Triple, None] = {}
        self.described: set = set()

    def full(self) -> bool:
        return len(self.triples) >= MAX_TRIPLES

    def add(self, s, p, o) -> None:
        if not self.full():
            self.triples[ox.Triple(s, p, o)] = None

    def out(self, s, p=None):
        return self.store.quads_for_pattern(s, p, None, None)

    def into(self, o):
        return self.store.quads_for_pattern(None, None, o, None)

    def cbd(self, node, depth: int = 0) -> None:
        """Outgoing triples of ``node``, following blank nodes."""
        if node in self.described or depth > _BNODE_DEPTH or self.full():
            return
        self.described.add(node)
        fragments = node.value.split("#")[0] + "#" if isinstance(node, ox.NamedNode) else None
        for q in self.out(node):
            self.add(q.subject, q.predicate, q.object)
            o = q.object
            if isinstance(o, ox.BlankNode) or (
                    fragments and isinstance(o, ox.NamedNode) and o.value.startswith(fragments)):
                self.cbd(o, depth + 1)


def exists(store: ox.Store, iri: str) -> bool:
    """True when the IRI is used in the store (as subject, object or graph name)."""
    node = ox.NamedNode(iri)
    for pattern in ((node, None, None, None), (None, None, node, None)):
        for _ in store.quads_for_pattern(*pattern):
            return True
    return any(g == node for g in store.named_graphs())


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    node = ox.NamedNode(iri)
    c = _Collector(store)
    c.cbd(node)

    about: list = []
    for q in c.into(node):
        c.add(q.subject, q.predicate, q.object)
        if q.predicate in ABOUT:
            about.append(q.subject)
    for s in dict.fromkeys(about):
        c.cbd(s)
        for q in c.out(s):
            if q.predicate not in NOT_PROVENANCE and q.object != node and \
                    isinstance(q.object, ox.NamedNode | ox.BlankNode):
                c.cbd(q.object)

    mentioned = {t for tr in list(c.triples) for t in (tr.subject, tr.predicate, tr.object)
                 if isinstance(t, ox.NamedNode)}
    for term in mentioned:
        for pred in (RDFS_LABEL, SKOS_PREF):
            for q in c.out(term, pred):
                c.add(q.subject, q.predicate, q.object)
    return list(c.triples)


def graph_triples(store: ox.Store, graph: str) -> list[ox.Triple]:
    """Every triple of one named graph (the ontology, the shapes …)."""
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]


def labels(store: ox.Store, triples: list[ox.Triple]) -> dict[str, dict[str, str]]:
    """IRI → {language: label} for every labelled IRI in ``triples``."""
    out: dict[str, dict[str, str]] = {}
    for t in triples:
        if t.predicate in (RDFS_LABEL, SKOS_PREF) and isinstance(t.subject, ox.NamedNode) \
                and isinstance(t.object, ox.Literal):
            out.setdefault(t.subject.value, {}).setdefault(t.object.language or "", t.object.value)
    return out
