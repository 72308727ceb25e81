"""The query UI for browsers at GET /sparql: vendored YASGUI with the example queries as tabs.

YASGUI (``@triply/yasgui``, version in ``static/yasgui/VERSION``) is served from
``/static/yasgui/``; nothing is loaded from elsewhere, so the page works offline. This module
gathers the page's configuration; the renderer (``ctx.renderer``, template ``query.html``)
puts it in the page as a JSON data block read by ``/static/query-ui.js`` — no inline script,
which lets the Content-Security-Policy allow scripts from 'self' only. The same script names
YASGUI's unlabelled fields and keeps its tab list well-formed as it redraws, and
``/static/query-ui.css`` gives its text enough contrast.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import namespaces as ns
from .. import queries
from .context import ServerContext

STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_QUERY = """SELECT ?s ?label WHERE {
  ?s rdfs:label ?label .
  FILTER(lang(?label) = 'en')
} LIMIT 25
"""


def example_queries() -> list[dict[str, str]]:
    """Short name and text of each ``queries/examples/*.rq`` (the title is in the text)."""
    return [{"name": q.name, "query": q.text} for q in queries.example_queries()]


def query_page(request: Request, ctx: ServerContext,
               initial_query: str | None = None) -> HTMLResponse:
    """The UI; ``initial_query`` (from a ``/sparql?query=`` link) opens in a tab and runs."""
    examples = example_queries()
    default_query = ns.sparql_prologue() + "\n" + DEFAULT_QUERY
    version = hashlib.sha256(json.dumps(examples).encode()).hexdigest()[:12]
    config = {"endpoint": ctx.endpoint_url(request), "examples": examples,
              "defaultQuery": default_query, "prefixes": ns.PREFIXES, "version": version,
              "initialQuery": initial_query}
    return HTMLResponse(ctx.renderer.render_query_editor(config=config),
                        headers={"Vary": "Accept", "Cache-Control": "no-cache"})
