"""The SPARQL engine (``mali_kg.shacl_sparql``) agrees with pySHACL on the shapes' cases.

The cases and their loader are those of ``test_shapes.py``: each is a SPARQL Update applied to
a copy of the bundled data, with the expected focus node in its header.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from test_shapes import CASES, Case, _expected_focus, _matches, _mutate

from mali_kg import shacl_sparql
from mali_kg.validate import Report, validate_bundled


@cache
def _plan() -> shacl_sparql.Plan:
    return shacl_sparql.plan()


def _validate(path: Path) -> Report:
    import pyoxigraph as ox

    from mali_kg import namespaces as ns
    from mali_kg import resources, store

    s = ox.Store()
    store.load_file(s, resources.ontology_file(), graph=ns.GRAPH_ONTOLOGY)
    store.load_file(s, path, graph=ns.GRAPH_DATA)
    return shacl_sparql.validate_store(s, checks=_plan())


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mali_kg", *argv],
                          capture_output=True, text=True, timeout=120)


def test_every_shape_term_is_translated():
    assert not _plan().untranslated, _plan().untranslated


def test_bundled_store_has_the_same_warning_and_infos_as_pyshacl():
    from mali_kg import store

    report = shacl_sparql.validate_store(store.open_store(), checks=_plan())
    assert not report.violations, report.to_text()
    expected = validate_bundled()
    key = lambda r: (r.focus_node, r.value, r.source_shape, r.severity,  # noqa: E731
                     r.constraint_component)
    assert [key(r) for r in report.warnings] == [key(r) for r in expected.warnings]
    assert sorted(map(key, report.infos)) == sorted(map(key, expected.infos))
    assert report.to_text().startswith("Does not conform. 0 violation(s), 1 warning(s)")
    assert '"conforms": false' in report.to_json()
    assert "sh:ValidationReport" in report.to_turtle()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_is_flagged(path: Path, tmp_path: Path):
    case = Case.read(path)
    data, graph = _mutate(case, tmp_path)
    report = _validate(data)
    focus = _expected_focus(case, graph)
    hits = _matches(report, case, focus)  # focus, shape, component, severity and message
    assert hits, f"{path.name}: expected {case.expect} on {focus}; got:\n{report.to_text()}"
    assert not report.conforms
    if case.expect.get("severity", "Violation") == "Violation":
        assert report.fails("Violation")


def test_cli_validates_a_store_made_by_load(tmp_path: Path):
    good, bad = tmp_path / "good", tmp_path / "bad"
    assert _cli("load", "--store", str(good)).returncode == 0
    done = _cli("validate", "--store", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Does not conform. 0 violation(s), 1 warning(s), 5 info(s).")
    assert _cli("validate", "--store", str(good), "--fail-on", "warning").returncode == 1

    case = Case.read(Path(__file__).parent / "cases" / "date-plain-string.ru")
    mutated, _ = _mutate(case, tmp_path)
    assert _cli("load", "--store", str(bad), str(mutated)).returncode == 0
    done = _cli("validate", "--store", str(bad), "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert '"focus_node": "id:adoption-of-resolution-2690"' in done.stdout
    assert case.expect["message"] in done.stdout

    done = _cli("validate", "--engine", "sparql", str(mutated))
    assert done.returncode == 1 and "Does not conform" in done.stdout
    assert _cli("validate", "--store", str(tmp_path / "missing")).returncode == 2
