"""Linked Data, dumps, service description and the query UI over a real server."""

from __future__ import annotations

import re

import httpx
import pytest
from rdflib import Graph, URIRef

from mali_kg import jsonld
from mali_kg.formats import RdfFormat

from .helpers import MINUSMA

# Runs against the embedded store and in front of Oxigraph server and Virtuoso.
pytestmark = pytest.mark.backends

RDF_TYPES = {"text/turtle": ("ttl", "turtle"), "application/ld+json": ("jsonld", "json-ld"),
             "application/n-triples": ("nt", "nt"), "application/rdf+xml": ("rdf", "xml")}
SD = "http://www.w3.org/ns/sparql-service-description#"


def readable(body: bytes, parser: str) -> bytes:
    """JSON-LD with the project's context inlined: rdflib would fetch it (tests never do)."""
    return jsonld.inline_context(body) if parser == "json-ld" else body


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as c:
        yield c


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_resource_by_accept_and_extension(client, media_type):
    ext, parser = RDF_TYPES[media_type]
    by_accept = client.get("/id/minusma", headers={"Accept": media_type})
    by_ext = client.get(f"/id/minusma.{ext}")
    served = jsonld.media_type(jsonld.COMPACTED) if parser == "json-ld" else media_type
    for r in (by_accept, by_ext):
        assert r.status_code == 200
        assert r.headers["content-type"] == served + "; charset=utf-8"
        assert "Accept" in r.headers["vary"]
        g = Graph().parse(data=readable(r.content, parser), format=parser)
        assert (URIRef(MINUSMA), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                None) in g
    assert by_accept.headers["content-location"] == f"/id/minusma.{ext}"
    assert by_accept.content == by_ext.content


def test_link_headers(client):
    r = client.get("/id/minusma")
    links = r.headers["link"]
    for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                       ("html", "text/html")):
        assert f'</id/minusma.{ext}>; rel="alternate"; type="{media}"' in links


def test_description_has_incoming_links_and_labels(client):
    g = Graph().parse(data=client.get("/id/minusma.ttl").content, format="turtle")
    minusma = URIRef(MINUSMA)
    assert set(g.subject_predicates(minusma)), "incoming links are part of the description"
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    neighbours = {o for o in g.objects(minusma) if isinstance(o, URIRef)} - {minusma}
    labelled = {s for s in g.subjects(label)}
    assert neighbours & labelled


def test_html_page(client):
    r = client.get("/id/minusma", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "MINUSMA" in r.text
    assert 'href="/id/' in r.text  # project IRIs link to this server
    assert "<script" not in r.text
    assert client.get("/id/minusma.html").text == r.text


def test_unknown_resource(client):
    r = client.get("/id/no-such-thing-here")
    assert r.status_code == 404
    assert "/sparql" in r.text
    assert client.get("/id/minusma.docx").status_code == 404
    assert client.get("/nothing/here").status_code == 404


def test_etag_and_304(client):
    r = client.get("/id/minusma.ttl")
    tag = r.headers["etag"]
    again = client.get("/id/minusma.ttl", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""


def test_ontology_and_shapes(client):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    owl_ontology = URIRef("http://www.w3.org/2002/07/owl#Ontology")
    assert (URIRef("https://w3id.org/mali-kg/ontology"), None, owl_ontology) in g
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
        assert client.get(f"/ontology.{ext}").status_code == 200
        assert client.get(f"/shapes.{ext}").status_code == 200


@pytest.mark.parametrize("ext,parser", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"),
                                        ("trig", "trig"), ("jsonld", "json-ld")])
def test_dumps(client, ext, parser):
    r = client.get(f"/data/mali-kg.{ext}")
    assert r.status_code == 200
    assert r.headers["cache-control"].startswith("public")
    tag = r.headers["etag"]
    assert client.get(f"/data/mali-kg.{ext}", headers={"If-None-Match": tag}).status_code == 304
    assert client.get(f"/data/mali-kg.{ext}",
                      headers={"If-None-Match": '"other"'}).status_code == 200
    if parser in ("nquads", "trig"):
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=r.content, format=parser)
        assert len(list(ds.quads())) > 100
    else:
        assert len(Graph().parse(data=readable(r.content, parser), format=parser)) > 100
    assert client.get("/data/mali-kg.zip").status_code == 404


@pytest.mark.parametrize("media_type,parser", [("text/turtle", "turtle"),
                                               ("application/ld+json", "json-ld"),
                                               ("application/rdf+xml", "xml")])
def test_service_description(client, server_url, media_type, parser):
    r = client.get("/sparql", headers={"Accept": media_type})
    assert r.status_code == 200
    assert r.headers["content-type"] == media_type + "; charset=utf-8"
    g = Graph().parse(data=r.content, format=parser)
    endpoint = URIRef(server_url + "/sparql")
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in g
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    assert len(list(g.objects(endpoint, URIRef(SD + "resultFormat")))) == 10
    assert list(g.objects(None, URIRef("http://rdfs.org/ns/void#triples")))


def test_service_description_uses_public_url(server_factory):
    with server_factory("--public-url", "https://example.org/kg/") as server:
        r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
        assert "<https://example.org/kg/sparql>" in r.text
        page = httpx.get(server.url + "/sparql", headers={"Accept": "text/html"})
        assert "https://example.org/kg/sparql" in page.text


VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DATASET = URIRef("https://w3id.org/mali-kg/dataset")


@pytest.mark.parametrize("path,accept", [("/.well-known/void", "text/turtle"),
                                         ("/sparql", "text/turtle")])
def test_one_consistent_dataset_description(client, server_url, path, accept):
    """Wherever the dataset is described: one value for each count, endpoint and URI space,
    every dump listed, and the dumps and endpoint those this server serves."""
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format="turtle")
    for prop in ("triples", "sparqlEndpoint", "uriSpace"):
        values = list(g.objects(DATASET, URIRef(VOID + prop)))
        assert len(values) == 1, (prop, values)
    assert g.value(DATASET, URIRef(VOID + "sparqlEndpoint")) == URIRef(server_url + "/sparql")
    served = {URIRef(f"{server_url}/data/mali-kg.{f.extension}") for f in RdfFormat}
    assert set(g.objects(DATASET, URIRef(VOID + "dataDump"))) == served
    downloads = {g.value(d, URIRef(DCAT + "downloadURL"))
                 for d in g.objects(DATASET, URIRef(DCAT + "distribution"))}
    assert downloads == served
    for url in served:
        assert client.head(str(url).removeprefix(server_url)).status_code == 200


def test_gn_is_the_geonames_ontology_namespace(client):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    bound = dict(Graph().parse(data=r.content, format="turtle").namespaces())
    assert str(bound.get("gn", "http://www.geonames.org/ontology#")) == \
        "http://www.geonames.org/ontology#"


def test_query_ui(client):
    r = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 200
    html = r.text
    assert "/static/yasgui/yasgui.min.js" in html
    # every script and stylesheet is local
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src
        assert client.get(src).status_code == 200, src
    from mali_kg import resources

    examples = resources.example_queries()
    assert examples, "queries/examples/ holds no example"
    title = examples[0].read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    assert title.replace('"', '\\"') in html or title in html
    assert "PREFIX mk:" in html
    assert client.get("/static/yasgui/LICENSE.txt").status_code == 200


def test_health_and_landing(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["workers"] >= 1 and health["triples"] > 0
    assert client.get("/").status_code == 200
