"""Named queries: the example queries under ``queries/examples/`` and the counts ``info`` shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import resources


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (file stem), title (first comment line) and text."""

    name: str
    title: str
    text: str
    path: Path

    @classmethod
    def from_path(cls, path: Path) -> NamedQuery:
        text = path.read_text(encoding="utf-8")
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        return cls(name=path.stem, title=title, text=text, path=path)


def example_queries() -> list[NamedQuery]:
    """The competency queries shipped with the graph, in file order."""
    return [NamedQuery.from_path(p) for p in resources.example_queries()]


COUNTS = """
PREFIX mk: <https://w3id.org/mali-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT
  (COUNT(*) AS ?triples)
  (SUM(IF(?p = rdf:type && ?o = mk:Statement, 1, 0)) AS ?statements)
  (SUM(IF(?p = rdf:type && ?o = mk:Claim, 1, 0)) AS ?claims)
  (SUM(IF(?p = rdf:type && ?o = mk:Anchor, 1, 0)) AS ?anchors)
  (SUM(IF(?p = rdf:type && ?o = mk:Fact, 1, 0)) AS ?facts)
WHERE { GRAPH <https://w3id.org/mali-kg/graph/data> { ?s ?p ?o } }
"""

RESOURCES_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?resources)
WHERE { GRAPH <https://w3id.org/mali-kg/graph/data> { ?s a ?class } }
GROUP BY ?class ORDER BY DESC(?resources) ?class
"""

CONFLICTS = """
PREFIX mk: <https://w3id.org/mali-kg/ontology#>
SELECT (COUNT(*) AS ?conflicts) WHERE {
  { SELECT DISTINCT ?a ?b WHERE {
      GRAPH <https://w3id.org/mali-kg/graph/data> {
        { ?a mk:conflictsWith ?b } UNION { ?b mk:conflictsWith ?a } }
      FILTER(STR(?a) < STR(?b)) } }
}
"""
