"""``serve --backend`` in front of real engines (Oxigraph server, Virtuoso 7.2): loading
with ``load --into``, nothing reaching the engine but standard SPARQL 1.1 (canaries prove that
nothing is fetched or read), credentials never shown, an engine that fails or goes away, and
the result cache over data that can change.

The protocol, safety, Linked Data, client and page tests run over the same backends too
(modules marked ``backends``; see ``tests/conftest.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import load_into, loaded_engine, start_server

from bench import engines as eng
from bench.soak import tree_pids
from mali_kg.store import open_store

from .helpers import canary_server

pytestmark = pytest.mark.backends

JSON = {"Accept": "application/sparql-results+json"}
TRIPLES = len(open_store())  # the bundled graph, as the embedded store holds it
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SECRET = "canary-7f3a-do-not-read"


def count(client: httpx.Client) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers=JSON)
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as c:
        yield c


def test_every_backend_serves_the_bundled_graph(client, backend):
    # The dataset is pinned to the served graphs: Virtuoso's own system graphs never show.
    assert count(client) == TRIPLES
    health = client.get("/health").json()
    assert health["triples"] == TRIPLES and health["graphs"] == 4


@pytest.mark.parametrize("name", ["oxigraph", "virtuoso"])
def test_load_into_reports_triples_per_second(engines, name):
    engine = loaded_engine(engines, name)
    done = load_into(engine)  # again: each graph is replaced, not doubled
    assert f"loaded {TRIPLES} triples into 4 graphs" in done.stdout
    assert "triples/s" in done.stdout
    from mali_kg import store
    from mali_kg.remote import Backend, RemoteStore

    remote = RemoteStore(Backend(engine.query_url, tuple(store.bundled_graphs())))
    assert sum(remote.graph_sizes().values()) == TRIPLES


def test_load_into_asks_for_credentials_when_the_engine_does(engines):
    engine = loaded_engine(engines, "virtuoso")
    cmd = [sys.executable, "-m", "mali_kg", "load", "--into", engine.store_url]
    env = {k: v for k, v in os.environ.items() if k != "MALI_KG_BACKEND_PASSWORD"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2  # an error, as for a file that does not parse
    assert "401" in done.stderr and "--user" in done.stderr and "Traceback" not in done.stderr


# Each of these would make some engine read a file or fetch a URL; none may reach it.
def attacks(canary: str, secret_file: Path) -> list[tuple[str, int]]:
    file_iri = secret_file.as_uri()
    bif = "PREFIX bif: <http://www.openlinksw.com/schemas/bif#>\n"
    sql = "PREFIX sql: <http://www.openlinksw.com/schemas/sql#>\n"
    return [
        (f'DEFINE get:soft "replace" SELECT * FROM <{canary}/soft> WHERE {{ ?s ?p ?o }}', 400),
        (f"DEFINE input:grab-all \"yes\" SELECT * WHERE {{ <{canary}/grab> ?p ?o }}", 400),
        (f"SELECT * FROM <{canary}/from> WHERE {{ ?s ?p ?o }}", 400),
        (f"SELECT * FROM NAMED <{file_iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        (f"SELECT * WHERE {{ SERVICE <{canary}/service> {{ ?s ?p ?o }} }}", 403),
        (f"SELECT * WHERE {{ SERVICE SILENT <{file_iri}> {{ ?s ?p ?o }} }}", 403),
        (bif + f"SELECT (bif:file_to_string('{secret_file}') AS ?x) WHERE {{}}", 403),
        (bif + f"SELECT (bif:http_get('{canary}/bif') AS ?x) WHERE {{}}", 403),
        (sql + f"SELECT * WHERE {{ BIND(sql:file_to_string('{secret_file}') AS ?x) }}", 403),
        (bif + f"ASK {{ FILTER(bif:contains(\"{canary}\", \"x\")) }}", 403),
        (f"SELECT * WHERE {{ ?s ?p ?o FILTER(<{canary}/fn>(?s)) }}", 403),
        (f"LOAD <{canary}/load>", 403),
    ]


def test_nothing_is_fetched_or_read(client, tmp_path):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    with canary_server() as canary:
        for query, status in attacks(canary.url, secret_file):
            r = client.get("/sparql", params={"query": query}, headers=JSON)
            assert r.status_code == status, (query, r.text)
            assert SECRET not in r.text and "Traceback" not in r.text
        r = client.get("/sparql", params={"query": COUNT, "default-graph-uri":
                                          f"{canary.url}/param"}, headers=JSON)
        assert r.status_code == 400
    assert canary.requests == []


def test_an_extension_function_is_refused_by_name(client):
    query = ("PREFIX bif: <http://www.openlinksw.com/schemas/bif#>\n"
             "SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, 'Mali')) }")
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 403
    assert "<http://www.openlinksw.com/schemas/bif#contains>" in r.text
    assert "SPARQL 1.1" in r.text


def test_functions_the_checker_has_built_in_are_refused_too(client, backend):
    # pyoxigraph's evaluator knows GeoSPARQL's functions, so its planner does not name them:
    # the embedded store computes them; no other engine is sent them.
    geof = "http://www.opengis.net/def/function/geosparql/"
    wkt = '"POINT(0 0)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>'
    query = (f"PREFIX g: <{geof[:30]}>\n"  # a prefix that stops short of the namespace
             f"SELECT (g:{geof[30:].replace('/', chr(92) + '/')}sfIntersects({wkt}, {wkt}) "
             "AS ?x) WHERE {}")
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    if backend == "embedded":
        assert r.json()["results"]["bindings"][0]["x"]["value"] == "true"
        return
    assert r.status_code == 403, r.text
    assert f"<{geof}sfIntersects>" in r.text and "SPARQL 1.1" in r.text


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { << ?s ?p ?o >> ?q ?r }",
    "SELECT * WHERE { ?s ?p ?o LATERAL { SELECT ?x WHERE { ?x ?y ?z } LIMIT 1 } }",
    'SELECT ("a"@en--ltr AS ?x) WHERE {}',
    "SELECT * WHERE { ?s ?p ?o {| ?a ?b |} }",
])
def test_what_pyoxigraph_reads_beyond_sparql_11_is_not_sent(client, backend, query):
    # The embedded store answers it (pyoxigraph's own); no other engine is sent it.
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    if backend == "embedded":
        assert r.status_code == 200, r.text
        return
    assert r.status_code == 403, r.text
    assert "is not SPARQL 1.1" in r.text


def test_xsd_casts_and_builtins_are_standard(client):
    query = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
             "SELECT (xsd:integer('7') + STRLEN(UCASE('mali')) AS ?n) WHERE {}")
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "11"


def test_json_answers_are_in_the_sparql_1_1_format(client, backend):
    # Oxigraph server's answer is sent as it wrote it, the same bytes as the embedded store's;
    # Virtuoso 7.2 writes "typed-literal" (SPARQL 1.0's JSON), so its answer is written again.
    xsd_date = "http://www.w3.org/2001/XMLSchema#date"
    query = (f"SELECT DISTINCT ?d WHERE {{ ?s ?p ?d FILTER(DATATYPE(?d) = <{xsd_date}>) }} "
             "ORDER BY ?d LIMIT 2")
    r = client.get("/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    assert b"typed-literal" not in r.content
    assert r.json()["results"]["bindings"] == [
        {"d": {"type": "literal", "datatype": xsd_date, "value": day}}
        for day in ("2013-04-25", "2023-06-16")]
    if backend != "virtuoso":
        embedded = open_store().query(query, use_default_graph_as_union=True)
        assert r.content == embedded.serialize(format=ox.QueryResultsFormat.JSON)


def test_credentials_are_never_shown(engines):
    engine = loaded_engine(engines, "oxigraph")  # it ignores authentication
    parts = urllib.parse.urlsplit(engine.query_url)
    url = f"http://reader:{SECRET}@{parts.netloc}{parts.path}"
    with start_server("--backend", url) as server, \
            httpx.Client(base_url=server.url, timeout=30) as c:
        assert count(c) == TRIPLES
        seen = [c.get("/health").text,
                c.get("/sparql", headers={"Accept": "text/turtle"}).text,
                c.get("/.well-known/void", headers={"Accept": "text/turtle"}).text,
                c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p"}).text]
        # The engine refuses what it cannot evaluate: its message is quoted, not the URL's
        # credentials.
        seen.append(c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } "
                                             "OFFSET 99999999999999999999999"}).text)
        for pid in tree_pids(server.process.pid)[1:]:  # all but the supervisor
            seen.append(Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"))
        seen.append(server.log())
    assert all(SECRET not in text for text in seen)


@pytest.fixture
def own_engine(tmp_path):
    with eng.oxigraph_server(tmp_path / "engine") as engine:
        load_into(engine)
        yield engine


def test_an_engine_that_goes_away_is_a_502_and_the_server_stays_up(own_engine):
    with start_server("--backend", own_engine.query_url) as server, \
            httpx.Client(base_url=server.url, timeout=30) as c:
        assert count(c) == TRIPLES
        eng.stop_process(own_engine.process)
        r = c.get("/sparql", params={"query": COUNT}, headers=JSON)
        assert r.status_code == 502
        assert "could not be reached" in r.text and "Traceback" not in r.text
        assert c.get("/health").status_code == 200


NEW_TRIPLE = "<https://w3id.org/mali-kg/id/x> <https://w3id.org/mali-kg/ontology#y> \"z\" .\n"


def _add_a_triple(engine) -> None:
    from mali_kg import namespaces as ns

    r = httpx.post(engine.store_url, params={"graph": ns.GRAPH_DATA}, content=NEW_TRIPLE,
                   headers={"Content-Type": "application/n-triples"})
    assert r.status_code in (200, 201, 204), r.text


def test_a_query_given_up_on_keeps_its_worker_until_the_engine_ends_it(own_engine):
    """Oxigraph server goes on evaluating when the connection closes: the worker waits for
    its answer instead of being replaced, so the engine never evaluates more of our queries
    than the pool's limit; then the worker serves again."""
    pairs = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 22 million: seconds
    with start_server("--backend", own_engine.query_url, "--timeout", "0.5") as server, \
            httpx.Client(base_url=server.url, timeout=30) as c:
        r = c.get("/sparql", params={"query": pairs}, headers=JSON)
        assert r.status_code == 504, r.text
        pool = c.get("/health").json()["pool"]["query"]
        assert pool["draining"] == 1 and pool["busy"] >= 1 and pool["replaced"] == 0
        assert count(c) == TRIPLES  # another worker answers meanwhile
        deadline = time.monotonic() + 60
        while pool["draining"] and time.monotonic() < deadline:
            time.sleep(0.2)
            pool = c.get("/health").json()["pool"]["query"]
        assert pool["draining"] == 0 and pool["replaced"] == 0, pool
        assert pool["busy"] == 0
        assert count(c) == TRIPLES


