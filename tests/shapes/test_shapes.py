"""The SHACL shapes: each failing case is flagged as expected; the real data conforms.

Each case under ``cases/`` is one SPARQL Update applied to a copy of the bundled data (the real
data is the fixture), with its expectation in header comments::

    # A quotation altered by one word is not in the article.
    # focus: id:statement-konfourou-takes-note
    # shape: mksh:StatementShape
    # component: sh:SPARQLConstraintComponent
    # message: not in the article text verbatim
    # cli: yes

``focus`` is the focus node as the report writes it (``id:…``, ``<…>``, or ``_:`` for any
blank node); ``focus-query`` instead names it with a SPARQL SELECT of ``?focus`` run on the
mutated graph (for resources whose IRIs are generated). ``shape`` is the source shape
(``mksh:XShape`` or, for a property shape, ``mksh:XShape/path``), ``component`` the SHACL
constraint component, ``message`` a fragment of the result message, ``severity`` defaults to
Violation. With ``cli: yes`` the case is also run through ``mali-kg validate FILE``, which
must exit 1 and name the problem.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from mali_kg import namespaces as ns
from mali_kg import resources
from mali_kg.errors import DataSyntaxError
from mali_kg.validate import (
    Report,
    check_shapes,
    validate_bundled,
    validate_files,
    validate_graph,
)

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(CASES_DIR.glob("*.ru"))
MIN_CASES = 50  # no vacuous pass: the glob must find the whole suite
MIN_CLI_CASES = 5
_HEADER = re.compile(r"^#\s*([a-z-]+):\s*(.*?)\s*$")


@dataclass
class Case:
    path: Path
    update: str
    expect: dict[str, str]

    @classmethod
    def read(cls, path: Path) -> Case:
        text = path.read_text(encoding="utf-8")
        expect = {}
        for line in text.splitlines():
            m = _HEADER.match(line)
            if m:
                expect[m.group(1)] = m.group(2)
        return cls(path, text, expect)


@cache
def _real_data() -> Graph:
    return Graph().parse(resources.data_file())


@cache
def mutated_ntriples(path: Path) -> bytes:
    """The bundled data with the case's update applied, as N-Triples (one copy per case and
    test run, shared by the tests that read it). pyoxigraph's update keeps every literal as
    the case writes it, derived datatypes included (xsd:nonNegativeInteger stays so): it
    gives exactly rdflib's graph on every case, in a twentieth of the time."""
    store = ox.Store()
    store.load(path=resources.data_file(), format=ox.RdfFormat.TURTLE,
               to_graph=ox.DefaultGraph())
    before = set(store)
    store.update(ns.sparql_prologue() + Case.read(path).update)
    assert set(store) != before, f"{path.name}: the mutation changed nothing"
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


@cache
def mutated_graph(path: Path) -> Graph:
    """:func:`mutated_ntriples` as an rdflib graph (none of the tests modifies it)."""
    return Graph().parse(data=mutated_ntriples(path), format="nt")


@cache
def pyshacl_report(path: Path) -> Report:
    """pySHACL's report (``validate_graph``, as ``mali-kg validate`` makes it) on the case's
    mutated data; made once, shared by the tests that read it."""
    return validate_graph(mutated_graph(path))


def _mutate(case: Case, tmp_path: Path) -> tuple[Path, Graph]:
    out = tmp_path / (case.path.stem + ".nt")
    out.write_bytes(mutated_ntriples(case.path))
    return out, mutated_graph(case.path)


def _expected_focus(case: Case, graph: Graph) -> set[str]:
    if "focus-query" in case.expect:
        rows = graph.query(ns.sparql_prologue() + case.expect["focus-query"])
        found = {ns.compact(str(row[0])) for row in rows}
        assert found, f"{case.path.name}: focus-query found nothing"
        return found
    return {case.expect["focus"]}


def _matches(report: Report, case: Case, focus: set[str]) -> list:
    e = case.expect
    return [
        r for r in report.results
        if (r.focus_node in focus or ("_:" in focus and r.focus_node.startswith("_:")))
        and r.source_shape == e["shape"]
        and r.constraint_component == e["component"]
        and r.severity == e.get("severity", "Violation")
        and e.get("message", "") in r.message
    ]


def test_the_suite_is_not_empty():
    assert len(CASES) >= MIN_CASES, f"found only {len(CASES)} cases in {CASES_DIR}"
    cli = [c for c in CASES if Case.read(c).expect.get("cli") == "yes"]
    assert len(cli) >= MIN_CLI_CASES


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_is_flagged(path: Path):
    case = Case.read(path)
    for key in ("shape", "component"):
        assert key in case.expect, f"{path.name}: no '# {key}:' header"
    assert "focus" in case.expect or "focus-query" in case.expect
    report = pyshacl_report(path)
    focus = _expected_focus(case, mutated_graph(path))
    hits = _matches(report, case, focus)
    assert hits, (f"{path.name}: expected {case.expect} on {focus}; got:\n" + report.to_text())
    if case.expect.get("severity", "Violation") == "Violation":
        assert not report.conforms


CLI_CASES = [c for c in CASES if Case.read(c).expect.get("cli") == "yes"]


