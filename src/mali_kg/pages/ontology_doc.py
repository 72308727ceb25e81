"""The ontology's documentation page, generated from the ontology graph with SPARQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import namespaces as ns
from ..namespaces import curie
from .common import Labels, render
from .sparql import OWL, Query, as_query, local_name, select

KINDS = [
    (OWL + "Class", "Classes", "classes"),
    (OWL + "ObjectProperty", "Object properties", "object-properties"),
    (OWL + "DatatypeProperty", "Datatype properties", "datatype-properties"),
    (OWL + "NamedIndividual", "Individuals", "individuals"),
]


@dataclass
class TermDoc:
    iri: str
    anchor: str
    kind: str
    label_en: str = ""
    label_fr: str | None = None
    definition_en: str | None = None
    definition_fr: str | None = None
    notes: list[str] = field(default_factory=list)
    domains: list[list[str]] = field(default_factory=list)  # each a union of classes
    ranges: list[list[str]] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # subClassOf / subPropertyOf
    types: list[str] = field(default_factory=list)
    uses: int = 0


def load_terms(query: Query) -> tuple[dict, list[tuple[str, str, list[TermDoc]]]]:
    graph = f"<{ns.GRAPH_ONTOLOGY}>"
    header = {}
    for r in select(query, f"""
        SELECT ?p ?o WHERE {{ GRAPH {graph} {{ ?ont a owl:Ontology ; ?p ?o }} }}"""):
        header.setdefault(curie(r["p"].value), []).append(r["o"])
    terms: dict[str, TermDoc] = {}
    for kind, _, _ in KINDS:
        for r in select(query, f"""
            SELECT ?t WHERE {{ GRAPH {graph} {{ ?t a <{kind}>
              FILTER(STRSTARTS(STR(?t), "{ns.MK}")) }} }}"""):  # not the declared externals
            t = r["t"].value
            if t not in terms:
                terms[t] = TermDoc(t, local_name(t), kind)
    for r in select(query, f"""
        SELECT ?t ?p ?o WHERE {{ GRAPH {graph} {{ ?t ?p ?o FILTER(isIRI(?t))
          FILTER(?p IN (rdfs:label, skos:definition, skos:note, rdfs:comment)) }} }}"""):
        d = terms.get(r["t"].value)
        if d is None:
            continue
        p, o = curie(r["p"].value), r["o"]
        if p == "rdfs:label":
            if o.lang == "fr":
                d.label_fr = o.value
            elif o.lang in ("en", None) and not d.label_en:
                d.label_en = o.value
        elif p == "skos:definition":
            if o.lang == "fr":
                d.definition_fr = o.value
            else:
                d.definition_en = o.value
        else:
            d.notes.append(o.value)
    for prop, attr in (("rdfs:domain", "domains"), ("rdfs:range", "ranges")):
        for t, members in _class_unions(query, graph, prop):
            d = terms.get(t)
            if d is not None:
                getattr(d, attr).append(members)
    for r in select(query, f"""
        SELECT ?t ?parent WHERE {{ GRAPH {graph} {{
          ?t rdfs:subClassOf|rdfs:subPropertyOf|owl:equivalentClass|owl:equivalentProperty
             ?parent FILTER(isIRI(?parent)) }} }} ORDER BY ?parent"""):
        d = terms.get(r["t"].value)
        if d:
            d.parents.append(r["parent"].value)
    for r in select(query, f"""
        SELECT ?t ?type WHERE {{ GRAPH {graph} {{ ?t a ?type FILTER(isIRI(?t))
          FILTER(?type NOT IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty,
                               owl:NamedIndividual)) }} }}"""):
        d = terms.get(r["t"].value)
        if d:
            d.types.append(r["type"].value)
    # How much the data uses each term (instances of a class, triples with a property).
    for r in select(query, f"""
        SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{
          {{ ?x a ?t }} UNION {{ ?x ?t ?y }} UNION {{ ?x ?y ?t FILTER(?y != rdf:type) }} }}
        }} GROUP BY ?t"""):
        d = terms.get(r["t"].value)
        if d:
            d.uses = int(r["n"].value)
    sections = []
    for kind, title, anchor in KINDS:
        members = sorted((d for d in terms.values() if d.kind == kind),
                         key=lambda d: d.anchor.lower())
        if members:
            sections.append((title, anchor, members))
    return header, sections


def _class_unions(query: Query, graph: str, prop: str) -> list[tuple[str, list[str]]]:
    """(term, classes) for each value of ``prop``: a class, or the members of an owl:unionOf
    in the list's order. The list is read cell by cell and walked here (GROUP_CONCAT would
    join the members in an order of each engine's choosing)."""
    unions: dict[tuple[str, str], tuple[str | None, dict[str, tuple[str, str]]]] = {}
    for r in select(query, f"""
        SELECT ?t ?c ?head ?cell ?first ?rest WHERE {{ GRAPH {graph} {{ ?t {prop} ?c
          OPTIONAL {{ ?c owl:unionOf ?head . ?head rdf:rest* ?cell .
                     ?cell rdf:first ?first ; rdf:rest ?rest }} }} }}"""):
        head, cells = unions.setdefault((r["t"].value, r["c"].value),
                                        (r["head"].value if r["head"] else None, {}))
        if r["cell"] is not None:
            cells[r["cell"].value] = (r["first"].value, r["rest"].value)
    out = []
    for (t, c), (head, cells) in unions.items():
        members, cell = [], head
        while cell in cells and len(members) <= len(cells):
            first, cell = cells[cell]
            members.append(first)
        out.append((t, members or [c]))
    return sorted(out)


def render_ontology(source, *, base_path: str = "/",
                    alternates: list[tuple[str, str]] | None = None) -> str:
    """The HTML documentation of the ontology (classes, properties, individuals)."""
    query = as_query(source)
    labels = Labels(query, base_path)
    header, sections = load_terms(query)
    path = labels.href(ns.ONTOLOGY)
    if alternates is None:
        alternates = [(path, "text/turtle"), (path, "application/ld+json")]
    return render("ontology.html", base_path=base_path, alternates=alternates,
                  title="mali-kg ontology", header=header, sections=sections,
                  labels=labels, curie=curie)
