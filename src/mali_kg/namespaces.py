"""The project's IRIs and the prefixes it uses, in one place."""

from __future__ import annotations

BASE = "https://w3id.org/mali-kg/"
ONTOLOGY = BASE + "ontology"
MK = ONTOLOGY + "#"
ID = BASE + "id/"
SHAPES = BASE + "shapes"
SH_MK = SHAPES + "#"
DATASET = BASE + "dataset"

# Named graphs the bundled files are loaded into; the default graph is their union.
GRAPH_DATA = BASE + "graph/data"
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_SHAPES = BASE + "graph/shapes"
GRAPH_VOID = BASE + "graph/void"

PREFIXES: dict[str, str] = {
    "mk": MK,
    "id": ID,
    "mksh": SH_MK,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": "http://www.wikidata.org/entity/",
    # The GeoNames ontology, as the prefix is conventionally bound; GeoNames features
    # (https://sws.geonames.org/<id>/) are written as full IRIs.
    "gn": "http://www.geonames.org/ontology#",
}


# Namespaces by name, for code that writes IRIs (``ns.RDF + "type"``).
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]
OA = PREFIXES["oa"]
PROV = PREFIXES["prov"]
VOID = PREFIXES["void"]
# Used only by the service description, so not among the prefixes every document declares.
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"

XSD_STRING = XSD + "string"


def curie(iri: str) -> str:
    """``prefix:local`` for display when a known prefix covers ``iri``, else the IRI itself."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri


def compact(iri: str) -> str:
    """``prefix:local`` when a known prefix covers ``iri`` with a plain local name, or ``<iri>``."""
    for prefix, base in PREFIXES.items():
        local = iri[len(base):]
        if iri.startswith(base) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def sparql_prologue(names: list[str] | None = None) -> str:
    """PREFIX declarations for ``names`` (all known prefixes when None)."""
    chosen = PREFIXES if names is None else {n: PREFIXES[n] for n in names}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in chosen.items())
