"""The home page's numbers and lists: every list cut at :data:`MAX_ITEMS`, the numbers about
the whole graph counted once per served store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import namespaces as ns
from .. import resources
from .common import Labels
from .sparql import Query, iri, iris, select

# Items each list of the home page shows at most; the page links to a query for the rest.
MAX_ITEMS = 50


def counts(query: Query, graph_sizes: dict[str, int] | None = None) -> dict[str, int]:
    """The dataset's numbers. ``graph_sizes`` (triples per named graph, as the server counts
    them when it starts) saves counting every triple again."""
    def one(sparql: str) -> int:
        rows = select(query, sparql)
        return int(rows[0]["n"].value) if rows and rows[0]["n"] else 0

    data = f"<{ns.GRAPH_DATA}>"
    if graph_sizes is not None:
        triples, data_triples = sum(graph_sizes.values()), graph_sizes.get(ns.GRAPH_DATA, 0)
    else:
        triples = one("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        data_triples = one(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {data} {{ ?s ?p ?o }} }}")
    return {
        "triples": triples, "data_triples": data_triples,
        "quotations": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Statement }"),
        "claims": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Claim }"),
        "conflicts": one("""SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE {
            ?a mk:conflictsWith|^mk:conflictsWith ?b FILTER(STR(?a) < STR(?b)) } }"""),
        "facts": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Fact }"),
        "anchors": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Anchor }"),
        "sources": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mk:Source }"),
    }


def classes(query: Query) -> list[tuple[str, int]]:
    """Resources per class of the ontology in the data graph, most first. Counted per class
    (a type triple is there once), filtered and ordered here: a filter on every type triple
    in the query costs more than the count."""
    rows = select(query, f"""
        SELECT ?c (COUNT(*) AS ?n) WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s a ?c }} }}
        GROUP BY ?c""")
    found = [(r["c"].value, int(r["n"].value)) for r in rows
             if r["c"] is not None and r["c"].is_iri and r["c"].value.startswith(ns.MK)]
    return sorted(found, key=lambda cn: (-cn[1], cn[0]))


def figures(query: Query, graph_sizes: dict[str, int] | None = None) -> tuple[dict, list]:
    """:func:`counts` and :func:`classes`: numbers about the whole graph, which grow with it.
    Over a served store (which nothing writes), they are counted once per process."""
    kept = getattr(query, "figures", None)
    if kept is not None and "home" in kept:
        return kept["home"]
    found = counts(query, graph_sizes), classes(query)
    if kept is not None:
        kept["home"] = found
    return found


def resources_of(query: Query, classes: list[str],
                 limit: int = MAX_ITEMS) -> tuple[list[str], bool]:
    """Up to ``limit`` resources of ``classes``, and whether there are more. In no particular
    order (an order by IRI would read every one of them): the page orders them by label."""
    found: list[str] = []
    more = False
    for cls in classes:
        rows = select(query, f"SELECT DISTINCT ?s WHERE {{ ?s a <{cls}> }} LIMIT {limit + 1}")
        more = more or len(rows) > limit
        found += [r["s"].value for r in rows[:limit]]
    return list(dict.fromkeys(found)), more or len(found) > limit


def listing_query(classes: list[str]) -> str:
    """The query listing every resource of ``classes`` with its label: the "all of them" link
    of a list the page cuts."""
    return ("SELECT ?resource ?label WHERE {\n  VALUES ?class { "
            + " ".join(f"<{c}>" for c in classes) + " }\n  ?resource a ?class .\n"
            "  OPTIONAL { ?resource rdfs:label ?label FILTER(LANG(?label) = \"en\") }\n}"
            " ORDER BY ?label")


STATEMENTS_QUERY = """SELECT ?statement ?speaker ?quote ?date WHERE {
  ?statement a mk:Statement .
  OPTIONAL { ?statement mk:speaker ?speaker }
  OPTIONAL { ?statement mk:quotedText ?quote }
  OPTIONAL { ?statement mk:date ?date }
}"""

CONFLICTS_QUERY = """SELECT DISTINCT ?a ?b ?va ?vb WHERE {
  ?a mk:conflictsWith|^mk:conflictsWith ?b FILTER(STR(?a) < STR(?b))
  ?a mk:claimedValue ?va . ?b mk:claimedValue ?vb .
}"""


def statements(query: Query, limit: int = MAX_ITEMS) -> tuple[list[dict], bool]:
    """Up to ``limit`` quotations, in the order of their words in the article, and whether
    there are more."""
    some = [r["s"].value for r in select(query, f"""
        SELECT ?s WHERE {{ ?s a mk:Statement }} LIMIT {limit + 1}""")]
    if not some:
        return [], False
    values = f"VALUES ?s {{ {iris(some[:limit])} }}"
    return [{"statement": r["s"].value, "speaker": r["speaker"].value if r["speaker"] else None,
             "quote": r["quote"].value if r["quote"] else "",
             "post": r["post"].value if r["post"] else None,
             "before": r["before"].value if r["before"] else None,
             "date": r["date"].value if r["date"] else None}
            for r in select(query, f"""
        SELECT ?s ?speaker ?quote ?post ?before ?date ?start WHERE {{ {values} ?s a mk:Statement .
          OPTIONAL {{ ?s mk:speaker ?speaker }} OPTIONAL {{ ?s mk:quotedText ?quote }}
          OPTIONAL {{ ?s mk:inCapacityOf ?post }} OPTIONAL {{ ?s mk:deliveredBefore ?before }}
          OPTIONAL {{ ?s mk:date ?date }}
          OPTIONAL {{ SELECT ?s (MIN(?st) AS ?start) WHERE {{ {values} ?f rdf:subject ?s ;
            rdf:predicate mk:quotedText ; mk:statedIn/oa:hasSelector/oa:start ?st }} GROUP BY ?s }}
        }} ORDER BY ?start ?s""")], len(some) > limit


def conflicts(query: Query, limit: int = MAX_ITEMS) -> tuple[list[dict], bool]:
    """Up to ``limit`` pairs of conflicting claims, and whether there are more."""
    pairs = [(r["a"].value, r["b"].value) for r in select(query, f"""
        SELECT DISTINCT ?a ?b WHERE {{
          ?a mk:conflictsWith|^mk:conflictsWith ?b FILTER(STR(?a) < STR(?b)) }}
        LIMIT {limit + 1}""")]
    if not pairs:
        return [], False
    values = " ".join(f"({iri(a)} {iri(b)})" for a, b in pairs[:limit])
    rows = select(query, f"""
        SELECT DISTINCT ?a ?b ?va ?vb ?bya ?byb ?wa ?wb WHERE {{ VALUES (?a ?b) {{ {values} }}
          ?a mk:claimedValue ?va . ?b mk:claimedValue ?vb .
          OPTIONAL {{ ?a mk:accordingTo ?bya }} OPTIONAL {{ ?b mk:accordingTo ?byb }}
          OPTIONAL {{ ?a mk:statedAs ?wa }} OPTIONAL {{ ?b mk:statedAs ?wb }}
        }} ORDER BY ?a ?b""")
    return rows, len(pairs) > limit


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


def labelled(labels: Labels, values: list[str]) -> list[tuple[str, str]]:
    labels.want(values)
    return sorted(((labels.en(i), i) for i in values), key=lambda x: x[0].lower())
