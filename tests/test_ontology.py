"""Checks over the real ontology file, ontology/mali-kg.ttl.

Every check here fails when it finds nothing to check: the file, the model page and the term
lists are all asserted to be non-empty before they are looped over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "mali-kg.ttl"
MODEL_DOC = ROOT / "docs" / "model.md"

ONTOLOGY = URIRef("https://w3id.org/mali-kg/ontology")
MK_NS = "https://w3id.org/mali-kg/ontology#"
MK = Namespace(MK_NS)
VANN = Namespace("http://purl.org/vocab/vann/")

# Namespaces the ontology may draw on. Anything else is a typo or an unreviewed dependency.
ALLOWED_NAMESPACES = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "eli-dl": "http://data.europa.eu/eli/eli-draft-legislation-ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}

# IRIs outside every vocabulary namespace that the header may point to.
ALLOWED_OTHER_IRIS = {
    "https://w3id.org/mali-kg/ontology",
    "https://w3id.org/mali-kg/ontology/0.1.0",
    "https://creativecommons.org/licenses/by/4.0/",
}

# Every external term the ontology uses for alignment or typing, each checked to exist in its
# vocabulary. Adding an alignment means checking the term and adding it here.
KNOWN_EXTERNAL_TERMS = {
    "dct:creator",
    "dct:date",
    "dct:description",
    "dct:license",
    "dct:modified",
    "dct:title",
    "eli:LegalResource",
    "eli:id_local",
    "eli:is_about",
    "eli:number",
    "eli-dl:Decision",
    "eli-dl:participation_in_name_of",
    "eli-dl:participation_role",
    "eli-dl:was_motivated_by",
    "foaf:Agent",
    "foaf:Group",
    "foaf:Person",
    "oa:SpecificResource",
    "org:Organization",
    "org:OrganizationalUnit",
    "org:Post",
    "org:holds",
    "org:postIn",
    "org:subOrganizationOf",
    "prov:Activity",
    "prov:Agent",
    "prov:Entity",
    "prov:actedOnBehalfOf",
    "prov:wasAssociatedWith",
    "prov:wasAttributedTo",
    "prov:wasDerivedFrom",
    "prov:generated",
    "prov:wasInformedBy",
    "prov:wasQuotedFrom",
    "schema:Claim",
    "schema:Country",
    "schema:CreativeWork",
    "schema:Legislation",
    "schema:NewsArticle",
    "schema:Person",
    "schema:Place",
    "schema:Quotation",
    "schema:about",
    "schema:author",
    "schema:citation",
    "schema:containedInPlace",
    "schema:creator",
    "schema:endDate",
    "schema:foundingDate",
    "schema:honorificPrefix",
    "schema:legislationIdentifier",
    "schema:mentions",
    "schema:recipient",
    "schema:startDate",
    "schema:text",
    "sem:Event",
    "sem:View",
    "sem:accordingTo",
    "time:Interval",
    "time:hasTime",
}

# Properties deliberately left without domain and range. Empty today: every property in
# docs/model.md constrains at least one end. Add a property here only with a reason.
OPEN_PROPERTIES: frozenset[URIRef] = frozenset()

# Terms the data needs that docs/model.md does not list yet. mk:mandateTerminatedAsOf is the
# property the conflicting mandate-end claims give a value for (mk:claimProperty). Remove a term
# from here once docs/model.md names it.
NOT_YET_IN_MODEL_DOC: set[str] = set()

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4) with rdfs:Literal: the only
# datatypes an OWL 2 DL ontology may name. xsd:date and rdf:langString are not among them.
# fmt: off
OWL2_XSD_DATATYPES = (
    "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
    "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
    "dateTime", "dateTimeStamp",
)
# fmt: on
OWL2_DATATYPES = {
    RDFS.Literal,
    OWL.real,
    OWL.rational,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    *(XSD[name] for name in OWL2_XSD_DATATYPES),
}

# Datatypes a datatype property may range over.
DATATYPE_RANGES = {
    XSD.string,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.boolean,
    XSD.language,
    RDF.PlainLiteral,
    RDFS.Literal,
}

# Properties whose values are xsd:date literals. OWL 2 has no xsd:date, so their OWL range is
# rdfs:Literal and the shapes require xsd:date (docs/decisions/0011-owl2-dl-ontology.md).
DATE_PROPERTIES = {
    MK.date,
    MK.establishedOn,
    MK.mandateTerminatedAsOf,
    MK.deadline,
    MK.startDate,
    MK.endDate,
}
# Properties whose values are language-tagged strings: OWL range rdf:PlainLiteral, and the shapes
# require rdf:langString.
LANGUAGE_STRING_PROPERTIES = {
    MK.objective,
    MK.wordsAsPrinted,
    MK.officialWording,
    MK.quotedText,
    MK.statedAs,
}
SHAPES_FILE = ROOT / "shapes" / "mali-kg.shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
# Vocabularies whose terms OWL 2 reserves: outside the datatype map, none may be an axiom's class,
# property or datatype.
RESERVED_NAMESPACES = tuple(ALLOWED_NAMESPACES[p] for p in ("owl", "rdf", "rdfs", "xsd"))
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}

SECTIONS = [
    "Header",
    "Classes",
    "Object properties",
    "Datatype properties",
    "Individuals",
    "External terms",
]
SECTION_OF_TYPE = {
    "owl:Class": "Classes",
    "owl:ObjectProperty": "Object properties",
    "owl:DatatypeProperty": "Datatype properties",
    "owl:NamedIndividual": "Individuals",
    "skos:ConceptScheme": "Individuals",
}


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    assert len(g) > 0, f"{ONTOLOGY_FILE} parsed to an empty graph"
    return g


@pytest.fixture(scope="module")
def model_text() -> str:
    assert MODEL_DOC.is_file(), f"{MODEL_DOC} is missing: the ontology is checked against it"
    return MODEL_DOC.read_text(encoding="utf-8")


def curie(iri: URIRef) -> str:
    text = str(iri)
    if text.startswith(MK_NS):
        return "mk:" + text[len(MK_NS) :]
    for prefix, ns in ALLOWED_NAMESPACES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def mk_terms(g: Graph, rdf_type: URIRef) -> list[URIRef]:
    terms = sorted(
        s
        for s in g.subjects(RDF.type, rdf_type)
        if isinstance(s, URIRef) and str(s).startswith(MK_NS)
    )
    assert terms, f"no mk: term of type {curie(rdf_type)} found"
    return terms


def classes(g: Graph) -> list[URIRef]:
    return mk_terms(g, OWL.Class)


def properties(g: Graph) -> list[URIRef]:
    return sorted(set(mk_terms(g, OWL.ObjectProperty)) | set(mk_terms(g, OWL.DatatypeProperty)))


def individuals(g: Graph) -> list[URIRef]:
    return mk_terms(g, OWL.NamedIndividual)


def all_iris(g: Graph) -> Iterator[URIRef]:
    for triple in g:
        for node in triple:
            if isinstance(node, URIRef):
                yield node


def model_names(text: str) -> set[str]:
    return set(re.findall(r"`(mk:[A-Za-z][A-Za-z0-9]*)`", text))


def table_names(text: str, heading: str) -> set[str]:
    """The mk: names in the first column of the table under a `## heading`."""
    section = text.split(f"## {heading}", 1)
    assert len(section) == 2, f"docs/model.md has no '## {heading}' section"
    body = section[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in body.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`(mk:[A-Za-z][A-Za-z0-9]*)`", first_cell))
    assert names, f"no mk: names found in the '{heading}' table of docs/model.md"
    return names


# --- parsing ----------------------------------------------------------------------------------


def test_parses_with_rdflib(graph: Graph) -> None:
    assert len(graph) > 500


def test_parses_with_oxigraph_to_the_same_number_of_triples(graph: Graph) -> None:
    with ONTOLOGY_FILE.open("rb") as handle:
        quads = list(pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graph)


def test_loads_into_an_oxigraph_store() -> None:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    assert store.query(
        "ASK { ?c a <http://www.w3.org/2002/07/owl#Class> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    )


# --- header -----------------------------------------------------------------------------------


def test_header(graph: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    version_info = graph.value(ONTOLOGY, OWL.versionInfo)
    assert version_info is not None, "owl:versionInfo is missing"
    assert graph.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/{version_info}")
    assert graph.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(ONTOLOGY, DCTERMS.creator) is not None, "dct:creator is missing"
    modified = graph.value(ONTOLOGY, DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.datatype == XSD.date
    assert graph.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("mk")
    assert str(graph.value(ONTOLOGY, VANN.preferredNamespaceUri)) == MK_NS


def test_version_matches_the_package(graph: Graph) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"', pyproject, re.MULTILINE)
    assert match, "no version in pyproject.toml"
    assert str(graph.value(ONTOLOGY, OWL.versionInfo)) == match.group(1)


@pytest.mark.parametrize("prop", [DCTERMS.title, DCTERMS.description])
def test_header_text_in_english_and_french(graph: Graph, prop: URIRef) -> None:
    languages = sorted(o.language for o in graph.objects(ONTOLOGY, prop))
    assert languages == ["en", "fr"], f"{curie(prop)} needs one @en and one @fr value"


# --- every term is documented -----------------------------------------------------------------


def test_term_counts(graph: Graph) -> None:
    assert len(classes(graph)) >= 20
    assert len(properties(graph)) >= 40
    assert len(individuals(graph)) == 3


def documented_terms(g: Graph) -> list[URIRef]:
    return classes(g) + properties(g) + individuals(g) + [MK.BasisScheme]


def test_each_term_has_one_english_and_one_french_label(graph: Graph) -> None:
    problems = []
    for term in documented_terms(graph):
        langs = sorted(str(o.language) for o in graph.objects(term, RDFS.label))
        if langs != ["en", "fr"]:
            problems.append(f"{curie(term)}: rdfs:label languages {langs}")
    assert not problems, "each term needs exactly one @en and one @fr rdfs:label:\n" + "\n".join(
        problems
    )


def test_each_term_has_an_english_definition(graph: Graph) -> None:
    problems = []
    for term in documented_terms(graph):
        langs = [o.language for o in graph.objects(term, SKOS.definition)]
        if langs.count("en") != 1 or len(langs) != len(set(langs)):
            problems.append(f"{curie(term)}: skos:definition languages {langs}")
    assert not problems, (
        "each term needs one skos:definition@en (and at most one per language):\n"
        + "\n".join(problems)
    )


def test_each_term_is_defined_by_the_ontology(graph: Graph) -> None:
    missing = [
        curie(t)
        for t in documented_terms(graph)
        if list(graph.objects(t, RDFS.isDefinedBy)) != [ONTOLOGY]
    ]
    assert not missing, f"add rdfs:isDefinedBy <{ONTOLOGY}> to: {missing}"


# --- classes ----------------------------------------------------------------------------------


def test_each_class_is_aligned_outside_mk(graph: Graph) -> None:
    def aligned(cls: URIRef, seen: frozenset[URIRef] = frozenset()) -> bool:
        for parent in graph.objects(cls, RDFS.subClassOf):
            if not isinstance(parent, URIRef) or parent in seen:
                continue
            if not str(parent).startswith(MK_NS) or aligned(parent, seen | {cls}):
                return True
        return False

    unaligned = [curie(c) for c in classes(graph) if not aligned(c)]
    assert not unaligned, f"subclass these of a standard class (directly or via mk:): {unaligned}"


def test_class_hierarchy_from_the_model(graph: Graph) -> None:
    expected = {
        "Person": "Actor",
        "Body": "Actor",
        "Government": "Body",
        "Mission": "Body",
        "Group": "Actor",
        "State": "Actor",
        "Reason": "Proposition",
        "Appreciation": "Proposition",
        "Commitment": "Proposition",
        "Assessment": "Proposition",
        "Statement": "Quotation",
    }
    for child, parent in expected.items():
        assert (MK[child], RDFS.subClassOf, MK[parent]) in graph, f"mk:{child} ⊑ mk:{parent}"
    assert (MK.State, RDFS.subClassOf, MK.Place) in graph


# --- properties -------------------------------------------------------------------------------


def test_no_property_is_both_object_and_datatype(graph: Graph) -> None:
    both = set(mk_terms(graph, OWL.ObjectProperty)) & set(mk_terms(graph, OWL.DatatypeProperty))
    assert not both, f"declared both object and datatype property: {sorted(map(curie, both))}"


def test_each_property_has_a_domain_or_a_range(graph: Graph) -> None:
    unconstrained = [
        curie(p)
        for p in properties(graph)
        if p not in OPEN_PROPERTIES
        and graph.value(p, RDFS.domain) is None
        and graph.value(p, RDFS.range) is None
    ]
    assert not unconstrained, (
        f"give these a domain or a range, or list them in OPEN_PROPERTIES: {unconstrained}"
    )


def test_open_properties_are_really_open(graph: Graph) -> None:
    for prop in OPEN_PROPERTIES:
        assert prop in properties(graph), f"{curie(prop)} in OPEN_PROPERTIES is not a property"
        assert graph.value(prop, RDFS.domain) is None and graph.value(prop, RDFS.range) is None


def test_datatype_properties_range_over_datatypes(graph: Graph) -> None:
    for prop in mk_terms(graph, OWL.DatatypeProperty):
        rng = graph.value(prop, RDFS.range)
        assert rng in DATATYPE_RANGES, f"{curie(prop)} has range {rng}: expected a datatype"


def test_object_properties_do_not_range_over_datatypes(graph: Graph) -> None:
    for prop in mk_terms(graph, OWL.ObjectProperty):
        rng = graph.value(prop, RDFS.range)
        assert rng not in DATATYPE_RANGES, f"{curie(prop)} is an object property with range {rng}"


def test_claim_properties(graph: Graph) -> None:
    assert (MK.claimSubject, RDF.type, OWL.ObjectProperty) in graph
    assert (MK.claimProperty, RDF.type, OWL.ObjectProperty) in graph
    # Its values are property IRIs; rdf:Property cannot be an OWL 2 DL class.
    assert graph.value(MK.claimProperty, RDFS.range) is None
    assert (MK.claimedValue, RDF.type, OWL.DatatypeProperty) in graph
    assert graph.value(MK.claimedValue, RDFS.range) == RDFS.Literal
    assert (MK.conflictsWith, RDF.type, OWL.SymmetricProperty) in graph
    # The link to RDF reification is a mapping, not an axiom on reserved vocabulary.
    for term, rdf_term in (
        (MK.claimSubject, RDF.subject),
        (MK.claimProperty, RDF.predicate),
        (MK.claimedValue, RDF.object),
        (MK.Fact, RDF.Statement),
    ):
        assert (term, SKOS.broadMatch, rdf_term) in graph, (
            f"{curie(term)} needs skos:broadMatch {curie(rdf_term)}"
        )


def test_union_domains_and_ranges_list_mk_classes(graph: Graph) -> None:
    unions = list(graph.subject_objects(OWL.unionOf))
    assert unions, "expected owl:unionOf domains and ranges (docs/model.md has X/Y domains)"
    known = set(classes(graph))
    for _, head in unions:
        members = list(Collection(graph, head))
        assert len(members) >= 2
        assert all(m in known for m in members), f"union of unknown classes: {members}"


# --- individuals ------------------------------------------------------------------------------


def test_basis_individuals(graph: Graph) -> None:
    expected = {MK.StatedInArticle, MK.FromPrimarySource, MK.Inferred}
    assert set(graph.subjects(RDF.type, MK.Basis)) == expected
    assert (MK.BasisScheme, RDF.type, SKOS.ConceptScheme) in graph
    for term in expected:
        assert (term, RDF.type, SKOS.Concept) in graph
        assert (term, SKOS.inScheme, MK.BasisScheme) in graph
        assert (MK.BasisScheme, SKOS.hasTopConcept, term) in graph


# --- agreement with docs/model.md -------------------------------------------------------------


def test_model_names_at_least_forty_terms(model_text: str) -> None:
    assert len(model_names(model_text)) >= 40


def test_every_term_in_the_model_exists(graph: Graph, model_text: str) -> None:
    declared = {curie(s) for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    missing = sorted(model_names(model_text) - declared)
    assert not missing, f"named in docs/model.md but not declared in the ontology: {missing}"


def test_model_classes_are_classes(graph: Graph, model_text: str) -> None:
    declared = {curie(c) for c in classes(graph)}
    missing = sorted(table_names(model_text, "Classes") - declared)
    assert not missing, f"in the Classes table of docs/model.md but not owl:Class: {missing}"


def test_model_properties_are_properties(graph: Graph, model_text: str) -> None:
    declared = {curie(p) for p in properties(graph)}
    missing = sorted(table_names(model_text, "Properties") - declared)
    assert not missing, f"in the Properties table of docs/model.md but not a property: {missing}"


def test_every_class_and_property_is_in_the_model(graph: Graph, model_text: str) -> None:
    names = model_names(model_text)
    undocumented = sorted(
        {curie(t) for t in classes(graph) + properties(graph)} - names - NOT_YET_IN_MODEL_DOC
    )
    assert not undocumented, f"add these to docs/model.md: {undocumented}"
    now_documented = sorted(NOT_YET_IN_MODEL_DOC & names)
    assert not now_documented, (
        f"docs/model.md names these now: drop them from the list: {now_documented}"
    )
    declared = {curie(p) for p in properties(graph)}
    assert declared >= NOT_YET_IN_MODEL_DOC, "NOT_YET_IN_MODEL_DOC lists an undeclared term"


# --- IRIs -------------------------------------------------------------------------------------


def test_every_iri_is_from_an_allowed_namespace(graph: Graph) -> None:
    namespaces = (MK_NS, *ALLOWED_NAMESPACES.values())
    stray = sorted(
        {
            str(i)
            for i in all_iris(graph)
            if str(i) not in ALLOWED_OTHER_IRIS and not str(i).startswith(namespaces)
        }
    )
    assert not stray, f"IRIs outside the allowed namespaces (typo? http vs https?): {stray}"


def test_every_external_term_is_known(graph: Graph) -> None:
    builtin = tuple(ALLOWED_NAMESPACES[p] for p in ("owl", "rdf", "rdfs", "xsd", "skos", "vann"))
    external = {
        curie(i)
        for i in all_iris(graph)
        if not str(i).startswith((MK_NS, *builtin)) and str(i) not in ALLOWED_OTHER_IRIS
    }
    assert external, "expected alignments to external vocabularies"
    unknown = sorted(external - KNOWN_EXTERNAL_TERMS)
    assert not unknown, f"check these terms exist, then add them to KNOWN_EXTERNAL_TERMS: {unknown}"


def test_every_mk_iri_used_is_declared(graph: Graph) -> None:
    declared = {s for s in graph.subjects(RDF.type, None)}
    used = {i for i in all_iris(graph) if str(i).startswith(MK_NS)}
    assert used
    undeclared = sorted(curie(i) for i in used - declared)
    assert not undeclared, f"mk: IRIs used but never declared (typo?): {undeclared}"


# --- OWL 2 DL ---------------------------------------------------------------------------------
# tests/test_owl_reasoner.py runs HermiT and the OWL API's OWL 2 DL profile check; these are the
# rules that most often break, checked on the graph alone.

AXIOM_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.equivalentProperty,
)


def axiom_terms(g: Graph) -> set[URIRef]:
    """The IRIs the ontology's axioms name: the ends of each axiom and the members of unions."""
    terms = {
        node
        for p in AXIOM_PREDICATES
        for pair in g.subject_objects(p)
        for node in pair
        if isinstance(node, URIRef)
    }
    for _, head in g.subject_objects(OWL.unionOf):
        terms |= {m for m in Collection(g, head) if isinstance(m, URIRef)}
    return terms


