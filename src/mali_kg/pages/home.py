"""The home page's numbers and lists, each from one SPARQL query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import namespaces as ns
from .. import resources
from .common import Labels
from .sparql import Query, select


def counts(query: Query) -> dict[str, int]:
    def one(sparql: str) -> int:
        rows = select(query, sparql)
        return int(rows[0]["n"].value) if rows and rows[0]["n"] else 0

    data = f"<{ns.GRAPH_DATA}>"
    return {
        "triples": one("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        "data_triples": one(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {data} {{ ?s ?p ?o }} }}"),
        "quotations": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Statement }"),
        "claims": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Claim }"),
        "conflicts": one("""SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE {
            ?a mk:conflictsWith|^mk:conflictsWith ?b FILTER(STR(?a) < STR(?b)) } }"""),
        "facts": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Fact }"),
        "anchors": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Anchor }"),
        "sources": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Source }"),
    }


def classes(query: Query) -> list[tuple[str, int]]:
    rows = select(query, f"""
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s a ?c }}
          FILTER(STRSTARTS(STR(?c), "{ns.MK}")) }} GROUP BY ?c ORDER BY DESC(?n) ?c""")
    return [(r["c"].value, int(r["n"].value)) for r in rows]


def resources_of(query: Query, cls: str) -> list[str]:
    return [r["s"].value for r in select(query, f"""
        SELECT DISTINCT ?s WHERE {{ ?s a <{cls}> }} ORDER BY ?s""")]


def statements(query: Query) -> list[dict]:
    return [{"statement": r["s"].value, "speaker": r["speaker"].value if r["speaker"] else None,
             "quote": r["quote"].value if r["quote"] else "",
             "post": r["post"].value if r["post"] else None,
             "before": r["before"].value if r["before"] else None,
             "date": r["date"].value if r["date"] else None}
            for r in select(query, """
        SELECT ?s ?speaker ?quote ?post ?before ?date ?start WHERE { ?s a mk:Statement .
          OPTIONAL { ?s mk:speaker ?speaker } OPTIONAL { ?s mk:quotedText ?quote }
          OPTIONAL { ?s mk:inCapacityOf ?post } OPTIONAL { ?s mk:deliveredBefore ?before }
          OPTIONAL { ?s mk:date ?date }
          OPTIONAL { SELECT ?s (MIN(?st) AS ?start) WHERE { ?f rdf:subject ?s ;
            rdf:predicate mk:quotedText ; mk:statedIn/oa:hasSelector/oa:start ?st } GROUP BY ?s }
        } ORDER BY ?start ?s""")]


def conflicts(query: Query) -> list[dict]:
    rows = select(query, """
        SELECT DISTINCT ?a ?b ?va ?vb ?bya ?byb ?wa ?wb WHERE {
          ?a mk:conflictsWith|^mk:conflictsWith ?b FILTER(STR(?a) < STR(?b))
          ?a mk:claimedValue ?va . ?b mk:claimedValue ?vb .
          OPTIONAL { ?a mk:accordingTo ?bya } OPTIONAL { ?b mk:accordingTo ?byb }
          OPTIONAL { ?a mk:statedAs ?wa } OPTIONAL { ?b mk:statedAs ?wb }
        } ORDER BY ?a ?b""")
    return rows


@dataclass
class Example:
    name: str
    title: str
    text: str


def examples() -> list[Example]:
    out = []
    for path in resources.example_queries():
        out.append(read_example(path))
    return out


def read_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    title = first.lstrip("#").strip() if first.startswith("#") else path.stem
    return Example(path.stem, title, text)


def find_example(name: str) -> Example | None:
    for path in resources.example_queries():
        if path.stem == name:
            return read_example(path)
    return None


def labelled(labels: Labels, iris: list[str]) -> list[tuple[str, str]]:
    return sorted(((labels.en(i), i) for i in iris), key=lambda x: x[0].lower())
