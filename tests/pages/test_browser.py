"""The pages in a real browser: they load offline, link together, and show the data."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mali_kg import namespaces as ns
from mali_kg import resources

from .conftest import select

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "article": "/article",
    "article-span": "/article?span=mandate-end-july-1#at-mandate-end-july-1",
    "timeline": "/timeline",
    "entity-minusma": "/id/minusma",
    "entity-claim": "/id/claim-mandate-end-article",
    "entity-request": "/id/request-for-withdrawal",
    "entity-span": "/id/span/request",
    "diagram": "/diagram/minusma",
    "ontology": "/ontology",
    "validate": "/validate",
    "example": "/examples/02-mandate-end-conflicting-claims",
}
PHONE = ["home", "article-span", "timeline", "entity-minusma"]


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_offline(server_url, browse, screenshots, name):
    page, rec = browse()
    response = page.goto(server_url + PAGES[name], wait_until="load")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").count() == 1, "one h1 per page"
    alternates = page.locator('link[rel="alternate"]')
    assert alternates.count() >= 1, "the page advertises its data twin"
    assert 'rel="alternate"' in response.headers.get("link", "")
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    rec.assert_clean()
    # Every data twin the page advertises answers.
    for i in range(alternates.count()):
        href = alternates.nth(i).get_attribute("href")
        media = alternates.nth(i).get_attribute("type")
        twin = page.request.get(server_url + href, headers={"Accept": media})
        assert twin.status == 200, (href, media)


@pytest.mark.parametrize("name", PHONE)
def test_phone_width(server_url, browse, screenshots, name):
    page, rec = browse(width=375, height=740)
    page.goto(server_url + PAGES[name])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"{name} scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(screenshots / f"phone-{name}.png"), full_page=False)
    rec.assert_clean()


def test_home_entity_article_and_back(server_url, browse, screenshots):
    page, rec = browse()
    page.goto(server_url + "/")
    page.get_by_role("link", name="MINUSMA", exact=True).first.click()
    page.wait_for_url("**/id/minusma")
    assert page.locator("h1").inner_text() == "MINUSMA"
    entity_url = page.url
    # The words of the article behind one of MINUSMA's facts.
    words = page.locator("table.facts a.words").first
    href = words.get_attribute("href")
    assert href and href.startswith("/article?span=")
    key = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["span"][0]
    words.click()
    page.wait_for_url("**/article?span=*")
    highlighted = page.locator(".article-text .seg.hl")
    assert highlighted.count() >= 1
    assert highlighted.first.is_visible()
    assert key in highlighted.first.get_attribute("data-spans").split()
    assert page.locator(f'#selection [data-span="{key}"]').count() == 1
    page.screenshot(path=str(screenshots / "followed-span.png"))
    page.go_back()
    page.wait_for_url(entity_url)
    assert page.locator("h1").inner_text() == "MINUSMA"
    rec.assert_clean()


def test_select_span_with_keyboard(server_url, browse):
    page, rec = browse()
    page.goto(server_url + "/article")
    target = page.locator('.article-text a.seg[data-spans~="mandate-end-july-1"]').first
    target.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#selection")
    panel.locator('[data-span="mandate-end-july-1"]').wait_for()
    text = panel.inner_text()
    assert "as of July 1" in text
    assert "conflicts with" in text  # the conflicting claims, side by side
    assert "30 June 2023" in text  # the primary source's date beside the article's
    assert "span=mandate-end-july-1" in page.url
    rec.assert_clean()


def test_article_marks_conflicts_and_corrections(server_url, browse):
    page, rec = browse()
    page.goto(server_url + "/article")
    assert page.locator(".article-text .seg.conflict").count() >= 2
    correction = page.locator(".article-text .side.correction").first
    assert "30 June 2023" in correction.inner_text()
    paraphrase = page.locator(".article-text .side.paraphrase").first
    assert paraphrase.count() == 1
    rec.assert_clean()


def test_timeline_shows_every_dated_event(server_url, browse):
    # Independently of the page's own query: every date-valued triple of the data graph
    # whose subject is not a reified triple (one with rdf:subject).
    rows = select(server_url, f"""
        SELECT DISTINCT ?s ?p ?d WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s ?p ?d }}
          FILTER(isLiteral(?d) && DATATYPE(?d) = xsd:date)
          FILTER NOT EXISTS {{ ?s rdf:subject ?any }} }}""")
    expected = {(r["s"]["value"], r["d"]["value"]) for r in rows}
    assert len(expected) >= 8, "the graph should hold the dated events of the story"
    years = {d[:4] for _, d in expected}
    assert {"2013", "2023"} <= years
    page, rec = browse()
    page.goto(server_url + "/timeline")
    events = page.locator("svg.timeline a.event")
    drawn = {(events.nth(i).get_attribute("data-iri"), events.nth(i).get_attribute("data-date"))
             for i in range(events.count())}
    assert drawn == expected
    assert events.count() == len(rows)
    # Both claimed dates of the end of the mandate are on it.
    assert page.locator("svg.timeline a.event.conflict").count() >= 2
    # Each event links to its entity page.
    first = events.first
    href = first.get_attribute("href")
    assert href.startswith("/id/")
    first.click()
    page.wait_for_url("**" + href)
    assert page.locator("h1").count() == 1
    rec.assert_clean()


def test_validation_reports_a_violation(server_url, browse, screenshots):
    page, rec = browse()
    page.goto(server_url + "/validate")
    page.fill("#data", "@prefix mk: <https://w3id.org/mali-kg/ontology#> .\n"
                       "<https://w3id.org/mali-kg/id/nobody> a mk:Person .\n")
    page.get_by_role("button", name="Validate").click()
    verdict = page.locator(".verdict")
    verdict.wait_for(timeout=60_000)
    assert verdict.get_attribute("data-conforms") == "false"
    assert page.locator(".result.violation").count() >= 1
    assert "nobody" in page.locator(".report").inner_text()
    page.screenshot(path=str(screenshots / "validate-violation.png"), full_page=True)
    rec.assert_clean()


def test_validation_of_bundled_data_conforms(server_url, browse, screenshots):
    page, rec = browse()
    page.goto(server_url + "/validate")
    page.set_input_files("#file", str(resources.data_file()))
    page.get_by_role("button", name="Validate").click()
    verdict = page.locator(".verdict")
    verdict.wait_for(timeout=90_000)
    page.screenshot(path=str(screenshots / "validate-bundled.png"), full_page=True)
    # The bundled graph has a Warning (a claim a primary source contradicts) and Infos: no
    # violation, though SHACL's sh:conforms is false whenever any result is reported.
    assert verdict.get_attribute("data-violations") == "0", page.locator(".report").inner_text()
    assert verdict.inner_text().startswith("✓"), verdict.inner_text()
    rec.assert_clean()


def test_screenshots_written(screenshots):
    # Runs last in this module: the page tests above wrote their screenshots.
    shots = sorted(Path(screenshots).glob("*.png"))
    assert len(shots) >= len(PAGES)
