"""A page on another origin uses the endpoint from a browser, as a JavaScript client would:
``fetch`` with the headers browser libraries add (which makes the browser send a CORS
preflight), GET and POST, JSON results and JSON-LD, and the answer readable by the page."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytestmark = pytest.mark.browser

PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>client</title>
</head><body><p>another origin</p></body></html>"""

SCRIPT = """async (endpoint) => {
  const query = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }';
  const headers = {'Accept': 'application/sparql-results+json',
                   'X-Requested-With': 'XMLHttpRequest', 'Cache-Control': 'no-cache'};
  const get = await fetch(endpoint + '?query=' + encodeURIComponent(query), {headers});
  const post = await fetch(endpoint, {method: 'POST', body: query,
    headers: {...headers, 'Content-Type': 'application/sparql-query'}});
  const graph = await fetch(endpoint, {method: 'POST',
    body: 'DESCRIBE <https://w3id.org/mali-kg/id/minusma>',
    headers: {'Content-Type': 'application/sparql-query', 'Accept': 'application/ld+json'}});
  return {get: [get.status, await get.json()], post: [post.status, await post.json()],
          graph: [graph.status, graph.headers.get('content-type'), await graph.text()],
          truncated: get.headers.get('X-Mali-KG-Truncated')};
}"""


@pytest.fixture(scope="module")
def other_origin() -> Iterator[str]:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_page_on_another_origin_queries_the_endpoint(server_url, browse, other_origin):
    page, recorder = browse()
    page.goto(other_origin)
    result = page.evaluate(SCRIPT, server_url + "/sparql")
    for name in ("get", "post"):
        status, doc = result[name]
        assert status == 200, result
        assert int(doc["results"]["bindings"][0]["n"]["value"]) > 0
    status, media, body = result["graph"]
    assert status == 200 and media.startswith("application/ld+json")
    assert "https://w3id.org/mali-kg/id/minusma" in json.dumps(json.loads(body))
    assert result["truncated"] is None  # an exposed header the page can read (absent here)
    recorder.assert_clean()
