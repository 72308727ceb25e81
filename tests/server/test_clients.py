"""Real SPARQL clients against a real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from .helpers import ASK_QUERY, CONSTRUCT_QUERY, LABEL_QUERY, MINUSMA


def wrapper(server_url: str, query: str, fmt, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(server_url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


def test_sparqlwrapper_select_json_and_xml(server_url):
    for method in ("GET", "POST"):
        doc = wrapper(server_url, LABEL_QUERY, JSON, method).query().convert()
        assert "MINUSMA" in [b["label"]["value"] for b in doc["results"]["bindings"]]
    xml = wrapper(server_url, LABEL_QUERY, XML).query().convert()
    assert "MINUSMA" in xml.toxml()
    csv = wrapper(server_url, LABEL_QUERY, CSV).query().convert()
    assert b"MINUSMA" in csv


def test_sparqlwrapper_ask_and_construct(server_url):
    assert wrapper(server_url, ASK_QUERY, JSON).query().convert()["boolean"] is True
    graph = wrapper(server_url, CONSTRUCT_QUERY, TURTLE).query().convert()
    g = Graph().parse(data=graph, format="turtle")
    assert (URIRef(MINUSMA), None, None) in g


def test_sparqlwrapper_post_direct(server_url):
    sw = wrapper(server_url, LABEL_QUERY, JSON, "POST")
    sw.setRequestMethod("postdirectly")
    doc = sw.query().convert()
    assert doc["results"]["bindings"]


def test_rdflib_sparqlstore(server_url):
    store = SPARQLStore(server_url + "/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(LABEL_QUERY))
    assert "MINUSMA" in [str(r[0]) for r in rows]
    assert graph.query(ASK_QUERY).askAnswer is True
    labels = list(graph.objects(URIRef(MINUSMA),
                                URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert labels
    json_store = SPARQLStore(server_url + "/sparql", returnFormat="json", method="POST")
    assert list(Graph(store=json_store).query(LABEL_QUERY))
