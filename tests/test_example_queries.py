"""Every example query has a golden result, and every golden result has a query.

Golden files are SPARQL 1.1 JSON results (``NN-name.srj`` beside ``NN-name.rq``). To refresh them
after a deliberate change of the data, run ``MALI_KG_UPDATE_GOLDEN=1 uv run pytest
tests/test_example_queries.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re

import pyoxigraph as ox
import pytest

from mali_kg import queries, resources, store

EXAMPLES = queries.example_queries()
UPDATE = os.environ.get("MALI_KG_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    return store.open_store()


def test_there_are_enough_examples():
    assert len(EXAMPLES) >= 15


def test_every_golden_file_has_a_query():
    folder = resources.root() / "queries" / "examples"
    goldens = {p.stem for p in folder.glob("*.srj")}
    assert goldens, "no golden results found"
    assert goldens == {q.name for q in EXAMPLES}


@pytest.mark.parametrize("query", EXAMPLES, ids=lambda q: q.name)
def test_example_has_a_title_and_its_golden_result(query, graph):
    assert query.title and query.title != query.name, "start the file with a '# title' line"
    result = store.run_query(graph, query.text)
    assert isinstance(result, ox.QuerySolutions)
    produced = result.serialize(format=ox.QueryResultsFormat.JSON)
    golden = query.path.with_suffix(".srj")
    if UPDATE:
        golden.write_text(json.dumps(json.loads(produced), indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    actual = json.loads(produced)
    assert actual["head"]["vars"] == expected["head"]["vars"]
    rows, want = actual["results"]["bindings"], expected["results"]["bindings"]
    assert rows, "an example query must answer something"
    if not re.search(r"\bORDER\s+BY\b", query.text, re.IGNORECASE):
        rows, want = sorted(rows, key=_key), sorted(want, key=_key)
    assert rows == want


def _key(row: dict) -> str:
    return json.dumps(row, sort_keys=True)
