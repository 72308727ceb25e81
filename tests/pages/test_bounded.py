"""Pages stay bounded on a graph of many articles: every list a page shows is cut, with a link
to the query for the rest; the queries start from what the page is about; labels are looked
up in batches and kept per served store. The graph of many articles is the benchmark's
synthetic graph (``bench/synthetic.py``: the real graph and copies of it), in memory."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from mali_kg import namespaces as ns
from mali_kg import resources
from mali_kg.pages import entity, graphview, home, timeline
from mali_kg.pages.article import load_article, render_text
from mali_kg.pages.common import Labels
from mali_kg.pages.sparql import LABEL_CACHE_BYTES, StoreQuery, select, served_query
from mali_kg.store import open_store

ROOT = Path(__file__).resolve().parents[2]
COPIES = 4


@cache
def many_articles() -> ox.Store:
    """The real graph and three synthetic articles, with the ontology, in one store."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench import synthetic
    finally:
        sys.path.remove(str(ROOT))
    template = synthetic.build_template()
    store = ox.Store()
    text = "".join(synthetic.iter_chunks(template, COPIES))
    store.bulk_load(input=text.encode(), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(ns.GRAPH_DATA))
    return store


class Counting:
    """A query callable that counts the queries it runs (and keeps labels like a served
    store's)."""

    def __init__(self, store: ox.Store):
        self.inner = StoreQuery(store, keep=True)
        self.labels = self.inner.labels
        self.figures = self.inner.figures
        self.store = store
        self.count = 0

    def __call__(self, sparql: str):
        self.count += 1
        return self.inner(sparql)


def test_timeline_names_every_date_valued_property():
    rows = select(StoreQuery(open_store()), f"""
        SELECT DISTINCT ?p WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s ?p ?d }}
          FILTER(isLiteral(?d) && DATATYPE(?d) = xsd:date)
          FILTER NOT EXISTS {{ ?s rdf:subject ?any }} }}""")
    found = {r["p"].value for r in rows}
    assert found, "the bundled graph should hold dated events"
    assert found <= set(timeline.DATE_VALUED), found - set(timeline.DATE_VALUED)


def test_timeline_shows_the_first_events_of_its_query():
    query = StoreQuery(many_articles())
    everything = select(query, timeline.EVENTS_QUERY)
    assert len(everything) > 30
    events, more = timeline.load_events(query, Labels(query), limit=30)
    assert more and len(events) == 30
    assert [(e.iri, e.prop, e.date.isoformat()) for e in events] == [
        (r["s"].value, r["p"].value, r["date"].value) for r in everything[:30]]
    events, more = timeline.load_events(query, Labels(query), limit=len(everything))
    assert not more and len(events) == len(everything)


def test_home_lists_are_cut_and_say_so():
    query = StoreQuery(many_articles())
    people, more = home.resources_of(query, [ns.MK + "Person"], limit=3)
    assert len(people) == 3 and more
    everyone, more = home.resources_of(query, [ns.MK + "Person"], limit=10_000)
    assert not more and set(people) <= set(everyone)
    said, more = home.statements(query, limit=2)
    assert len(said) == 2 and more
    pairs, more = home.conflicts(query, limit=1)
    assert len({(r["a"].value, r["b"].value) for r in pairs}) == 1 and more


def test_home_counts_once_per_served_store():
    query = Counting(many_articles())
    first = home.figures(query)
    spent = query.count
    assert spent > 0
    assert home.figures(query) == first and query.count == spent
    counts, classes = first
    assert counts["claims"] == COPIES * home.counts(StoreQuery(open_store()))["claims"]
    assert classes == sorted(classes, key=lambda cn: (-cn[1], cn[0]))


def test_article_page_reads_only_its_article():
    """The first article, on a graph of many, is the same page as on the real graph alone."""
    alone, many = StoreQuery(open_store()), Counting(many_articles())
    a, b = load_article(alone, Labels(alone)), load_article(many, Labels(many))
    assert a.iri == b.iri and render_text(a) == render_text(b)
    assert a.anchors.keys() == b.anchors.keys() and a.notes == b.notes
    for key, anchor in a.anchors.items():
        other = b.anchors[key]
        assert [f.iri for f in anchor.facts] == [f.iri for f in other.facts], key
        assert [f.iri for f in anchor.inferred] == [f.iri for f in other.inferred], key
        assert anchor.mentions == other.mentions and anchor.claims == other.claims, key
    assert len(b.claims) == len(a.claims)


def test_hub_page_cuts_its_lists(monkeypatch: pytest.MonkeyPatch):
    whole = entity.render_entity(open_store(), ns.ID + "united-nations")
    assert "in the query editor" not in whole  # the real graph alone: nothing cut
    monkeypatch.setattr(entity, "MAX_INCOMING", 2)
    monkeypatch.setattr(entity, "MAX_MENTIONS", 2)
    page = entity.render_entity(many_articles(), ns.ID + "united-nations")
    assert "every resource linking here, in the query editor" in page
    assert "every span naming it, in the query editor" in page
    listed = page.split('<ul class="mentions">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == 2


def test_diagram_reads_a_bounded_number_of_edges(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(graphview, "MAX_EDGES", 3)
    query = StoreQuery(many_articles())
    edges = graphview.neighbours(query, ns.ID + "united-nations", limit=3)
    assert len(edges) == 3
    assert edges == sorted(edges, key=lambda e: (e.direction, e.prop, e.node))
    assert "more" in graphview.render_svg(ns.ID + "united-nations", edges, Labels(query))


def test_labels_batched_and_kept_per_served_store():
    store = many_articles()
    query = Counting(store)
    wanted = [r["s"].value for r in select(StoreQuery(store),
                                           "SELECT DISTINCT ?s WHERE { ?s a mk:Fact } LIMIT 250")]
    assert len(wanted) == 250
    Labels(query).want(wanted)
    assert query.count == 3  # 100 at a time
    query.count = 0
    later = Labels(query)  # the next page over the same store
    assert later.en(wanted[0]) and later.en(wanted[-1])
    assert query.count == 0
    assert query.labels.max_bytes == LABEL_CACHE_BYTES and query.labels.size <= LABEL_CACHE_BYTES
    # A page over a store it is not served from keeps nothing between pages.
    assert StoreQuery(store).labels is None
    # The server's renderer reuses one query callable per served store.
    first = served_query(store, None)
    assert served_query(store, first) is first
    assert served_query(open_store(), first) is not first
