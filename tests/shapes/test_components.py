"""One case per SHACL Core constraint component, path kind and target kind, in the spirit of
the W3C SHACL test suite (``core/``): small shapes and data, and the validation results SHACL
requires, written out. Both engines must give exactly those results (focus node, path, value,
component; severity and source shape where the case names them).

Terms are written with ``ex:`` (``http://example.org/``); a value ``_:`` is any blank node.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from mali_kg import shacl_sparql
from mali_kg.validate import Report, validate_graph

logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # ill-typed literals, on purpose

PROLOGUE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""

# name: (shapes, data, expected results as (focus, path, value, component))
CASES: dict[str, tuple[str, str, list[tuple]]] = {
    # --- value type ----------------------------------------------------------------------
    "class, with the data's own subclasses": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:class ex:Agent ] .",
        "ex:Person rdfs:subClassOf ex:Agent . ex:alice a ex:Person . ex:rock a ex:Thing . "
        "ex:i ex:p ex:alice , ex:rock , \"x\" .",
        [("ex:i", "ex:p", "ex:rock", "Class"), ("ex:i", "ex:p", '"x"', "Class")]),
    "class on a node shape, two classes": (
        "ex:S sh:targetClass ex:Agent ; sh:class ex:Agent , ex:Named .",
        "ex:Person rdfs:subClassOf ex:Agent . ex:alice a ex:Person , ex:Named . "
        "ex:bob a ex:Agent .",
        [("ex:bob", None, "ex:bob", "Class")]),
    "datatype, with an ill-typed literal": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .",
        "ex:i ex:p 1 , \"1\" , \"a\"^^xsd:integer , ex:x .",
        [("ex:i", "ex:p", '"1"', "Datatype"), ("ex:i", "ex:p", '"a"^^xsd:integer', "Datatype"),
         ("ex:i", "ex:p", "ex:x", "Datatype")]),
    "datatype rdf:langString and xsd:string": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:datatype rdf:langString ] ,"
        " [ sh:path ex:q ; sh:datatype xsd:string ] .",
        "ex:i ex:p \"a\"@en , \"b\" ; ex:q \"c\" , \"d\"@en .",
        [("ex:i", "ex:p", '"b"', "Datatype"), ("ex:i", "ex:q", '"d"@en', "Datatype")]),
    "nodeKind": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI ] .",
        "ex:i ex:p [] , ex:x , \"lit\" .",
        [("ex:i", "ex:p", '"lit"', "NodeKind")]),
    # --- cardinality ---------------------------------------------------------------------
    "minCount": (
        "ex:S sh:targetNode ex:i , ex:j , ex:k ; sh:property [ sh:path ex:p ; sh:minCount 2 ] .",
        "ex:i ex:p 1 . ex:j ex:p 1 , 2 .",
        [("ex:i", "ex:p", None, "MinCount"), ("ex:k", "ex:p", None, "MinCount")]),
    "maxCount": (
        "ex:S sh:targetNode ex:i , ex:j ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .",
        "ex:i ex:p 1 , 2 . ex:j ex:p 1 .",
        [("ex:i", "ex:p", None, "MaxCount")]),
    # --- value range ---------------------------------------------------------------------
    "minExclusive": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:minExclusive 1 ] .",
        "ex:i ex:p 1 , 2 , \"a\" .",
        [("ex:i", "ex:p", '"1"^^xsd:integer', "MinExclusive"),
         ("ex:i", "ex:p", '"a"', "MinExclusive")]),
    "minInclusive": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:minInclusive 1 ] .",
        "ex:i ex:p 0 , 1 .",
        [("ex:i", "ex:p", '"0"^^xsd:integer', "MinInclusive")]),
    "maxExclusive, dates": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
        "sh:maxExclusive \"2023-06-30\"^^xsd:date ] .",
        "ex:i ex:p \"2023-06-30\"^^xsd:date , \"2023-06-29\"^^xsd:date .",
        [("ex:i", "ex:p", '"2023-06-30"^^xsd:date', "MaxExclusive")]),
    "maxInclusive": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:maxInclusive 5 ] .",
        "ex:i ex:p 5 , 6 , ex:x .",
        [("ex:i", "ex:p", '"6"^^xsd:integer', "MaxInclusive"),
         ("ex:i", "ex:p", "ex:x", "MaxInclusive")]),
    # --- string-based --------------------------------------------------------------------
    "minLength": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:minLength 3 ] .",
        "ex:i ex:p \"ab\" , \"abc\" , [] , ex:ab .",
        [("ex:i", "ex:p", '"ab"', "MinLength"), ("ex:i", "ex:p", "_:", "MinLength")]),
    "maxLength": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:maxLength 2 ] .",
        "ex:i ex:p \"abc\" , \"ab\" , 123 .",
        [("ex:i", "ex:p", '"abc"', "MaxLength"),
         ("ex:i", "ex:p", '"123"^^xsd:integer', "MaxLength")]),
    "pattern with a flag": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:pattern \"^B\" ; "
        "sh:flags \"i\" ] .",
        "ex:i ex:p \"bob\" , \"Ann\" , [] , ex:Bx .",
        [("ex:i", "ex:p", '"Ann"', "Pattern"), ("ex:i", "ex:p", "_:", "Pattern"),
         ("ex:i", "ex:p", "ex:Bx", "Pattern")]),
    "languageIn": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
        "sh:languageIn ( \"en\" \"fr\" ) ] .",
        "ex:i ex:p \"a\"@en , \"b\"@en-gb , \"c\"@de , \"d\" .",
        [("ex:i", "ex:p", '"c"@de', "LanguageIn"), ("ex:i", "ex:p", '"d"', "LanguageIn")]),
    "uniqueLang": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
        "ex:i ex:p \"a\"@en , \"b\"@en , \"c\"@fr , \"d\"@fr , \"e\"@de , \"f\" , \"g\" .",
        [("ex:i", "ex:p", None, "UniqueLang"), ("ex:i", "ex:p", None, "UniqueLang")]),
    # --- property pairs ------------------------------------------------------------------
    "equals": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .",
        "ex:i ex:p ex:a , ex:b ; ex:q ex:b , ex:c .",
        [("ex:i", "ex:p", "ex:a", "Equals"), ("ex:i", "ex:p", "ex:c", "Equals")]),
    "equals on a node shape": (
        "ex:S sh:targetNode ex:i , ex:j ; sh:equals ex:q .",
        "ex:i ex:q ex:i . ex:j ex:q ex:k .",
        [("ex:j", None, "ex:j", "Equals"), ("ex:j", None, "ex:k", "Equals")]),
    "disjoint": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:disjoint ex:q ] .",
        "ex:i ex:p ex:a , ex:b ; ex:q ex:b .",
        [("ex:i", "ex:p", "ex:b", "Disjoint")]),
    "lessThan, one result per pair": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .",
        "ex:i ex:p 1 , 5 ; ex:q 3 , 4 .",
        [("ex:i", "ex:p", '"5"^^xsd:integer', "LessThan"),
         ("ex:i", "ex:p", '"5"^^xsd:integer', "LessThan")]),
    "lessThanOrEquals": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:lessThanOrEquals ex:q ] .",
        "ex:i ex:p 3 , 4 , \"a\" ; ex:q 3 .",
        [("ex:i", "ex:p", '"4"^^xsd:integer', "LessThanOrEquals"),
         ("ex:i", "ex:p", '"a"', "LessThanOrEquals")]),
    # --- logical -------------------------------------------------------------------------
    "not": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:not [ sh:class ex:C ] ] .",
        "ex:i ex:p ex:a , ex:b . ex:a a ex:C .",
        [("ex:i", "ex:p", "ex:a", "Not")]),
    "and": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
        "sh:and ( [ sh:minInclusive 1 ] [ sh:maxInclusive 5 ] ) ] .",
        "ex:i ex:p 3 , 7 , 0 .",
        [("ex:i", "ex:p", '"7"^^xsd:integer', "And"), ("ex:i", "ex:p", '"0"^^xsd:integer', "And")]),
    "or, beside a datatype (each result names its component)": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; "
        "sh:or ( [ sh:minInclusive 10 ] [ sh:maxInclusive 0 ] ) ] .",
        "ex:i ex:p 5 , 11 , \"a\" .",
        [("ex:i", "ex:p", '"5"^^xsd:integer', "Or"), ("ex:i", "ex:p", '"a"', "Or"),
         ("ex:i", "ex:p", '"a"', "Datatype")]),
    "xone": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
        "sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ] .",
        "ex:i ex:p ex:a , ex:b , ex:ab , ex:none . ex:a a ex:A . ex:b a ex:B . "
        "ex:ab a ex:A , ex:B .",
        [("ex:i", "ex:p", "ex:ab", "Xone"), ("ex:i", "ex:p", "ex:none", "Xone")]),
    "not with a property shape inside": (
        "ex:S sh:targetNode ex:i , ex:j ; sh:not [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:i ex:p 1 .",
        [("ex:i", None, "ex:i", "Not")]),
    # --- shape-based ---------------------------------------------------------------------
    "node": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:address ; sh:node ex:Address ] . "
        "ex:Address a sh:NodeShape ; sh:property [ sh:path ex:code ; sh:minCount 1 ; "
        "sh:severity sh:Info ] .",
        "ex:i ex:address ex:a1 , ex:a2 . ex:a1 ex:code \"1\" .",
        [("ex:i", "ex:address", "ex:a2", "Node")]),
    "property of a property shape: one focus node per parent": (
        "ex:S sh:targetClass ex:Person ; sh:property [ sh:path ex:address ; "
        "sh:property [ sh:path ex:city ; sh:class ex:City ] ] .",
        "ex:p1 a ex:Person ; ex:address ex:bad . ex:p2 a ex:Person ; ex:address ex:bad , ex:good "
        ". ex:bad ex:city ex:nowhere . ex:good ex:city ex:paris . ex:paris a ex:City .",
        [("ex:bad", "ex:city", "ex:nowhere", "Class")] * 2),
    "qualifiedMinCount and qualifiedMaxCount, disjoint siblings": (
        "ex:Hand sh:targetNode ex:h ; sh:property [ sh:path ex:digit ; sh:qualifiedValueShape "
        "[ sh:class ex:Thumb ] ; sh:qualifiedValueShapesDisjoint true ; sh:qualifiedMinCount 1 ; "
        "sh:qualifiedMaxCount 1 ] , [ sh:path ex:digit ; sh:qualifiedValueShape "
        "[ sh:class ex:Finger ] ; sh:qualifiedValueShapesDisjoint true ; "
        "sh:qualifiedMinCount 2 ] .",
        "ex:h ex:digit ex:t , ex:f1 , ex:tf . ex:t a ex:Thumb . ex:f1 a ex:Finger . "
        "ex:tf a ex:Thumb , ex:Finger .",
        [("ex:h", "ex:digit", None, "QualifiedMinCount")]),
    "qualifiedMaxCount": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape "
        "[ sh:datatype xsd:integer ] ; sh:qualifiedMaxCount 1 ] .",
        "ex:i ex:p 1 , 2 , \"a\" .",
        [("ex:i", "ex:p", None, "QualifiedMaxCount")]),
    # --- other ---------------------------------------------------------------------------
    "closed, ignoredProperties": (
        "ex:S sh:targetNode ex:i ; sh:closed true ; sh:ignoredProperties ( rdf:type ) ; "
        "sh:property [ sh:path ex:p ] .",
        "ex:i a ex:C ; ex:p 1 ; ex:q 2 , 3 .",
        [("ex:i", "ex:q", '"2"^^xsd:integer', "Closed"),
         ("ex:i", "ex:q", '"3"^^xsd:integer', "Closed")]),
    "hasValue": (
        "ex:S sh:targetNode ex:i , ex:j ; sh:property [ sh:path ex:p ; sh:hasValue ex:a ] . "
        "ex:T sh:targetNode ex:i , ex:a ; sh:hasValue ex:a .",
        "ex:i ex:p ex:b . ex:j ex:p ex:a .",
        [("ex:i", "ex:p", None, "HasValue"), ("ex:i", None, None, "HasValue")]),
    "in, by term": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:in ( ex:a 1 \"x\" ) ] .",
        "ex:i ex:p ex:a , ex:b , 1 , \"1\" , \"x\" , \"x\"@en .",
        [("ex:i", "ex:p", "ex:b", "In"), ("ex:i", "ex:p", '"1"', "In"),
         ("ex:i", "ex:p", '"x"@en', "In")]),
    # --- SHACL-SPARQL --------------------------------------------------------------------
    "sparql without WHERE, braces in a string and a comment": (
        "ex:S sh:targetNode ex:i , ex:j ; sh:sparql [ sh:select \"\"\"SELECT $this ?value\n"
        "{ # a } in a comment\n $this ex:label ?value . FILTER (CONTAINS(?value, \"}\")) }\"\"\" ; "
        "sh:prefixes ex:prefixes ] . ex:prefixes sh:declare [ sh:prefix \"ex\" ; "
        "sh:namespace \"http://example.org/\"^^xsd:anyURI ] .",
        "ex:i ex:label \"a } b\" . ex:j ex:label \"a b\" .",
        [("ex:i", None, '"a } b"', "SPARQL")]),
    "sparql with $PATH on a property shape, and a path result": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:sparql [ sh:select "
        "\"SELECT $this ?value WHERE { $this $PATH ?value . FILTER (?value > 2) }\" ] ] .",
        "ex:i ex:p 1 , 3 .",
        [("ex:i", "ex:p", '"3"^^xsd:integer', "SPARQL")]),
    "sparql inside sh:node": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
        "ex:N a sh:NodeShape ; sh:sparql [ sh:select \"SELECT $this WHERE { FILTER NOT EXISTS "
        "{ $this <http://example.org/ok> true } }\" ] .",
        "ex:i ex:p ex:a , ex:b . ex:a ex:ok true .",
        [("ex:i", "ex:p", "ex:b", "Node")]),
    # --- paths ---------------------------------------------------------------------------
    "sequence path": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 2 ] .",
        "ex:i ex:p ex:a , ex:b . ex:a ex:q 1 . ex:b ex:q 1 .",
        [("ex:i", "ex:p/ex:q", None, "MinCount")]),
    "alternative path": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; "
        "sh:datatype xsd:integer ] .",
        "ex:i ex:p 1 ; ex:q \"a\" .",
        [("ex:i", "ex:p|ex:q", '"a"', "Datatype")]),
    "inverse path": (
        "ex:S sh:targetNode ex:c ; sh:property [ sh:path [ sh:inversePath ex:p ] ; "
        "sh:maxCount 1 ] .",
        "ex:a ex:p ex:c . ex:b ex:p ex:c .",
        [("ex:c", "^ex:p", None, "MaxCount")]),
    "zeroOrMore path includes the focus node, in the data or not": (
        "ex:S sh:targetNode ex:a , ex:nowhere ; sh:property [ sh:path [ sh:zeroOrMorePath "
        "ex:p ] ; sh:nodeKind sh:Literal ] .",
        "ex:a ex:p ex:b . ex:b ex:p ex:a .",
        [("ex:a", "ex:p*", "ex:a", "NodeKind"), ("ex:a", "ex:p*", "ex:b", "NodeKind"),
         ("ex:nowhere", "ex:p*", "ex:nowhere", "NodeKind")]),
    "oneOrMore path": (
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:oneOrMorePath ex:p ] ; "
        "sh:class ex:C ] .",
        "ex:a ex:p ex:b . ex:b ex:p ex:c . ex:b a ex:C .",
        [("ex:a", "ex:p+", "ex:c", "Class")]),
    "zeroOrOne path": (
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:zeroOrOnePath ex:p ] ; "
        "sh:hasValue ex:c ] .",
        "ex:a ex:p ex:b . ex:b ex:p ex:c .",
        [("ex:a", "ex:p?", None, "HasValue")]),
    # --- targets, severity, deactivation -------------------------------------------------
    "targetSubjectsOf and targetObjectsOf": (
        "ex:S sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .",
        "[] ex:p ex:a . ex:b ex:p \"x\" .",
        [("_:", None, "_:", "NodeKind"), ('"x"', None, '"x"', "NodeKind")]),
    "implicit class target": (
        "ex:C a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:D rdfs:subClassOf ex:C . ex:a a ex:C . ex:b a ex:D ; ex:p 1 .",
        [("ex:a", "ex:p", None, "MinCount")]),
    "deactivated shapes and constraints": (
        "ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; sh:minCount 1 ; "
        "sh:deactivated true ] , [ sh:path ex:q ; sh:minCount 1 ] ; sh:sparql [ sh:select "
        "\"SELECT $this WHERE { }\" ; sh:deactivated true ] ; sh:node ex:Off . "
        "ex:Off a sh:NodeShape ; sh:deactivated true ; sh:class ex:Nothing . "
        "ex:T sh:targetNode ex:i ; sh:deactivated true ; sh:class ex:Nothing .",
        "ex:i ex:r 1 .",
        [("ex:i", "ex:q", None, "MinCount")]),
}

def _render(term: str | None) -> str | None:
    if term is None:
        return None
    return re.sub(r"ex:(\w*)", r"<http://example.org/\1>", term)


def _key(report: Report) -> Counter:
    return Counter((_blank(r.focus_node), r.path, _blank(r.value),
                    r.constraint_component.removeprefix("sh:").removesuffix(
                        "ConstraintComponent")) for r in report.results)


def _blank(term: str | None) -> str | None:
    return "_:" if term is not None and term.startswith("_:") else term


def _graphs(shapes: str, data: str) -> tuple[Graph, Graph]:
    return (Graph().parse(data=PROLOGUE + shapes, format="turtle"),
            Graph().parse(data=PROLOGUE + data, format="turtle"))


@pytest.mark.parametrize("name", list(CASES))
def test_component_case(name: str):
    shapes_text, data_text, expected = CASES[name]
    shapes, data = _graphs(shapes_text, data_text)
    want = Counter((_render(f), _render(p), _render(v), c) for f, p, v, c in expected)
    sparql_report = shacl_sparql.validate_graph(data, shapes)
    assert _key(sparql_report) == want, sparql_report.to_text()
    pyshacl_report = validate_graph(data, shapes)
    assert _key(pyshacl_report) == want, pyshacl_report.to_text()
    assert sparql_report.conforms == (not expected)
    for r in sparql_report.results:
        assert r.source_shape and r.severity in ("Violation", "Warning", "Info")


def test_every_core_component_has_a_case():
    from mali_kg.shacl_sparql.components import COMPONENTS

    covered = {c for _, _, expected in CASES.values() for *_, c in expected}
    names = {c.name for c in COMPONENTS} - {"Property"}  # sh:property has no results of its own
    assert names <= covered, names - covered


def test_the_severity_of_a_property_shape_is_its_own():
    shapes, data = _graphs(
        "ex:S sh:targetNode ex:i ; sh:severity sh:Info ; sh:class ex:C ; "
        "sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ] , "
        "[ sh:path ex:q ; sh:minCount 1 ] .", "ex:i ex:r 1 .")
    for report in (shacl_sparql.validate_graph(data, shapes), validate_graph(data, shapes)):
        got = sorted((r.constraint_component, r.path, r.severity) for r in report.results)
        assert got == [("sh:ClassConstraintComponent", None, "Info"),
                       ("sh:MinCountConstraintComponent", "<http://example.org/p>", "Warning"),
                       ("sh:MinCountConstraintComponent", "<http://example.org/q>",
                        "Violation")]
        assert not report.conforms and report.fails("Violation")


def test_warnings_alone_do_not_conform_and_fail_only_at_their_level():
    shapes, data = _graphs("ex:S sh:targetNode ex:i ; sh:severity sh:Warning ; "
                           "sh:class ex:C .", "ex:i ex:p 1 .")
    for report in (shacl_sparql.validate_graph(data, shapes), validate_graph(data, shapes)):
        assert not report.conforms
        assert not report.fails("Violation") and report.fails("Warning")
        assert report.fails("Info")
        g = Graph().parse(data=report.to_turtle(), format="turtle")
        assert "false" in {str(o) for o in g.objects(None,
                                                     _sh("conforms"))}


def test_every_result_has_its_source_shape_in_the_report_graph():
    shapes, data = _graphs(CASES["xone"][0], CASES["xone"][1])
    report = shacl_sparql.validate_graph(data, shapes)
    g = Graph().parse(data=report.to_turtle(), format="turtle")
    results = list(g.objects(None, _sh("result")))
    assert len(results) == 2
    for r in results:
        shape = g.value(r, _sh("sourceShape"))
        assert shape is not None
        assert g.value(shape, _sh("path")) is not None  # the blank property shape is copied


def _sh(name: str):
    from rdflib.namespace import SH

    return SH[name]


def test_cli_validates_against_other_shapes_with_either_engine(tmp_path: Path):
    shapes_text, data_text, expected = CASES["or, beside a datatype (each result names its "
                                             "component)"]
    shapes_file, data_file = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    shapes_file.write_text(PROLOGUE + shapes_text)
    data_file.write_text(PROLOGUE + data_text)
    outputs = []
    for engine in ("pyshacl", "sparql"):
        done = subprocess.run([sys.executable, "-m", "mali_kg", "validate", str(data_file),
                               "--shapes", str(shapes_file), "--engine", engine, "--format",
                               "json"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        import json

        doc = json.loads(done.stdout)
        assert doc["conforms"] is False and doc["counts"]["Violation"] == len(expected)
        outputs.append(sorted((r["focus_node"], r["value"], r["constraint_component"])
                              for r in doc["results"]))
    assert outputs[0] == outputs[1]