def external_terms_used(g: Graph) -> set[URIRef]:
    """Terms of other vocabularies used as classes or properties (reserved ones aside)."""
    used = set(g.predicates()) | set(g.objects(None, RDF.type)) | axiom_terms(g)
    return {
        i
        for i in used
        if isinstance(i, URIRef) and not str(i).startswith((MK_NS, *RESERVED_NAMESPACES))
    }


def test_datatypes_are_in_the_owl2_datatype_map(graph: Graph) -> None:
    assert DATATYPE_RANGES <= OWL2_DATATYPES
    ranges = {graph.value(p, RDFS.range) for p in mk_terms(graph, OWL.DatatypeProperty)}
    named = (ranges - {None}) | set(graph.subjects(RDF.type, RDFS.Datatype))
    outside = sorted(curie(d) for d in named if d not in OWL2_DATATYPES)
    assert not outside, (
        f"datatypes outside the OWL 2 datatype map (OWL 2 reasoners reject or misread them): "
        f"{outside}"
    )


def test_axioms_name_no_reserved_vocabulary(graph: Graph) -> None:
    reserved = sorted(
        curie(i)
        for i in axiom_terms(graph)
        if str(i).startswith(RESERVED_NAMESPACES) and i not in OWL2_DATATYPES | {OWL.Thing}
    )
    assert not reserved, (
        f"OWL 2 DL reserves these; map to them with skos:broadMatch instead: {reserved}"
    )


