"""The SPARQL query UI (vendored YASGUI) in a real browser: offline, with the examples as tabs."""

from __future__ import annotations

import pytest

from mali_kg import queries

pytestmark = pytest.mark.browser


def test_query_ui_runs_a_query_offline(server_url, browse, screenshots):
    page, rec = browse()
    response = page.goto(server_url + "/sparql", wait_until="load")
    assert response is not None and response.status == 200
    assert "text/html" in response.headers["content-type"]
    page.locator(".yasqe .CodeMirror >> visible=true").first.wait_for(timeout=15_000)
    tabs = page.locator(".tabsList .tab")
    assert tabs.count() >= len(queries.example_queries())
    # Run the query in the open tab and wait for the results table.
    page.locator(".yasqe_queryButton >> visible=true").first.click()
    rows = page.locator(".yasr table tbody tr >> visible=true")
    rows.first.wait_for(timeout=15_000)
    assert rows.count() >= 1
    page.screenshot(path=str(screenshots / "query-ui.png"), full_page=False)
    rec.assert_clean()


def test_a_query_link_opens_in_the_ui_and_runs(server_url, browse):
    from urllib.parse import quote

    page, rec = browse()
    query = ("SELECT ?label WHERE { <https://w3id.org/mali-kg/id/minusma> "
             "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    response = page.goto(f"{server_url}/sparql?query={quote(query)}", wait_until="load")
    assert response is not None and "text/html" in response.headers["content-type"]
    rows = page.locator(".yasr table tbody tr >> visible=true")
    rows.first.wait_for(timeout=15_000)
    assert "MINUSMA" in page.locator(".yasr >> visible=true").first.inner_text()
    rec.assert_clean()


def test_query_ui_markup_is_accessible_under_the_csp(server_url, browse):
    # The fixes of /static/query-ui.js run under the page's own Content-Security-Policy.
    page, rec = browse()
    page.goto(server_url + "/sparql", wait_until="load")
    page.locator(".yasqe .CodeMirror >> visible=true").first.wait_for(timeout=15_000)
    assert page.locator("h1").count() == 1
    page.get_by_role("textbox", name="SPARQL query").filter(visible=True).first.wait_for()
    assert page.get_by_role("textbox", name="SPARQL endpoint").filter(visible=True).count()
    tablist = page.locator('[role="tablist"]')
    # A tab list holds tabs only: the add-tab button follows it.
    assert tablist.locator("button, input:visible").count() == 0
    assert page.locator(".tabsBar > .addTab").count() == 1
    for tab in tablist.locator('[role="tab"][aria-controls]').all():
        assert page.locator(f'[id="{tab.get_attribute("aria-controls")}"]').count() == 1
    # Arrow keys, Home and End move between the tabs; Enter opens one.
    tabs = tablist.get_by_role("tab")
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == tabs.nth(1).text_content()
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.textContent") == tabs.last.text_content()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == tabs.first.text_content()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    assert tabs.last.get_attribute("aria-selected") == "true"
    rec.assert_clean()
