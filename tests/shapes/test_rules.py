"""Every rule of the shapes is tested, and every test of a rule can fail.

- ``manifest.tsv`` lists every (shape, constraint component) pair of ``shapes/*.ttl``, read from
  the shapes graph (``rules.py``), with the failing cases of ``cases/`` that produce a result
  with exactly that source shape and component; a pair without a case fails.
- Mutations: each constraint triple of the shapes (``sh:maxCount 1``, ``sh:class mk:Mission``,
  one ``sh:sparql`` constraint, a triple of a shape nested in sh:or…) is removed in turn, and
  some test must then fail: a failing case of a pair the constraint belongs to no longer gets
  its expected result, or the bundled graph's results change (``test_shapes`` pins them).

The mutations run on the SPARQL engine (``mali_kg.shacl_sparql``): the mutated shapes are
translated again, and only the checks of the constraint's pairs are run, on the cases of those
pairs and on the bundled graph. ``test_differential.py`` shows that the engine and pySHACL give
the same results on every case; ``test_mutations_agree_with_pyshacl`` runs a sample of the
mutations through both engines in full.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rules
from rdflib import Graph
from test_differential import key
from test_shapes import Case, _matches, _real_data, mutated_graph

from mali_kg import namespaces as ns
from mali_kg import shacl_sparql
from mali_kg.shacl_sparql.report import run
from mali_kg.shacl_sparql.translate import Plan
from mali_kg.validate import Report, _class_hierarchy, to_oxigraph, validate_graph

CONSTRAINTS = rules.constraints()
MIN_PAIRS = 150  # no vacuous pass: the shapes hold this many pairs at least
MIN_CONSTRAINTS = 180


# --- the manifest ---------------------------------------------------------------------------

def test_the_shapes_have_rules():
    assert len(rules.pairs()) >= MIN_PAIRS
    assert len(CONSTRAINTS) >= MIN_CONSTRAINTS
    labels = [c.label for c in CONSTRAINTS]
    assert len(labels) == len(set(labels)), "two constraints share a label"
    assert all(c.pairs for c in CONSTRAINTS), [c.label for c in CONSTRAINTS if not c.pairs]


def test_manifest_lists_every_pair_and_its_cases():
    listed, derived = set(rules.read_manifest()), set(rules.pairs())
    assert listed == derived, (f"pairs of the shapes missing from the manifest: "
                               f"{sorted(derived - listed)}; listed but not in the shapes: "
                               f"{sorted(listed - derived)}")
    assert rules.MANIFEST.read_text(encoding="utf-8") == rules.render_manifest(), (
        "tests/shapes/manifest.tsv is out of date: rewrite it with "
        "`uv run python tests/shapes/rules.py > tests/shapes/manifest.tsv` and review the diff")


def test_every_pair_has_a_failing_case():
    """Read from the shapes and the cases' headers, not from the manifest (which the test
    above keeps in step); ``test_shapes.test_case_is_flagged`` shows each case is flagged."""
    cases = rules.cases_by_pair()
    missing = [f"{shape} {component}" for shape, component in rules.pairs()
               if not cases.get((shape, component))]
    assert not missing, ("no failing case in tests/shapes/cases/ produces a result of:\n  "
                         + "\n  ".join(missing))


def test_every_case_names_a_pair_of_the_shapes():
    pairs = set(rules.pairs())
    strays = [f"{name}: {pair}" for pair, names in rules.cases_by_pair().items()
              for name in names if pair not in pairs]
    assert not strays, "cases whose shape and component are not a pair of the shapes: " + (
        ", ".join(strays))


# --- mutations ------------------------------------------------------------------------------

@cache
def _quads(graph: str) -> tuple[ox.Quad, ...]:
    """The bundled data (in the default graph) or the ontology's class hierarchy (in its
    named graph), as ``shacl_sparql.validate_graph`` loads them."""
    if graph == "data":
        return tuple(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
                     for s, p, o in _real_data())
    return tuple(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),
                         ox.NamedNode(ns.GRAPH_ONTOLOGY)) for s, p, o in _class_hierarchy())


def _store(update: str = "") -> ox.Store:
    """The bundled data with ``update`` applied, and the class hierarchy, in a store: the
    update runs on the store (the default graph), which is much faster than rdflib; the
    baseline check in :func:`killed_by` shows the case is flagged there too."""
    store = ox.Store()
    store.extend(_quads("data"))
    if update:
        store.update(ns.sparql_prologue() + update)
    store.extend(_quads("hierarchy"))
    return store


@cache
def _case(name: str) -> tuple[Case, ox.Store, frozenset[str]]:
    case = Case.read(rules.CASES_DIR / f"{name}.ru")
    store = _store(case.update)
    if "focus-query" in case.expect:
        rows = store.query(ns.sparql_prologue() + case.expect["focus-query"])
        focus = frozenset(ns.compact(row[0].value) for row in rows)
        assert focus, f"{name}: focus-query found nothing"
    else:
        focus = frozenset({case.expect["focus"]})
    return case, store, focus


@cache
def _bundled_store() -> ox.Store:
    return _store()


@cache
def _shapes(roots: frozenset) -> Graph:
    """The shapes ``roots`` alone: a constraint changes the results of its own shapes only."""
    return rules.closure(rules.shapes_graph(), roots)


@cache
def _plan(roots: frozenset) -> Plan:
    plan = shacl_sparql.plan(_shapes(roots))
    assert not plan.untranslated, plan.untranslated
    return plan


def _report(plan: Plan, pairs: frozenset, store: ox.Store) -> Report:
    """The results of the checks of ``pairs`` only."""
    checks = [c for c in plan.checks if (c.source_shape, c.component) in pairs]
    return run(store, Plan(checks=checks, shapes=plan.shapes))


def _without(triple: tuple, shapes: Graph | None = None) -> Graph:
    graph = Graph()
    graph += rules.shapes_graph() if shapes is None else shapes
    graph.remove(triple)
    return graph


def _cases_of(constraint: rules.Constraint) -> list[str]:
    by_pair = rules.cases_by_pair()
    return sorted({name for pair in constraint.pairs for name in by_pair.get(pair, [])})


def killed_by(constraint: rules.Constraint) -> list[str]:
    """What fails once ``constraint`` is removed from the shapes: the cases that lose their
    expected result, or the bundled graph; empty when nothing does."""
    before = _plan(constraint.roots)
    after = shacl_sparql.plan(_without(constraint.triple, _shapes(constraint.roots)))
    assert not after.untranslated, after.untranslated
    assert any((c.source_shape, c.component) in constraint.pairs for c in before.checks)
    kills = []
    for name in _cases_of(constraint):
        case, store, focus = _case(name)
        assert _matches(_report(before, constraint.pairs, store), case, focus), (
            f"{name} is not flagged by the shapes as they are")
        if not _matches(_report(after, constraint.pairs, store), case, focus):
            kills.append(name)
    if not kills:
        bundled = _bundled_store()
        if key(_report(before, constraint.pairs, bundled)) != key(
                _report(after, constraint.pairs, bundled)):
            kills.append("the bundled graph's results (test_shapes.py::"
                         "test_bundled_data_has_exactly_the_expected_results)")
    return kills


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=lambda c: c.label)
def test_removing_a_constraint_fails_a_test(constraint: rules.Constraint):
    assert killed_by(constraint), (
        f"Removing `{constraint.label}` from the shapes fails no test: add a case under "
        f"tests/shapes/cases/ that only this constraint flags (pairs: "
        f"{sorted(constraint.pairs)}; cases tried: {_cases_of(constraint)})")


# The two rules of the withdrawal shape, and one constraint of each other kind: nested in
# sh:or, qualified, and one only the bundled graph notices.
SAMPLE = [
    "mksh:WithdrawalShape/mk:withdrawalOf sh:maxCount 1",
    "mksh:WithdrawalShape/mk:withdrawalOf sh:class mk:Mission",
    "mksh:ClaimShape/mk:accordingTo sh:or[…] sh:class mk:Source",
    "mksh:AnchorShape/oa:hasSelector{sh:qualifiedValueShape [sh:class oa:TextQuoteSelector]} "
    "sh:qualifiedMaxCount 1",
    "mksh:SourceShape sh:not[…] sh:pattern \"^https://w3id\\\\.org/mali-kg/\"",
]


@pytest.mark.parametrize("label", SAMPLE)
def test_mutations_agree_with_pyshacl(label: str):
    """The fast way (the SPARQL engine, the constraint's checks only) and pySHACL on the whole
    mutated shapes agree that the mutation is caught, and by the same cases."""
    [constraint] = [c for c in CONSTRAINTS if c.label == label]
    kills = killed_by(constraint)
    assert kills
    shapes = _without(constraint.triple)
    for name in _cases_of(constraint):
        case, _, focus = _case(name)
        data = Graph()
        data += mutated_graph(rules.CASES_DIR / f"{name}.ru")
        for triple in _class_hierarchy():
            data.add(triple)
        full = validate_graph(data, shapes)
        assert bool(_matches(full, case, focus)) == (name not in kills), name
        assert key(full) == key(shacl_sparql.validate_graph(data, shapes))
    if kills[0].startswith("the bundled graph's results"):
        data = Graph()
        data += _real_data()
        for triple in _class_hierarchy():
            data.add(triple)
        assert validate_graph(data, shapes).violations


def test_a_removed_constraint_is_noticed_in_the_file(tmp_path: Path):
    """The mutation as a person would make it: the two lines deleted from the shapes file."""
    text = rules.shapes_files()[0].read_text(encoding="utf-8")
    rule = "sh:path mk:withdrawalOf ; sh:maxCount 1 ; sh:class mk:Mission ;"
    assert rule in text
    mutated = tmp_path / "shapes.ttl"
    mutated.write_text(text.replace(rule, "sh:path mk:withdrawalOf ;"), encoding="utf-8")
    shapes = Graph().parse(mutated)
    for name in ("withdrawal-of-two-missions", "withdrawal-of-non-mission"):
        case, _, focus = _case(name)
        data = Graph()
        data += mutated_graph(rules.CASES_DIR / f"{name}.ru")
        for triple in _class_hierarchy():
            data.add(triple)
        assert _matches(shacl_sparql.validate_graph(data, rules.shapes_graph()), case, focus)
        assert not _matches(shacl_sparql.validate_graph(data, shapes), case, focus), name