def test_every_external_term_is_declared_once(graph: Graph) -> None:
    used = external_terms_used(graph)
    assert used, "expected terms of other vocabularies"
    problems = []
    for term in sorted(used):
        kinds = sorted(curie(k) for k in set(graph.objects(term, RDF.type)) & DECLARATION_TYPES)
        if len(kinds) != 1:
            problems.append(f"{curie(term)}: declared as {kinds}")
    assert not problems, (
        "declare each as exactly one of owl:Class, owl:ObjectProperty, owl:DatatypeProperty, "
        "owl:AnnotationProperty (section External terms):\n" + "\n".join(problems)
    )
    declared = {
        s
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef)
        and not str(s).startswith(MK_NS)
        and str(s) not in ALLOWED_OTHER_IRIS
    }
    unused = sorted(curie(t) for t in declared - used)
    assert not unused, f"declared but not used: {unused}"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph().parse(SHAPES_FILE, format="turtle")
    assert len(g) > 0, f"{SHAPES_FILE} parsed to an empty graph"
    return g


def required_datatypes(shapes: Graph, prop: URIRef) -> set:
    return {shapes.value(s, SH.datatype) for s in shapes.subjects(SH.path, prop)} - {None}


def test_date_properties_are_literals_in_owl_and_xsd_date_in_the_shapes(
    graph: Graph, shapes: Graph
) -> None:
    literal_ranged = {
        p
        for p in mk_terms(graph, OWL.DatatypeProperty)
        if graph.value(p, RDFS.range) == RDFS.Literal
    }
    assert literal_ranged == DATE_PROPERTIES | {MK.claimedValue}, (
        "a property ranging over rdfs:Literal is a date property (or mk:claimedValue): "
        f"{sorted(map(curie, literal_ranged))}"
    )
    claimed_dates = [str(q) for q in shapes.objects(None, SH.select) if "!= xsd:date" in str(q)]
    assert len(claimed_dates) == 1, "expected one check of the datatype of claimed dates"
    for prop in sorted(DATE_PROPERTIES):
        assert XSD.date in required_datatypes(shapes, prop), (
            f"no shape requires xsd:date on {curie(prop)}"
        )
        assert curie(prop) in claimed_dates[0], (
            f"a date claimed for {curie(prop)} is not checked to be an xsd:date"
        )
        assert "xsd:date" in " ".join(graph.objects(prop, SKOS.note)), (
            f"{curie(prop)} needs a skos:note saying its values are xsd:date literals"
        )


