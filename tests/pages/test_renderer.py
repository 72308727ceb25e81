"""The renderer of the server's own pages, without a server: what each page holds, and that
the query editor's configuration cannot end its data block."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from mali_kg import namespaces as ns
from mali_kg.pages import Renderer

GRAPH = ox.NamedNode(ns.BASE + "graph/example")
THING = ox.NamedNode(ns.ID + "thing")
LABEL = ox.NamedNode(ns.RDFS + "label")


def test_query_editor_config_cannot_end_its_data_block():
    config = {"endpoint": "http://127.0.0.1/sparql?a=<b>",
              "initialQuery": "SELECT * { ?s ?p ?o } # </script><script>alert(1)</script>"}
    page = Renderer().render_query_editor(config=config)
    blocks = re.findall(r'<script type="application/json" id="mali-kg-config">(.*?)</script>',
                        page, re.S)
    assert len(blocks) == 1 and json.loads(blocks[0]) == config
    assert "<code>http://127.0.0.1/sparql?a=&lt;b&gt;</code>" in page
    assert page.count("<h1") == 1 and '<body class="mali-kg-ui">' in page


def test_triples_page_has_three_tables():
    triples = [ox.Triple(GRAPH, LABEL, ox.Literal("An <example>", language="en")),
               ox.Triple(THING, ox.NamedNode(ns.RDFS + "isDefinedBy"), GRAPH),
               ox.Triple(THING, LABEL, ox.Literal("thing")),
               ox.Triple(THING, ox.NamedNode(ns.RDFS + "seeAlso"), ox.BlankNode("b0"))]
    page = Renderer().render_triples(
        GRAPH.value, triples, labels={THING.value: {"en": "The thing"}},
        link_for=lambda iri: "/" + iri.removeprefix(ns.BASE),
        alternates=[("/graph/example.ttl", "text/turtle")])
    assert '<link rel="alternate" type="text/turtle" href="/graph/example.ttl">' in page
    assert '<a href="/graph/example.ttl" type="text/turtle">Turtle</a>' in page
    properties, referenced_by, context = re.split(r"<h2>[^<]+</h2>", page)[1:]
    assert '<span class="literal">An &lt;example&gt;</span> <small>@en</small>' in properties
    assert '<a href="/id/thing" title="https://w3id.org/mali-kg/id/thing">The thing</a>' \
        in referenced_by
    assert '<span class="bnode">_:b0</span>' in context
    assert "thing</span>" not in context  # labels are shown as names, not listed


def test_triples_page_says_none_for_an_empty_table():
    page = Renderer().render_triples(GRAPH.value, [], labels={}, link_for=str, alternates=[])
    assert page.count('<p class="empty">none</p>') == 3


def test_landing_page_counts_the_triples():
    page = Renderer().render_landing(triples=4038)
    assert "(4038 triples)" in page and '<a href="/sparql">' in page
