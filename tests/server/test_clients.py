"""Real SPARQL clients against a real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import warnings

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from .helpers import ASK_QUERY, CONSTRUCT_QUERY, DESCRIBE_QUERY, LABEL_QUERY, MINUSMA

# Runs against the embedded store and in front of Oxigraph server and Virtuoso.
pytestmark = pytest.mark.backends


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


# Every return format SPARQLWrapper offers for each query form, by every way it sends a query:
# 42 combinations for CONSTRUCT and DESCRIBE, 24 for SELECT and ASK. SPARQLWrapper sends
# ``format=``, ``output=`` and ``results=`` (some with a list of media types) beside Accept.
SENDS = [("GET", URLENCODED), ("POST", URLENCODED), ("POST", POSTDIRECTLY)]
GRAPH_FORMATS = [XML, JSON, JSONLD, TURTLE, N3, RDF, RDFXML]
RESULT_FORMATS = [XML, JSON, CSV, TSV]
COMBINATIONS = [(form, query, fmt, method, how)
                for form, query, formats in (("construct", CONSTRUCT_QUERY, GRAPH_FORMATS),
                                             ("describe", DESCRIBE_QUERY, GRAPH_FORMATS),
                                             ("select", LABEL_QUERY, RESULT_FORMATS),
                                             ("ask", ASK_QUERY, RESULT_FORMATS))
                for fmt in formats for method, how in SENDS]


@pytest.mark.parametrize(("form", "query", "fmt", "method", "how"), COMBINATIONS,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}-{c[4]}" for c in COMBINATIONS])
def test_sparqlwrapper_every_format_and_method(server_url, form, query, fmt, method, how):
    sw = wrapper(server_url, query, fmt, method)
    sw.setRequestMethod(how)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # its notes on formats it guesses
        result = sw.query()
    body = result.response.read()
    assert result.response.status == 200
    if form in ("construct", "describe"):
        rdflib_format = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                         "application/rdf+xml": "xml", "application/n-triples": "nt"}
        media = result.response.headers["Content-Type"].split(";")[0]
        graph = Graph().parse(data=body, format=rdflib_format[media])
        assert (URIRef(MINUSMA), None, None) in graph, (fmt, media)
        if fmt in (JSONLD, N3, TURTLE):  # asked for by name: exactly that family
            assert media == {JSONLD: "application/ld+json"}.get(fmt, "text/turtle")
    elif form == "select":
        assert b"MINUSMA" in body
    else:
        assert b"true" in body