def test_language_strings_are_plain_literals_in_owl_and_lang_strings_in_the_shapes(
    graph: Graph, shapes: Graph
) -> None:
    plain = {
        p
        for p in mk_terms(graph, OWL.DatatypeProperty)
        if graph.value(p, RDFS.range) == RDF.PlainLiteral
    }
    assert plain == LANGUAGE_STRING_PROPERTIES, sorted(map(curie, plain))
    for prop in sorted(plain):
        assert RDF.langString in required_datatypes(shapes, prop), (
            f"no shape requires rdf:langString on {curie(prop)}"
        )


# --- layout -----------------------------------------------------------------------------------


def test_layout_groups_terms_by_kind() -> None:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    positions = []
    for name in SECTIONS:
        match = re.search(rf"^# {name}$", text, re.MULTILINE)
        assert match, f"section banner '# {name}' is missing"
        positions.append(match.start())
    assert positions == sorted(positions), f"sections must come in the order {SECTIONS}"

    blocks = list(re.finditer(r"^(mk:\w+)\n    a ([\w:]+)", text, re.MULTILINE))
    assert len(blocks) >= 60
    subjects = [b.group(1) for b in blocks]
    assert len(subjects) == len(set(subjects)), "a term is described in more than one block"
    for block in blocks:
        section = SECTIONS[sum(p <= block.start() for p in positions) - 1]
        assert section == SECTION_OF_TYPE[block.group(2)], (
            f"{block.group(1)} ({block.group(2)}) sits under '# {section}'"
        )
