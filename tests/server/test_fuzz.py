"""Garbage in never gives a 5xx: random bodies, headers and parameters over real HTTP."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import LABEL_QUERY

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
# Header values a client can actually send: visible Latin-1, no CR/LF.
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=200,
).map(lambda s: s.strip().encode("latin-1"))
SPARQLISH = st.sampled_from([
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o",
    "<http://x>", "<", ">", '"', "'", '"""', "#", "\\u0053", "\\", "SERVICE", "FROM", "NAMED",
    "GRAPH", "FILTER", "regex", ".", ";", ",", "a", "PREFIX", "p:", "p:x", "_:b", "1", "1.5e3",
    "@en", "^^", "VALUES", "UNDEF", "LIMIT", "OPTIONAL", "BIND", "AS", "*", " ", "\n", "\x00",
])
queries = st.one_of(
    st.text(max_size=300),
    st.lists(SPARQLISH, max_size=40).map(" ".join),
    st.lists(SPARQLISH, max_size=40).map("".join),
    st.text(max_size=100).map(lambda s: LABEL_QUERY + s),
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                     "application/sparql-update", "text/plain", "multipart/form-data",
                     "application/sparql-query; charset=utf-8", "; ;", ""]),
    header_text,
)


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=60) as c:
        yield c


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert "Traceback" not in response.text


@FUZZ
@given(query=queries, accept=header_text, fmt=st.one_of(st.none(), header_text))
def test_get_garbage_query(client, query, accept, fmt):
    params = {"query": query}
    if fmt is not None:
        params["format"] = fmt
    check(client.get("/sparql", params=params, headers={"Accept": accept}))


@FUZZ
@given(body=st.binary(max_size=400), ctype=CONTENT_TYPES, accept=header_text)
def test_post_garbage_body(client, body, ctype, accept):
    check(client.post("/sparql", content=body,
                      headers={"Content-Type": ctype, "Accept": accept}))


@FUZZ
@given(query=queries)
def test_post_garbage_query(client, query):
    check(client.post("/sparql", content=query.encode("utf-8", "surrogatepass"),
                      headers={"Content-Type": "application/sparql-query"}))
    check(client.post("/sparql", data={"query": query}))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_raw_query_string(client, raw):
    # Arbitrary bytes, percent-encoded, as the whole query string.
    qs = "".join(f"%{b:02X}" if b not in b"=&" else chr(b) for b in raw)
    check(client.get("/sparql?" + qs))


@FUZZ
@given(path=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FFF,
                                  blacklist_characters="?#%\x7f"), max_size=60),
       accept=header_text, inm=header_text)
def test_linked_data_paths(client, path, accept, inm):
    sent = quote(path.lstrip("/"), safe="/:@!$&'()*+,;=.~-")  # "//x" would name a host
    for prefix in ("/id/", "/", "/data/", "/ontology."):
        check(client.get(prefix + sent, headers={"Accept": accept, "If-None-Match": inm}))