@pytest.mark.parametrize("path", CLI_CASES, ids=lambda p: p.stem)
def test_cli_rejects_mutated_data(path: Path, tmp_path: Path):
    case = Case.read(path)
    data, _ = _mutate(case, tmp_path)
    done = subprocess.run([sys.executable, "-m", "mali_kg", "validate", str(data)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Does not conform" in done.stdout
    assert case.expect["message"] in done.stdout


def test_bundled_data_has_exactly_the_expected_results():
    """No violation, the one warning and the three infos, and nothing else: a shape that
    starts flagging the real data (a constraint loosened or removed) fails here."""
    report = validate_bundled()
    assert not report.violations, report.to_text()
    # A report with results does not conform (SHACL §3.6.2), warnings and infos included.
    assert not report.conforms
    assert not report.fails("Violation") and report.fails("Warning") and report.fails("Info")
    [warning] = report.warnings
    assert warning.focus_node == "id:claim-mandate-end-article"
    assert warning.value == "id:claim-mandate-end-un"
    assert warning.source_shape == "mksh:ContradictedClaimShape"
    # "on Friday" → 2023-06-30, inferred; the three statements of the ambassador dated with it;
    # Diop's words dated by his address to the Council of 16 June 2023.
    assert sorted((r.focus_node, r.source_shape, r.constraint_component, r.severity, r.value)
                  for r in report.results) == [
        ("id:adoption-of-resolution-2690", "mksh:InferredDateShape",
         "sh:SPARQLConstraintComponent", "Info", '"2023-06-30"^^xsd:date'),
        ("id:claim-mandate-end-article", "mksh:ContradictedClaimShape",
         "sh:SPARQLConstraintComponent", "Warning", "id:claim-mandate-end-un"),
        ("id:statement-diop-part-of-the-problem", "mksh:InferredDateShape",
         "sh:SPARQLConstraintComponent", "Info", '"2023-06-16"^^xsd:date'),
        ("id:statement-konfourou-appreciation", "mksh:InferredDateShape",
         "sh:SPARQLConstraintComponent", "Info", '"2023-06-30"^^xsd:date'),
        ("id:statement-konfourou-takes-note", "mksh:InferredDateShape",
         "sh:SPARQLConstraintComponent", "Info", '"2023-06-30"^^xsd:date'),
        ("id:statement-konfourou-timeframe", "mksh:InferredDateShape",
         "sh:SPARQLConstraintComponent", "Info", '"2023-06-30"^^xsd:date'),
    ]


def test_every_node_shape_has_something_to_check_in_the_real_data():
    """A shape whose targets are absent from the data checks nothing: fail instead."""
    shapes = Graph().parse(resources.shapes_file())
    data = Graph().parse(resources.data_file()) + Graph().parse(resources.ontology_file())
    idle = []
    for row in shapes.query("""
            PREFIX sh: <http://www.w3.org/ns/shacl#>
            SELECT ?shape ?kind ?target WHERE {
                ?shape a sh:NodeShape .
                { ?shape sh:targetClass ?target BIND ("class" AS ?kind) }
                UNION { ?shape sh:targetSubjectsOf ?target BIND ("subjects" AS ?kind) }
            }"""):
        if str(row.kind) == "class":
            q = "ASK { ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?t }"
        else:
            q = "ASK { ?x ?t ?y }"
        if not data.query(q, initBindings={"t": row.target}).askAnswer:
            idle.append(f"{row.shape} ({row.kind} {row.target})")
    assert not idle, "targets absent from the real data: " + ", ".join(sorted(idle))


def test_shapes_pass_shacl_for_shacl():
    report = check_shapes()
    assert report.conforms, report.to_text()


def test_report_renderers():
    report = validate_bundled()
    text = report.to_text()
    assert text.startswith("Does not conform. 0 violation(s), 1 warning(s), 5 info(s).")
    assert "WARNING" in text and "id:claim-mandate-end-article" in text
    import json

    doc = json.loads(report.to_json())
    assert doc["conforms"] is False and doc["counts"]["Warning"] == 1
    from rdflib.namespace import RDF, SH

    g = Graph().parse(data=report.to_turtle(), format="turtle")
    [node] = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(node, SH.conforms).toPython() is False
    assert len(list(g.objects(node, SH.result))) == 6
    assert all(g.value(r, SH.sourceShape) is not None for r in g.objects(node, SH.result))


def test_validate_graph_does_not_modify_its_input():
    g = Graph().parse(resources.data_file())
    n = len(g)
    validate_graph(g)
    assert len(g) == n


def test_syntax_error_names_line_and_column(tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b x:c ;\n  x:d "unterminated .\n')
    with pytest.raises(DataSyntaxError) as e:
        validate_files([bad])
    assert e.value.line == 3 and e.value.column is not None
    done = subprocess.run([sys.executable, "-m", "mali_kg", "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "line 3, column" in done.stderr


def test_unreadable_file_is_an_error(tmp_path: Path):
    missing = tmp_path / "missing.ttl"
    with pytest.raises(OSError):
        validate_files([missing])
    done = subprocess.run([sys.executable, "-m", "mali_kg", "validate", str(missing)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "missing.ttl" in done.stderr


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "trig"])
def test_other_formats_validate_alike(fmt: str, tmp_path: Path):
    graph = Graph().parse(resources.data_file())
    out = tmp_path / f"data.{fmt}"
    graph.serialize(out, format={"nt": "nt", "jsonld": "json-ld", "trig": "trig"}[fmt],
                    encoding="utf-8")
    report = validate_files([out])
    assert not report.violations, report.to_text()
    assert len(report.warnings) == 1


def test_cli_validates_the_bundled_graph():
    """No violation: exit 0; the report does not conform (it has a warning and infos)."""
    done = subprocess.run([sys.executable, "-m", "mali_kg", "validate", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"conforms": false' in done.stdout and '"Violation": 0' in done.stdout