def test_answers_follow_the_engine_unless_a_cache_ttl_is_given(own_engine):
    with start_server("--backend", own_engine.query_url) as fresh, \
            start_server("--backend", own_engine.query_url, "--cache-ttl", "600") as kept, \
            httpx.Client(base_url=fresh.url, timeout=30) as a, \
            httpx.Client(base_url=kept.url, timeout=30) as b:
        assert count(a) == count(b) == TRIPLES
        _add_a_triple(own_engine)
        assert count(a) == TRIPLES + 1  # no cache by default: the engine's answer now
        assert count(b) == TRIPLES  # kept for --cache-ttl seconds, as asked


def test_chains_that_crash_engines_never_reach_them(client, backend):
    # Oxigraph server 0.5 dies (stack overflow) on 1,000 MINUS; the embedded store runs its
    # parser on a large stack and answers.
    r = client.get("/sparql", params={"query": "SELECT * WHERE { " + "MINUS{}" * 1000 + " }"},
                   headers=JSON)
    if backend == "embedded":
        assert r.status_code == 200
    else:
        assert r.status_code == 400 and "at most 400" in r.text
    assert count(client) == TRIPLES  # the engine is still there


def test_a_text_found_standard_is_not_parsed_again(monkeypatch):
    from mali_kg import remote

    text = "SELECT * WHERE { ?s ?p ?o } # asked twice"
    remote.standard_only(text, None, frozenset())
    monkeypatch.setattr(remote, "_PARSER", None)  # parsing again would fail
    remote.standard_only(text, None, frozenset())
    with pytest.raises(AttributeError):  # another text, or the same with other functions
        remote.standard_only(text, None, frozenset({"http://example.org/f"}))


