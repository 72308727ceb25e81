"""Raptor's ``rapper`` (Debian's ``raptor2-utils``), a parser nobody on this project wrote,
reads every RDF document the server writes — dumps, Linked Data descriptions, the ontology and
shapes, CONSTRUCT and DESCRIBE results, the service description and VoID — and finds as many
triples (or quads) as rdflib does."""

from __future__ import annotations

import shutil
import subprocess

import httpx
import pytest
from rdflib import Dataset, Graph

from .helpers import CONSTRUCT_QUERY, DESCRIBE_QUERY

RAPPER_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "ntriples",
                 "application/rdf+xml": "rdfxml", "application/trig": "trig",
                 "application/n-quads": "nquads"}
RDFLIB_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "nt",
                 "application/rdf+xml": "xml", "application/trig": "trig",
                 "application/n-quads": "nquads"}
DOCUMENTS = [
    *[("/data/mali-kg." + ext, None) for ext in ("ttl", "nt", "rdf", "trig", "nq")],
    *[("/id/minusma." + ext, None) for ext in ("ttl", "nt", "rdf")],
    *[("/ontology", media) for media in ("text/turtle", "application/rdf+xml")],
    *[("/shapes", media) for media in ("text/turtle", "application/n-triples")],
    *[("/sparql", media) for media in ("text/turtle", "application/rdf+xml")],
    *[("/.well-known/void", media) for media in ("text/turtle", "application/n-triples")],
]
QUERIES = [(query, media) for query in (CONSTRUCT_QUERY, DESCRIBE_QUERY)
           for media in RAPPER_SYNTAX]


@pytest.fixture(scope="module")
def rapper():
    found = shutil.which("rapper")
    assert found, "Raptor is needed for this test: install Debian's raptor2-utils."

    def count(body: bytes, media: str, base: str) -> int:
        out = subprocess.run([found, "-c", "-i", RAPPER_SYNTAX[media], "-", base],
                             input=body, capture_output=True, timeout=60)
        report = out.stderr.decode()
        assert out.returncode == 0 and "error" not in report.lower(), report[-1000:]
        return int(report.split("Parsing returned")[1].split()[0])  # "… returned N triples"

    return count


def rdflib_count(body: bytes, media: str) -> int:
    if media in ("application/trig", "application/n-quads"):
        return len(list(Dataset().parse(data=body, format=RDFLIB_SYNTAX[media]).quads()))
    return len(Graph().parse(data=body, format=RDFLIB_SYNTAX[media]))


def check(rapper, response: httpx.Response) -> None:
    assert response.status_code == 200, response.text[:300]
    media = response.headers["content-type"].split(";")[0]
    assert rapper(response.content, media, str(response.url)) == \
        rdflib_count(response.content, media) > 0


@pytest.mark.parametrize("path,media", DOCUMENTS,
                         ids=[f"{p}-{m or 'ext'}" for p, m in DOCUMENTS])
def test_rapper_reads_every_document(rapper, server_url, path, media):
    check(rapper, httpx.get(server_url + path, headers={"Accept": media} if media else {}))


@pytest.mark.parametrize("query,media", QUERIES,
                         ids=[f"{q.split()[0].lower()}-{m}" for q, m in QUERIES])
def test_rapper_reads_every_query_result(rapper, server_url, query, media):
    check(rapper, httpx.post(server_url + "/sparql", data={"query": query},
                             headers={"Accept": media}))
