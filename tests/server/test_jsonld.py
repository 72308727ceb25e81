"""JSON-LD: the project's context, compacted documents by default, expanded on request.

Every JSON-LD document the server writes is read back twice, with pyld (JSON-LD 1.1, a
document loader that serves the context this server publishes and refuses every other URL)
and with rdflib (the context inlined), and must give exactly the triples of the N-Triples
representation of the same resource.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld
from rdflib import Graph, URIRef

from mali_kg import jsonld, resources, store
from mali_kg import namespaces as ns
from mali_kg.formats import RdfFormat
from mali_kg.negotiation import jsonld_profiles
from mali_kg.server.results import write_triples

from .helpers import CONSTRUCT_QUERY, DESCRIBE_QUERY

# Runs against the embedded store and in front of Oxigraph server and Virtuoso.
pytestmark = pytest.mark.backends

CONTEXT_IRI = "https://w3id.org/mali-kg/context.jsonld"
COMPACTED = "http://www.w3.org/ns/json-ld#compacted"
EXPANDED = "http://www.w3.org/ns/json-ld#expanded"
JSONLD = "application/ld+json"
RDF_TYPE, RDFS_RANGE = URIRef(ns.RDF + "type"), URIRef(ns.RDFS + "range")
XSD_DATE, XSD_GYEAR = ns.XSD + "date", ns.XSD + "gYear"
ASK = {
    "default": JSONLD,
    "compacted": f'{JSONLD};profile="{COMPACTED}"',
    "expanded": f'{JSONLD};profile="{EXPANDED}"',
}
# Resources of each kind: a mission, a resolution, a claim, an anchor (span), the dataset.
RESOURCES = ["/id/minusma", "/id/resolution-2690", "/id/claim-mandate-end-article",
             "/id/span/mandate-end-july-1", "/dataset"]
DOCUMENTS = ["/ontology", "/shapes", "/graph/void"]


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def served_context(client) -> dict:
    r = client.get("/context.jsonld")
    assert r.status_code == 200
    return r.json()


@pytest.fixture(scope="module")
def loader(served_context):
    """A pyld document loader: our context, from this server; anything else refused."""
    requested: list[str] = []

    def load(url, options=None):
        requested.append(url)
        if url != CONTEXT_IRI:
            raise pyld.JsonLdError(f"refused to load {url}", "loading document failed")
        return {"contentType": JSONLD, "contextUrl": None, "documentUrl": url,
                "document": served_context}

    load.requested = requested
    return load


def contexts(doc) -> list:
    """Every @context value anywhere in a JSON document."""
    found, stack = [], [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@context" in node:
                found.append(node["@context"])
            stack.extend(node.values())
    return found


def by_pyld(body: bytes, loader) -> Graph:
    nquads = pyld.to_rdf(json.loads(body), {"format": "application/n-quads",
                                            "documentLoader": loader})
    return Graph().parse(data=nquads, format="nt")


def by_rdflib(body: bytes, served_context: dict) -> Graph:
    doc = json.loads(body)
    assert all(c == CONTEXT_IRI for c in contexts(doc)), "only our context is referenced"
    if isinstance(doc, dict) and doc.get("@context") == CONTEXT_IRI:
        doc["@context"] = served_context["@context"]  # rdflib would fetch it; never here
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def reference(client, path: str, accept: str = "application/n-triples") -> Graph:
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 200
    return Graph().parse(data=r.content, format="nt")


def canonical(graph: Graph) -> set[ox.Quad]:
    """``graph``'s triples with its blank nodes relabelled by RDFC-1.0 (pyoxigraph): two
    graphs are isomorphic exactly when these sets are equal."""
    dataset = ox.Dataset(ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                  ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def assert_same_triples(body: bytes, expected: Graph, loader, served_context) -> None:
    """Both readers give a graph isomorphic to ``expected``."""
    assert len(expected) > 0
    want = canonical(expected)
    for read in (by_pyld(body, loader), by_rdflib(body, served_context)):
        assert len(read) == len(expected)
        assert canonical(read) == want


def assert_compacted(r: httpx.Response) -> dict:
    assert r.headers["content-type"] == f'{JSONLD}; profile="{COMPACTED}"; charset=utf-8'
    assert '</context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"' in r.headers["link"]
    doc = r.json()
    assert doc["@context"] == CONTEXT_IRI
    assert contexts(doc["@graph"]) == []
    for node in doc["@graph"]:
        assert not node["@id"].startswith((ns.ID, ns.MK)), "resources are compact IRIs"
        for key in node:
            assert not key.startswith(ns.BASE), f"{key}: mk: properties are short terms"
            assert not key.startswith("mk:") or isinstance(node[key], dict | list), key
        types = node.get("@type", [])
        for t in types if isinstance(types, list) else [types]:
            assert not t.startswith(ns.BASE) and not t.startswith("mk:"), t
    return doc


def assert_expanded(r: httpx.Response) -> None:
    assert r.headers["content-type"] == f'{JSONLD}; profile="{EXPANDED}"; charset=utf-8'
    assert "json-ld#context" not in r.headers.get("link", "")
    doc = r.json()
    assert isinstance(doc, list) and contexts(doc) == []


# --- the context --------------------------------------------------------------------------


def test_context_is_served_with_etag_and_cors(client, served_context):
    r = client.get("/context.jsonld", headers={"Origin": "https://example.org"})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == JSONLD
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.json() == served_context
    again = client.get("/context.jsonld", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert r.content == jsonld.context_bytes()


def test_context_has_every_prefix_and_the_ontology_terms(served_context):
    ctx = served_context["@context"]
    for prefix, iri in ns.PREFIXES.items():
        assert ctx[prefix] == iri
    onto = Graph().parse(resources.ontology_file(), format="turtle")
    mk = lambda iri: str(iri).removeprefix(ns.MK)  # noqa: E731
    def declared(kind: str) -> list:
        return [t for t in onto.subjects(RDF_TYPE, URIRef(ns.OWL + kind))
                if str(t).startswith(ns.MK)]

    classes, objects = declared("Class"), declared("ObjectProperty")
    datatypes = declared("DatatypeProperty")
    assert classes and objects and datatypes
    for c in classes:
        assert ctx[mk(c)] == "mk:" + mk(c)
    for p in objects:
        assert ctx[mk(p)] == {"@id": "mk:" + mk(p), "@type": "@id"}
    typed = 0
    for p in datatypes:
        term = ctx[mk(p)]
        xsd_ranges = [str(r) for r in onto.objects(p, RDFS_RANGE) if str(r).startswith(ns.XSD)]
        if xsd_ranges and xsd_ranges[0] != ns.XSD_STRING:
            typed += 1
            assert isinstance(term, dict) and term["@type"].startswith("xsd:"), p
        if isinstance(term, dict):
            assert term["@id"] == "mk:" + mk(p) and term["@type"] != "xsd:string"
        else:
            assert term == "mk:" + mk(p)
    assert typed >= 5
    assert ctx["date"] == {"@id": "mk:date", "@type": "xsd:date"}, "as the shapes require"


def test_context_expands_with_pyld(loader):
    doc = {"@context": CONTEXT_IRI, "@id": "id:minusma", "@type": "Mission",
           "establishedOn": "2013-04-25", "subOrganizationOf": "id:united-nations",
           "acronym": "MINUSMA", "rdfs:label": {"@value": "MINUSMA", "@language": "en"}}
    [node] = pyld.expand(doc, {"documentLoader": loader})
    minusma = ns.ID + "minusma"
    assert node["@id"] == minusma and node["@type"] == [ns.MK + "Mission"]
    assert node[ns.MK + "establishedOn"] == [{"@type": XSD_DATE, "@value": "2013-04-25"}]
    assert node[ns.MK + "subOrganizationOf"] == [{"@id": ns.ID + "united-nations"}]
    assert node[ns.MK + "acronym"] == [{"@value": "MINUSMA"}]


def test_loader_refuses_other_urls(loader):
    with pytest.raises(pyld.JsonLdError):
        pyld.expand({"@context": "https://example.org/other.jsonld", "@id": "x"},
                    {"documentLoader": loader})


# --- Linked Data descriptions and documents -----------------------------------------------


@pytest.mark.parametrize("path", RESOURCES + DOCUMENTS)
def test_linked_data_jsonld_variants(client, loader, served_context, path):
    expected = reference(client, path + ".nt")
    variants = {
        "accept": client.get(path, headers={"Accept": ASK["default"]}),
        "extension": client.get(path + ".jsonld"),
        "compacted": client.get(path, headers={"Accept": ASK["compacted"]}),
        "expanded": client.get(path, headers={"Accept": ASK["expanded"]}),
        "extension, expanded": client.get(path + ".jsonld",
                                          headers={"Accept": ASK["expanded"]}),
    }
    for name, r in variants.items():
        assert r.status_code == 200, name
        assert "Accept" in r.headers["vary"], name
        if "expanded" in name:
            assert_expanded(r)
        else:
            assert_compacted(r)
    # One body per form, whichever way it is asked for: each is read back once.
    assert variants["accept"].content == variants["extension"].content
    assert variants["compacted"].content == variants["extension"].content
    assert variants["extension, expanded"].content == variants["expanded"].content
    assert variants["expanded"].headers["etag"] != variants["accept"].headers["etag"]
    for name in ("accept", "expanded"):
        assert_same_triples(variants[name].content, expected, loader, served_context)


def test_compacted_description_uses_short_terms(client):
    doc = assert_compacted(client.get("/id/minusma.jsonld"))
    [minusma] = [n for n in doc["@graph"] if n["@id"] == "id:minusma"]
    assert minusma["@type"] == "Mission"
    assert minusma["acronym"] == "MINUSMA"
    assert minusma["establishedOn"] == "2013-04-25"
    assert minusma["subOrganizationOf"] == "id:united-nations"
    assert list(minusma)[:2] == ["@id", "@type"]


def test_profile_negotiation_edge_cases(client):
    both = f'{JSONLD};profile="{EXPANDED}";q=0.5, {JSONLD};profile="{COMPACTED}"'
    assert_compacted(client.get("/id/minusma", headers={"Accept": both}))
    flattened = f'{JSONLD};profile="http://www.w3.org/ns/json-ld#flattened {EXPANDED}"'
    r = client.get("/id/minusma", headers={"Accept": flattened})
    assert r.headers["content-type"].startswith(
        f'{JSONLD}; profile="http://www.w3.org/ns/json-ld#flattened {EXPANDED}"')
    unknown = f'{JSONLD};profile="https://example.org/some-profile"'
    assert_compacted(client.get("/id/minusma", headers={"Accept": unknown}))
    r = client.get("/id/minusma.jsonld", headers={"If-None-Match":
                                                  client.get("/id/minusma.jsonld").headers["etag"]})
    assert r.status_code == 304


# --- the dump -------------------------------------------------------------------------------


def test_dump_compacted_and_expanded(client, loader, served_context):
    expected = reference(client, "/data/mali-kg.nt")
    compacted = client.get("/data/mali-kg.jsonld")
    expanded = client.get("/data/mali-kg.jsonld", headers={"Accept": ASK["expanded"]})
    asked = client.get("/data/mali-kg.jsonld", headers={"Accept": ASK["compacted"]})
    for r in (compacted, expanded, asked):
        assert r.status_code == 200 and "Accept" in r.headers["vary"]
    assert_compacted(compacted)
    assert_expanded(expanded)
    assert asked.content == compacted.content
    for r in (compacted, expanded):
        assert_same_triples(r.content, expected, loader, served_context)
    assert len(compacted.content) < len(expanded.content) * 0.7
    tag = compacted.headers["etag"]
    assert client.get("/data/mali-kg.jsonld", headers={"If-None-Match": tag}).status_code == 304


# --- SPARQL CONSTRUCT and DESCRIBE ----------------------------------------------------------


@pytest.mark.parametrize("query", [CONSTRUCT_QUERY, DESCRIBE_QUERY], ids=["construct",
                                                                           "describe"])
@pytest.mark.parametrize("ask", list(ASK))
def test_sparql_graphs_in_jsonld(client, loader, served_context, query, ask):
    """Expanded by default (a SPARQL client gets the engine's form); whatever is served,
    the Content-Type never names a profile the body does not have, and the triples are the
    N-Triples answer's."""
    expected = reference(client, "/sparql?query=" + quote(query))
    r = client.get("/sparql?query=" + quote(query), headers={"Accept": ASK[ask]})
    assert r.status_code == 200 and "Accept" in r.headers["vary"]
    media = r.headers["content-type"]
    assert media.split(";")[0] == JSONLD
    doc = r.json()
    if isinstance(doc, dict) and "@context" in doc:
        assert doc["@context"] == CONTEXT_IRI
        assert EXPANDED not in media
    else:
        assert contexts(doc) == [] and COMPACTED not in media
        if ask == "default":
            assert isinstance(doc, list)
    if ask != "default":  # the form asked for by profile is the form served
        assert ASK[ask].split("profile=")[1] in media.replace(" ", ""), media
    if ask == "compacted":
        assert doc["@context"] == CONTEXT_IRI
    assert_same_triples(r.content, expected, loader, served_context)


def test_published_jsonld_validates(client):
    """The dump references the published context: validation reads it locally."""
    dump = client.get("/data/mali-kg.jsonld").content
    assert jsonld.CONTEXT_IRI.encode() in dump
    r = client.post("/validate", content=dump, timeout=60,
                    headers={"Content-Type": "application/ld+json", "Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert not [res for res in r.json()["results"] if res["severity"] == "Violation"]


def test_write_triples_compacts_on_request(loader, served_context):
    s = store.open_store()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in s.quads_for_pattern(
        ox.NamedNode(ns.ID + "minusma"), None, None, None)]
    expanded = write_triples(RdfFormat.JSONLD, triples)
    compacted = write_triples(RdfFormat.JSONLD, triples, jsonld_form=jsonld.COMPACTED)
    assert isinstance(json.loads(expanded), list)
    assert json.loads(compacted)["@context"] == CONTEXT_IRI
    expected = by_pyld(expanded, loader)
    assert_same_triples(compacted, expected, loader, served_context)


# --- the writer and the negotiation, without a server ---------------------------------------


def test_what_compaction_cannot_carry_is_written_expanded():
    quoted = ox.Triple(ox.NamedNode(ns.ID + "a"), ox.NamedNode(ns.MK + "concerns"),
                       ox.NamedNode(ns.ID + "b"))
    with pytest.raises(OSError):  # as the engine's writer refuses them
        jsonld.write([ox.Triple(ox.NamedNode(ns.ID + "x"), ox.NamedNode(ns.RDFS + "comment"),
                                quoted)])
    # An IRI whose scheme is a prefix name would be read as a compact IRI.
    body, form = jsonld.write([ox.Triple(ox.NamedNode("mk:odd"),
                                         ox.NamedNode(ns.RDFS + "comment"), ox.Literal("x"))])
    assert form == jsonld.EXPANDED


def test_values_no_term_fits_keep_their_type(loader, served_context):
    """An object property with a literal, a typed term with another datatype, a language
    tag on a typed term: each falls back to a compact IRI key, and reads back the same."""
    s, mk = ox.NamedNode(ns.ID + "x"), ns.MK
    triples = [
        ox.Triple(s, ox.NamedNode(mk + "adoptedBy"), ox.Literal("not an IRI")),
        ox.Triple(s, ox.NamedNode(mk + "date"), ox.Literal("2023", datatype=ox.NamedNode(
            XSD_GYEAR))),
        ox.Triple(s, ox.NamedNode(mk + "date"), ox.Literal("2023-06-30", datatype=ox.NamedNode(
            XSD_DATE))),
        ox.Triple(s, ox.NamedNode(mk + "meetingNumber"), ox.Literal("9365", language="en")),
        ox.Triple(s, ox.NamedNode(mk + "acronym"), ox.NamedNode(ns.ID + "y")),
        ox.Triple(s, ox.NamedNode(mk + "acronym"), ox.BlankNode("b0")),
        ox.Triple(ox.BlankNode("b0"), ox.NamedNode(ns.RDF + "type"), ox.NamedNode(mk + "Claim")),
        ox.Triple(s, ox.NamedNode("http://example.org/p"), ox.Literal("1", datatype=ox.NamedNode(
            "http://example.org/dt"))),
        ox.Triple(s, ox.NamedNode(ns.RDF + "type"), ox.Literal("a literal type")),
    ]
    body, form = jsonld.write(triples)
    assert form == jsonld.COMPACTED
    node = json.loads(body)["@graph"][0]
    assert node["mk:adoptedBy"] == "not an IRI"
    assert node["date"] == "2023-06-30"
    assert node["mk:date"] == {"@value": "2023", "@type": "xsd:gYear"}
    expected = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
                             format="nt")
    assert_same_triples(body, expected, loader, served_context)


def test_jsonld_profiles_from_accept():
    assert jsonld_profiles(None) == ()
    assert jsonld_profiles("text/turtle") == ()
    assert jsonld_profiles(ASK["expanded"]) == (EXPANDED,)
    assert jsonld_profiles(f"{JSONLD}; q=0.9; profile={COMPACTED}") == (COMPACTED,)
    assert jsonld_profiles(f'{JSONLD};profile="{EXPANDED}";q=0.2, {JSONLD}') == ()
    assert jsonld_profiles(f'{JSONLD};profile="{EXPANDED}";q=0, text/turtle') == ()
    assert jsonld_profiles(f'{JSONLD};profile="a {COMPACTED}"') == ("a", COMPACTED)
    assert jsonld.choose_form(("a", EXPANDED, COMPACTED)) == EXPANDED
    assert jsonld.choose_form((), jsonld.EXPANDED) == EXPANDED


def test_export_embeds_the_context_and_loading_reads_a_reference(tmp_path):
    """A file written by `mali-kg export` reads offline; a document that references the
    context (as the server's do) loads without anything being fetched."""
    s = store.open_store()
    exported = json.loads(store.dump(s, RdfFormat.JSONLD))
    assert exported["@context"] == jsonld.context()["@context"]
    served, form = store.dump_jsonld(s, graph=ns.GRAPH_ONTOLOGY)
    assert form == jsonld.COMPACTED and json.loads(served)["@context"] == CONTEXT_IRI
    path = tmp_path / "ontology.jsonld"
    path.write_bytes(served)
    loaded = ox.Store()
    store.load_file(loaded, path, graph=ns.GRAPH_ONTOLOGY)
    original = set(s.quads_for_pattern(None, None, None, ox.NamedNode(ns.GRAPH_ONTOLOGY)))
    assert len(loaded) == len(original)
    assert jsonld.inline_context(b"not json " + CONTEXT_IRI.encode()).startswith(b"not json")
