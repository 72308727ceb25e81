"""The translator refuses what it cannot translate, by name, and reads SHACL-SPARQL through a
parser and a tokenizer; the command line's exit status follows --fail-on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from mali_kg import shacl_sparql

PROLOGUE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""


def _plan(shapes: str) -> shacl_sparql.Plan:
    return shacl_sparql.plan(Graph().parse(data=PROLOGUE + shapes, format="turtle"))


def _refused(shapes: str) -> str:
    plan = _plan(shapes)
    assert plan.untranslated, "expected a refusal"
    return "\n".join(plan.untranslated)


def _sparql(select: str, extra: str = "") -> str:
    return f'ex:S sh:targetNode ex:i ; sh:sparql [ sh:select """{select}""" ] . {extra}'


# --- nothing is dropped silently -------------------------------------------------------------

def test_an_unknown_term_inside_or_not_and_qualified_shapes_is_named():
    assert "sh:js" in _refused("ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
                               "sh:datatype xsd:string ; sh:or ( [ sh:datatype xsd:string ] "
                               "[ sh:js ex:f ] ) ] .")
    assert "sh:expression" in _refused("ex:S sh:targetNode ex:i ; sh:not [ sh:not "
                                       "[ sh:expression ex:e ] ] .")
    assert "sh:rule" in _refused("ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
                                 "sh:qualifiedValueShape [ sh:rule ex:r ] ; "
                                 "sh:qualifiedMinCount 1 ] .")


def test_sparql_targets_custom_components_and_recursion_are_refused():
    assert "sh:target" in _refused("ex:S sh:target [ a sh:SPARQLTarget ; sh:select "
                                   "\"SELECT ?this WHERE { ?this ?p ?o }\" ] ; sh:class ex:C .")
    assert "sh:ConstraintComponent" in _refused(
        "ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:size ] . "
        "ex:S sh:targetNode ex:i ; ex:size 3 .")
    assert "recursive" in _refused("ex:S sh:targetNode ex:i ; sh:property [ sh:path ex:p ; "
                                   "sh:node ex:S ] .")


def test_ill_formed_shapes_are_refused():
    assert "SHACL allows one" in _refused("ex:S sh:targetNode ex:i ; sh:property [ sh:path "
                                          "ex:p ; sh:datatype xsd:string , xsd:integer ] .")
    assert "node shape" in _refused("ex:S sh:targetNode ex:i ; sh:minCount 1 .")
    assert "ill-formed" in _refused("ex:S sh:targetNode ex:i ; sh:property [ sh:path "
                                    "[ sh:inversePath ex:p ; sh:zeroOrMorePath ex:q ] ; "
                                    "sh:minCount 1 ] .")
    assert "regular expression" in _refused("ex:S sh:targetNode ex:i ; sh:pattern \"(\" .")
    assert "severity" in _refused("ex:S sh:targetNode ex:i ; sh:severity ex:Bad ; "
                                  "sh:class ex:C .")


def test_a_refused_shape_is_an_error_naming_it_never_a_pass(tmp_path: Path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PROLOGUE + "ex:S sh:targetNode ex:i ; sh:or ( [ sh:class ex:C ] "
                      "[ sh:js ex:f ] ) .")
    data = tmp_path / "data.ttl"
    data.write_text(PROLOGUE + "ex:i a ex:C .")
    done = _cli("validate", str(data), "--shapes", str(shapes), "--engine", "sparql")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "sh:js" in done.stderr and "<http://example.org/S>" in done.stderr
    assert done.stdout == ""
    with pytest.raises(shacl_sparql.UntranslatableShapes):
        shacl_sparql.validate_files([data], shapes)


# --- SHACL-SPARQL -----------------------------------------------------------------------------

@pytest.mark.parametrize("select, reason", [
    ("SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:q ?x } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?x { 1 } $this ex:p ?x }", "VALUES"),
    ("SELECT $this WHERE { SERVICE <http://example.org/s> { $this ex:p ?x } }", "SERVICE"),
    ("SELECT $this WHERE { { SELECT ?x WHERE { ?x ex:p 1 } } $this ex:q ?x }",
     "does not select $this"),
    ("SELECT ?x WHERE { $this ex:p ?x }", "does not select $this"),
    ("SELECT $this WHERE { $this ex:p ?x } LIMIT 1", "LIMIT"),
    ("SELECT (ex:a AS $this) WHERE { }", "AS"),
    ("SELECT $this WHERE { $this ex:p $shapesGraph }", "$shapesGraph"),
    ("SELECT $this WHERE { $this ex:p ?x", "does not parse"),
    ("SELECT $this WHERE { $this ex:p $PATH }", "$PATH in a node shape"),
])
def test_sparql_constraints_shacl_forbids_are_refused(select: str, reason: str):
    prefixes = ("ex:S sh:sparql [ sh:prefixes ex:p ] . ex:p sh:declare [ sh:prefix \"ex\" ; "
                "sh:namespace \"http://example.org/\"^^xsd:anyURI ] .")
    text = _sparql(select).replace("] .", "; sh:prefixes ex:p ] .", 1) + prefixes
    assert reason in _refused(text)


def test_the_focus_nodes_go_after_the_brace_that_opens_where():
    plan = _plan(_sparql('SELECT ?value $this # { not here\n'
                         '{ $this <http://example.org/p> ?value FILTER (?value != "{") }'))
    [check] = plan.checks
    query = check.query
    assert query.startswith('SELECT DISTINCT ?value $this # { not here\n{ { SELECT DISTINCT '
                            '?this WHERE')
    assert 'FILTER (?value != "{") }' in query


def test_not_exists_becomes_minus_only_where_equivalent():
    # Several patterns, and every variable it shares with the query is bound inside: MINUS.
    plan = _plan(_sparql("SELECT $this WHERE { $this <http://example.org/p> ?x . "
                         "FILTER NOT EXISTS { ?y <http://example.org/q> $this ; "
                         "<http://example.org/r> ?z } }"))
    assert "MINUS" in plan.checks[0].query and "NOT EXISTS" not in plan.checks[0].query
    # The block reads ?x, which only the row binds: NOT EXISTS stays.
    plan = _plan(_sparql("SELECT $this WHERE { $this <http://example.org/p> ?x . "
                         "FILTER NOT EXISTS { ?y <http://example.org/q> $this ; "
                         "<http://example.org/r> ?z . FILTER (?z = ?x) } }"))
    assert "MINUS" not in plan.checks[0].query
    # One pattern: an index look-up, NOT EXISTS stays.
    plan = _plan(_sparql("SELECT $this WHERE { FILTER NOT EXISTS "
                         "{ $this <http://example.org/q> ?y } }"))
    assert "MINUS" not in plan.checks[0].query
    # The bundled shapes: the quotation-anchoring check is a MINUS.
    bundled = shacl_sparql.plan()
    assert any("MINUS" in c.query for c in bundled.checks if c.shape == "mksh:StatementShape")


def test_the_bundled_shapes_translate_completely():
    plan = shacl_sparql.plan()
    assert not plan.untranslated, plan.untranslated
    kinds = {c.kind for c in plan.checks}
    assert {"MinCount", "MaxCount", "Datatype", "Class", "Pattern", "In", "Or", "Not",
            "QualifiedMinCount", "QualifiedMaxCount", "LessThan", "SPARQL"} <= kinds
    assert all(c.component == f"sh:{c.kind}ConstraintComponent" for c in plan.checks)


# --- the command line ------------------------------------------------------------------------

def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mali_kg", *argv], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_exit_status_follows_fail_on(engine: str, tmp_path: Path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PROLOGUE + "ex:S sh:targetNode ex:i ; sh:severity sh:Warning ; "
                      "sh:class ex:C .")
    data = tmp_path / "data.ttl"
    data.write_text(PROLOGUE + "ex:i ex:p 1 .")
    status = {}
    for level in ("violation", "warning", "info"):
        done = _cli("validate", str(data), "--shapes", str(shapes), "--engine", engine,
                    "--fail-on", level)
        status[level] = done.returncode
        assert done.stdout.startswith("Does not conform. 0 violation(s), 1 warning(s)")
    assert status == {"violation": 0, "warning": 1, "info": 1}
    data.write_text(PROLOGUE + "ex:i a ex:C .")
    done = _cli("validate", str(data), "--shapes", str(shapes), "--engine", engine,
                "--fail-on", "info")
    assert done.returncode == 0 and done.stdout.startswith("Conforms.")


def test_help_documents_fail_on_and_conformance():
    done = _cli("validate", "--help")
    assert "--fail-on {violation,warning,info}" in done.stdout
    assert "--shapes FILE" in done.stdout
    assert "sh:conforms true" in done.stdout