def test_the_check_parses_as_pyoxigraph_does_and_never_asks_a_service():
    """A query that calls no function by name is only parsed (not planned): its errors are
    pyoxigraph's own, to the character. No check evaluates anything, so a SERVICE that
    --allow-service lets through is asked by the engine alone, not by the check too."""
    from mali_kg import remote

    assert remote._PARSES_FIRST  # this pyoxigraph parses before it checks its arguments
    for text in ("SELECT * WHERE { ?s ?p ?o", 'DEFINE get:soft "replace" SELECT * {}',
                 "SELECT ?x WHERE { BIND(1 AS ?x) BIND(2 AS ?x) }",
                 "SELECT ?x WHERE {} GROUP BY ?y", "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
                 "ASK { FILTER(STR(?x, ?y)) }"):
        with pytest.raises(SyntaxError) as theirs:
            ox.Store().query(text)
        with pytest.raises(SyntaxError) as ours:
            remote.standard_only(text, None, frozenset())
        assert str(ours.value) == str(theirs.value), text
    with canary_server() as canary:
        for text in (f"SELECT * WHERE {{ SERVICE <{canary.url}/a> {{ ?s ?p ?o }} }}",
                     f"SELECT * WHERE {{ SERVICE <{canary.url}/b> {{ ?s ?p ?o }} "
                     "FILTER(<http://www.w3.org/2001/XMLSchema#integer>(?o) > 1) }",
                     f"SELECT * WHERE {{ service silent <{canary.url}/c> {{ ?s ?p ?o }} "
                     "BIND(<http://www.w3.org/2001/XMLSchema#string>(?o) AS ?t) }"):
            remote.standard_only(text, None, frozenset())
        with pytest.raises(remote.NotStandard, match="<http://x/f>"):
            remote.standard_only(f"SELECT * WHERE {{ SERVICE <{canary.url}/d> {{ ?s ?p ?o }} "
                                 "FILTER(<http://x/f>(?o)) }", None, frozenset())
    assert canary.requests == []
