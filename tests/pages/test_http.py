"""The pages over plain HTTP: /validate for tools, data twins, and errors."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

# Runs against the embedded store and in front of Oxigraph server and Virtuoso.
pytestmark = pytest.mark.backends

BAD = (b"@prefix mk: <https://w3id.org/mali-kg/ontology#> .\n"
       b"<https://w3id.org/mali-kg/id/nobody> a mk:Person .\n")


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=120) as c:
        yield c


def test_validate_turtle_report(client):
    r = client.post("/validate", content=BAD, headers={"Content-Type": "text/turtle",
                                                       "Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert str(g.value(report, SH.conforms)) == "false"
    focus = set(g.objects(None, SH.focusNode))
    assert URIRef("https://w3id.org/mali-kg/id/nobody") in focus


def test_validate_json_and_jsonld(client):
    jsonld_body = (b'{"@id": "https://w3id.org/mali-kg/id/nobody", '
                   b'"@type": "https://w3id.org/mali-kg/ontology#Person"}')
    r = client.post("/validate", content=jsonld_body, headers={
        "Content-Type": "application/ld+json", "Accept": "application/json"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["conforms"] is False and doc["counts"]["Violation"] >= 1
    assert any(x["focus_node"] == "id:nobody" for x in doc["results"])
    r = client.post("/validate", content=BAD, headers={
        "Content-Type": "text/turtle", "Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    g = Graph().parse(data=r.text, format="json-ld")
    assert any(g.subjects(RDF.type, SH.ValidationReport))


def test_validate_form_gives_html(client):
    r = client.post("/validate", data={"data": BAD.decode(), "format": "turtle"},
                    headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'data-conforms="false"' in r.text
    assert r.headers.get("cache-control") == "no-store"


def test_validate_limits_and_errors(client):
    big = b"# " + b"x" * (1024 * 1024 + 100_000) + b"\n"
    r = client.post("/validate", content=big, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 413
    r = client.post("/validate", content=b"<a> <b> .", headers={
        "Content-Type": "text/turtle", "Accept": "application/json"})
    assert r.status_code == 400
    assert "does not parse" in r.json()["error"]
    r = client.post("/validate", content=b"", headers={"Content-Type": "text/turtle"})
    assert r.status_code == 400


def test_json_twins(client):
    home = client.get("/index.json").json()
    assert home["counts"]["conflicts"] >= 1 and home["counts"]["quotations"] >= 3
    assert len(home["examples"]) >= 1
    article = client.get("/article.json").json()
    text = article["text"]
    for span in article["spans"]:
        assert text[span["start"]:span["end"]] == span["exact"], span["id"]
    timeline = client.get("/timeline.json").json()
    assert timeline["events"]
    assert client.get("/diagram/minusma.json").json()["edges"]


def test_entity_pages_link_locally(client):
    r = client.get("/id/minusma", headers={"Accept": "text/html"})
    assert r.status_code == 200
    # Data IRIs are shown, but every link to one points at this server.
    assert 'href="https://w3id.org/mali-kg/' not in r.text
    assert 'href="/id/' in r.text and 'href="/article?span=' in r.text
    # External identifiers are links out, marked as such.
    assert 'href="http://www.wikidata.org/entity/' not in r.text  # MINUSMA has none
    mali = client.get("/id/mali", headers={"Accept": "text/html"}).text
    assert 'href="http://www.wikidata.org/entity/Q912" rel="external"' in mali
    assert 'href="https://sws.geonames.org/2453866/" rel="external"' in mali


def test_unknown_pages(client):
    assert client.get("/diagram/no-such-thing").status_code == 404
    assert client.get("/examples/no-such-example").status_code == 404
    r = client.get("/article?span=no-such-span")
    assert r.status_code == 200 and "seg hl" not in r.text
