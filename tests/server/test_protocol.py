"""The SPARQL 1.1 Protocol over a real server process: requests, negotiation, errors."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from rdflib import Graph

from .helpers import ASK_QUERY, CONSTRUCT_QUERY, DESCRIBE_QUERY, LABEL_QUERY, MINUSMA

# Runs against the embedded store and in front of Oxigraph server and Virtuoso.
pytestmark = pytest.mark.backends

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
GRAPHS = {
    "data": "https://w3id.org/mali-kg/graph/data",
    "ontology": "https://w3id.org/mali-kg/graph/ontology",
}


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as c:
        yield c


def labels(response: httpx.Response) -> list[str]:
    doc = response.json()
    return [b["label"]["value"] for b in doc["results"]["bindings"]]


# -- the three ways to send a query -------------------------------------------------------------
def test_get(client):
    r = client.get("/sparql", params={"query": LABEL_QUERY})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert "MINUSMA" in labels(r)


def test_post_form(client):
    r = client.post("/sparql", data={"query": LABEL_QUERY})
    assert r.status_code == 200
    assert "MINUSMA" in labels(r)


def test_post_direct(client):
    r = client.post("/sparql", content=LABEL_QUERY.encode(),
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200
    assert "MINUSMA" in labels(r)


def test_form_is_decoded_once(client):
    # The query text contains "%41"; decoding twice would turn it into "A".
    r = client.post("/sparql", data={"query": 'SELECT ?x WHERE { BIND("%41" AS ?x) }'})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "%41"
    r = client.get("/sparql", params={"query": 'SELECT ?x WHERE { BIND("%41" AS ?x) }'})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "%41"


# -- exactly one query --------------------------------------------------------------------------
@pytest.mark.parametrize("params", [
    [("query", "")],
    [("query", "   \n")],
    [("query", LABEL_QUERY), ("query", LABEL_QUERY)],
    [("default-graph-uri", GRAPHS["data"])],
])
def test_not_exactly_one_query(client, params):
    r = client.get("/sparql", params=params)
    assert r.status_code == 400, r.text
    assert "query" in r.text


def test_query_in_url_and_body_is_two_queries(client):
    r = client.post("/sparql", params={"query": LABEL_QUERY}, content=LABEL_QUERY,
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_post_without_query(client):
    r = client.post("/sparql", content=b"format=json",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


@pytest.mark.parametrize("ctype", [None, "text/plain", "application/json", "multipart/form-data",
                                   "application/sparql-query; charset=latin-1"])
def test_unsupported_content_type(client, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    r = client.post("/sparql", content=LABEL_QUERY.encode(), headers=headers)
    assert r.status_code == 415, r.text
    assert "application/sparql-query" in r.text or "UTF-8" in r.text


def test_non_utf8_body(client):
    r = client.post("/sparql", content=b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }",
                    headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert "UTF-8" in r.text
    r = client.post("/sparql", content=b"query=SELECT%20%FF",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


# -- read-only ----------------------------------------------------------------------------------
def test_update_is_refused(client):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    for r in (
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update,
                    headers={"Content-Type": "application/sparql-update"}),
        client.get("/sparql", params={"update": update}),
        client.post("/sparql", data={"query": update}),
    ):
        assert r.status_code == 403, r.text
        assert "read-only" in r.text
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()[
        "boolean"] is False


# -- negotiation --------------------------------------------------------------------------------
@pytest.mark.parametrize("media_type", RESULT_TYPES)
@pytest.mark.parametrize("query", [LABEL_QUERY, ASK_QUERY], ids=["select", "ask"])
def test_result_formats_by_accept(client, media_type, query):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == media_type + "; charset=utf-8"
    assert "Accept" in r.headers["vary"]
    text = r.text
    if query is ASK_QUERY:
        assert "true" in text
    else:
        assert "MINUSMA" in text
    if media_type == "text/csv" and query is LABEL_QUERY:
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["label"]
    if media_type == "text/tab-separated-values" and query is LABEL_QUERY:
        assert text.splitlines()[0] == "?label"
        assert '"MINUSMA"@en' in text


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
@pytest.mark.parametrize("query", [CONSTRUCT_QUERY, DESCRIBE_QUERY], ids=["construct", "describe"])
def test_graph_formats_by_accept(client, media_type, query):
    r = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == media_type + "; charset=utf-8"
    g = Graph()
    g.parse(data=r.content, format=GRAPH_TYPES[media_type])
    assert len(g) > 0
    assert any(str(s) == MINUSMA for s in g.subjects())


def test_default_formats(client):
    r = client.get("/sparql", params={"query": LABEL_QUERY})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", params={"query": CONSTRUCT_QUERY})
    assert r.headers["content-type"].startswith("text/turtle")


def test_q_values(client):
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    r = client.get("/sparql", params={"query": LABEL_QUERY}, headers={"Accept": accept})
    assert r.headers["content-type"].startswith("text/csv")
    accept = "text/turtle;q=0.2, application/n-triples"
    r = client.get("/sparql", params={"query": CONSTRUCT_QUERY}, headers={"Accept": accept})
    assert r.headers["content-type"].startswith("application/n-triples")
    r = client.get("/sparql", params={"query": LABEL_QUERY}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/html;q=0.9, application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+json, text/html", "application/sparql-results+json"),
    ("text/html;q=0.5, application/json", "application/sparql-results+json"),
    ("text/html;q=0.5, text/csv", "text/csv"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/html", "text/html"),
])
def test_query_link_opens_the_ui_only_when_html_is_preferred(client, accept, expected):
    r = client.get("/sparql", params={"query": LABEL_QUERY}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == expected + "; charset=utf-8"


@pytest.mark.parametrize("fmt,expected", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_format_parameter_select(client, fmt, expected):
    r = client.get("/sparql", params={"query": LABEL_QUERY, "format": fmt},
                   headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"] == expected + "; charset=utf-8"


@pytest.mark.parametrize("fmt,expected", [
    ("turtle", "text/turtle"), ("nt", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml"),
    ("trig", "application/trig"), ("nq", "application/n-quads"),
])
def test_format_parameter_construct(client, fmt, expected):
    r = client.post("/sparql", data={"query": CONSTRUCT_QUERY, "format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"] == expected + "; charset=utf-8"


@pytest.mark.parametrize("params,expected", [
    ({"format": "json-ld"}, "application/ld+json"),
    ({"format": "application/ld+json,application/x-json+ld"}, "application/ld+json"),
    ({"format": "n3"}, "text/turtle"), ({"format": "ttl"}, "text/turtle"),
    ({"output": "rdf+xml"}, "application/rdf+xml"),
    # SPARQLWrapper: the name, then a list of media types, under format and output
    ({"format": ["json-ld", "application/ld+json"], "output": "json-ld"},
     "application/ld+json"),
    ({"format": "no-such-format"}, "text/turtle"),  # unknown: Accept (*/*) decides
])
def test_format_names_clients_send(client, params, expected):
    r = client.get("/sparql", params={"query": CONSTRUCT_QUERY, **params})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == expected + "; charset=utf-8"


def test_a_format_parameter_the_form_lacks_leaves_it_to_accept(client):
    r = client.get("/sparql", params={"query": LABEL_QUERY, "format": "turtle"},
                   headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")


def test_not_acceptable(client):
    r = client.get("/sparql", params={"query": LABEL_QUERY}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": CONSTRUCT_QUERY},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": LABEL_QUERY, "format": "turtle"},
                   headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and "format='turtle'" in r.text
    r = client.get("/sparql", params={"query": LABEL_QUERY},
                   headers={"Accept": "application/sparql-results+json;q=0"})
    assert r.status_code == 406


def test_head(client):
    r = client.head("/sparql", params={"query": LABEL_QUERY})
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize("path", ["/health", "/.well-known/void", "/", "/sparql",
                                  "/data/mali-kg.ttl", "/id/minusma"])
def test_head_everywhere_get_works(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code == 200, path
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(("method", "path"), [("PUT", "/sparql"), ("DELETE", "/sparql"),
                                              ("POST", "/id/minusma"), ("POST", "/health")])
def test_wrong_method_says_what_to_do(client, method, path):
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "GET" in r.headers["allow"]
    assert "GET" in r.text and path in r.text


def test_unknown_static_file_says_what_to_do(client):
    r = client.get("/static/nope.js")
    assert r.status_code == 404
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert "/sparql" in r.text


def test_gzip(client):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"
    r = client.get("/sparql", params={"query": query}, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert len(r.json()["results"]["bindings"]) == 500
    small = client.get("/sparql", params={"query": "ASK {}"},
                       headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


@pytest.mark.parametrize("accept_encoding", ["gzip;q=0", "gzip;q=0, identity",
                                             "identity", "br", "*;q=0", "deflate, gzip;q=0.0"])
def test_no_gzip_when_refused(client, accept_encoding):
    r = client.get("/data/mali-kg.ttl", headers={"Accept-Encoding": accept_encoding})
    assert r.status_code == 200
    assert "content-encoding" not in r.headers, accept_encoding


@pytest.mark.parametrize("accept_encoding", ["gzip", "GZIP;q=0.5", "br;q=1, *;q=0.1",
                                             "identity;q=1, gzip;q=0.001"])
def test_gzip_when_allowed(client, accept_encoding):
    r = client.get("/data/mali-kg.ttl", headers={"Accept-Encoding": accept_encoding})
    assert r.headers.get("content-encoding") == "gzip", accept_encoding


def test_gzip_and_identity_do_not_share_a_strong_etag(client):
    plain = client.get("/data/mali-kg.ttl", headers={"Accept-Encoding": "identity"})
    gz = client.get("/data/mali-kg.ttl", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    assert plain.headers["etag"] != gz.headers["etag"]  # RFC 9110 §8.8.3
    assert gz.headers["etag"] == "W/" + plain.headers["etag"]
    for tag in (gz.headers["etag"], plain.headers["etag"]):
        again = client.get("/data/mali-kg.ttl", headers={"Accept-Encoding": "gzip",
                                                          "If-None-Match": tag})
        assert again.status_code == 304
        assert again.headers["etag"] == gz.headers["etag"]
        assert "Accept-Encoding" in again.headers["vary"]


# -- dataset ------------------------------------------------------------------------------------
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def count(client, query, params=()):
    r = client.get("/sparql", params=[("query", query), *params])
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_union(client):
    total = count(client, COUNT)
    data = count(client, COUNT, [("default-graph-uri", GRAPHS["data"])])
    onto = count(client, COUNT, [("default-graph-uri", GRAPHS["ontology"])])
    both = count(client, COUNT, [("default-graph-uri", GRAPHS["data"]),
                                 ("default-graph-uri", GRAPHS["ontology"])])
    assert 0 < data < total and 0 < onto < total
    assert both <= data + onto


def test_from_and_protocol_dataset(client):
    onto = count(client, COUNT, [("default-graph-uri", GRAPHS["ontology"])])
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['ontology']}> "
                 "WHERE { ?s ?p ?o }") == onto
    # The protocol parameters override FROM.
    data = count(client, COUNT, [("default-graph-uri", GRAPHS["data"])])
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['ontology']}> "
                 "WHERE { ?s ?p ?o }", [("default-graph-uri", GRAPHS["data"])]) == data
    assert count(client, COUNT_NAMED, [("named-graph-uri", GRAPHS["ontology"])]) == onto
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPHS['ontology']}> "
                 "WHERE { GRAPH ?g { ?s ?p ?o } }") == onto
    # FROM NAMED alone leaves the default graph empty.
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPHS['ontology']}> "
                 "WHERE { ?s ?p ?o }") == 0


@pytest.mark.parametrize("params", [
    [("query", "SELECT * FROM <http://example.org/nope> WHERE { ?s ?p ?o }")],
    [("query", "SELECT * FROM NAMED <urn:nope> WHERE { ?s ?p ?o }")],
    [("query", COUNT), ("default-graph-uri", "http://example.org/nope")],
    [("query", COUNT), ("named-graph-uri", "urn:nope")],
])
def test_unknown_graph(client, params):
    r = client.get("/sparql", params=params)
    assert r.status_code == 400
    assert "never fetched" in r.text


def test_relative_iris_resolve_against_the_base(client):
    r = client.get("/sparql", params={"query": "ASK { <id/minusma> ?p ?o }"})
    assert r.json()["boolean"] is True


# -- errors -------------------------------------------------------------------------------------
def test_syntax_error_has_line_and_column(client):
    r = client.get("/sparql", params={"query": "SELECT ?s\nWHERE {\n  ?s ?p ?o \n  FILTR(?s) }"},
                   headers={"Accept": "application/json"})
    assert r.status_code == 400
    doc = r.json()
    assert doc["line"] == 4
    assert doc["column"] >= 3
    assert "Traceback" not in doc["detail"]
    r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p \"unterminated }"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert "1:" in r.text


def test_row_limit_is_signalled(server_factory):
    with server_factory("--max-rows", "3") as server:
        query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"
        r = httpx.get(server.url + "/sparql", params={"query": query})
        assert r.headers["x-mali-kg-truncated"] == "true"
        doc = r.json()
        assert doc["truncated"] is True
        assert len(doc["results"]["bindings"]) == 3
        r = httpx.get(server.url + "/sparql", params={"query": query, "format": "xml"})
        assert "urn:mali-kg:truncated" in r.text
        r = httpx.get(server.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } "
                                                              "LIMIT 2"})
        assert "x-mali-kg-truncated" not in r.headers
        assert "truncated" not in r.json()


def test_text_xml_cannot_carry_gets_406_with_advice(server_url):
    query = 'SELECT ?s WHERE { BIND("a\\u0001b" AS ?s) }'
    r = httpx.post(server_url + "/sparql", data={"query": query},
                   headers={"Accept": "application/sparql-results+xml"})
    assert r.status_code == 406
    assert "json" in r.text
    r = httpx.post(server_url + "/sparql", data={"query": query},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["s"]["value"] == "a\x01b"
