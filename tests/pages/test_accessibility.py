"""Accessibility: axe-core finds no critical or serious violation on any page.

axe-core is vendored in ``vendor/axe-core/`` (the version is in its README) and injected into
each page opened in Chromium; nothing is fetched from elsewhere. The pages' Content-Security-
Policy allows scripts from 'self' only, so these browser contexts bypass it to inject axe; the
other browser tests run the same pages under the policy.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mali_kg import namespaces as ns
from mali_kg import queries

from .conftest import select

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

PAGES = {
    "home": ("/", 200),
    "article": ("/article", 200),
    "article-span": ("/article?span=mandate-end-july-1#at-mandate-end-july-1", 200),
    "timeline": ("/timeline", 200),
    "ontology": ("/ontology", 200),
    "validate": ("/validate", 200),
    "entity-minusma": ("/id/minusma", 200),
    "diagram": ("/diagram/minusma", 200),
    "no-such-example": ("/examples/no-such-example", 404),
    "no-such-diagram": ("/diagram/no-such-resource", 404),
}
PHONE = ["home", "article", "article-span", "timeline", "entity-minusma"]
EXAMPLES = [q.name for q in queries.example_queries()]


def blocking_violations(page) -> list[str]:
    """Run axe-core on the page; one line per critical or serious violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["version"].startswith("4."), result["testEngine"]
    assert result["passes"], "axe-core checked nothing"
    lines = []
    for v in result["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        targets = ["; ".join(t if isinstance(t, str) else " >> ".join(t) for t in n["target"])
                   for n in v["nodes"]]
        lines.append(f"{v['id']} ({v['impact']}, {len(targets)} element"
                     f"{'' if len(targets) == 1 else 's'}): {v['help']}\n    "
                     + "\n    ".join(targets))
    return lines


def assert_accessible(page, where: str) -> None:
    lines = blocking_violations(page)
    assert not lines, f"axe-core on {where}:\n  " + "\n  ".join(lines)


def _open(browse, url: str, status: int = 200, **size):
    page, rec = browse(bypass_csp=True, **size)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, url
    return page, rec


@pytest.mark.parametrize("name", list(PAGES))
def test_page(server_url, browse, name):
    path, status = PAGES[name]
    page, rec = _open(browse, server_url + path, status)
    assert_accessible(page, path)
    assert not rec.outside


@pytest.mark.parametrize("name", PHONE)
def test_page_at_phone_width(server_url, browse, name):
    # The layout changes (the article's panel docks at the bottom and scrolls).
    path, status = PAGES[name]
    page, rec = _open(browse, server_url + path, status, width=375, height=740)
    assert_accessible(page, f"{path} at phone width")
    assert not rec.outside


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_page(server_url, browse, name):
    page, rec = _open(browse, f"{server_url}/examples/{name}")
    assert_accessible(page, f"/examples/{name}")
    assert not rec.outside


def test_entity_pages(server_url, browse):
    # One resource of each class (the first by IRI), so each kind of entity page is seen.
    rows = select(server_url, f"""
        SELECT ?class (MIN(STR(?s)) AS ?first) WHERE {{ ?s a ?class
          FILTER(STRSTARTS(STR(?s), "{ns.ID}") && !CONTAINS(STR(?s), "#")) }}
        GROUP BY ?class""")
    paths = sorted({"/id/" + r["first"]["value"][len(ns.ID):] for r in rows})
    assert len(paths) >= 10, paths
    page, rec = browse(bypass_csp=True)
    problems = []
    for path in paths:
        response = page.goto(server_url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        problems += [f"{path}: {line}" for line in blocking_violations(page)]
    assert not problems, "axe-core on the entity pages:\n  " + "\n  ".join(problems)
    assert not rec.outside


def test_validation_report(server_url, browse):
    page, rec = _open(browse, server_url + "/validate")
    page.fill("#data", "@prefix mk: <https://w3id.org/mali-kg/ontology#> .\n"
                       "<https://w3id.org/mali-kg/id/nobody> a mk:Person .\n")
    page.get_by_role("button", name="Validate").click()
    page.locator(".verdict").wait_for(timeout=60_000)
    assert page.locator(".result.violation").count() >= 1
    assert_accessible(page, "/validate with a report")
    assert not rec.outside


def test_validation_error(server_url, browse):
    page, rec = _open(browse, server_url + "/validate")
    page.fill("#data", "this is not { RDF")
    page.get_by_role("button", name="Validate").click()
    page.locator(".alert").wait_for(timeout=60_000)
    assert_accessible(page, "/validate with an error")
    assert not rec.outside


def test_query_editor(server_url, browse):
    page, rec = _open(browse, server_url + "/sparql")
    page.locator(".yasqe .CodeMirror >> visible=true").first.wait_for(timeout=15_000)
    assert_accessible(page, "/sparql")
    # Its settings menu, open.
    page.locator(".tabPanel.active .tabContextButton").click()
    page.locator(".tabPanel.active .tabMenu.open").wait_for()
    assert_accessible(page, "/sparql with the settings open")
    assert not rec.outside


def test_query_editor_with_results(server_url, browse):
    query = ns.sparql_prologue() + "SELECT ?s ?label WHERE { ?s rdfs:label ?label } LIMIT 100"
    page, rec = _open(browse, f"{server_url}/sparql?query={urllib.parse.quote(query)}")
    page.locator(".yasr table tbody tr >> visible=true").first.wait_for(timeout=15_000)
    assert_accessible(page, "/sparql with results")
    # The same results as the response text.
    page.locator(".tabPanel.active .select_response").click()
    page.locator(".tabPanel.active .yasr .CodeMirror").wait_for()
    assert_accessible(page, "/sparql with the response shown")
    assert not rec.outside
