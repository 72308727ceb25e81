"""Portable queries: the same answers on the embedded store, Oxigraph server and Virtuoso 7.2.

Every example query (``queries/examples``), every query behind the pages
(``mali_kg.pages``) and every query of the shapes' SPARQL (the SHACL-to-SPARQL translation of
``shapes/``, SHACL-SPARQL constraints included) runs unchanged on three stores (decision 18):

- the embedded store (pyoxigraph, the union of the bundled graphs as the default graph);
- Oxigraph server and Virtuoso 7.2, each started once for the session on a free port
  (``tests/conftest.py``, ``bench/engines.py``), loaded with ``mali-kg load --into`` and read
  through :class:`mali_kg.remote.RemoteStore`, which pins the dataset to the bundled graphs.

Answers are compared as sets of rows. Terms are compared as they are (blank nodes without
their labels, which are each store's own), with one exception, named and applied to
Virtuoso's answers only (:func:`virtuoso_term`):

- **xsd:boolean is written "1"/"0" by Virtuoso** where the data says ``true``/``false`` (the
  same value: XSD allows both lexical forms). Virtuoso's SQL engine has no boolean type:
  https://github.com/openlink/virtuoso-opensource/issues/251 and
  https://github.com/openlink/virtuoso-opensource/issues/485. So a value is read
  canonically, and a validation message that shows one (a SHACL-SPARQL template filled with
  it) is compared with the words true and false read as 1 and 0 on both sides.

Where Virtuoso 7.2 evaluates standard SPARQL differently, the queries avoid it rather than
the test forgiving it (decision 18 has the table):

- ``sameTerm`` inside ``||``, ``COALESCE`` or ``IF`` is wrong:
  https://github.com/openlink/virtuoso-opensource/issues/20;
- a FILTER in an ``EXISTS`` or ``NOT EXISTS`` group that has no triple pattern is not
  applied (no issue found in Virtuoso's tracker);
- a repeated path (``*``, ``+``, ``?``) with both ends bound returns a row once per start
  node and drops the other rows that share it (no issue found for exactly this; the closest:
  https://github.com/openlink/virtuoso-opensource/issues/704);
- ``isIRI`` of a blank node is true (no issue found for exactly this; related:
  https://github.com/openlink/virtuoso-opensource/issues/1 and
  https://github.com/openlink/virtuoso-opensource/issues/327);
- ``<`` compares a string with a number or a date, ``isLiteral`` of a failed cast is true,
  arithmetic on a string stops the query (no issues found);
- ``SHA256`` of a stored non-ASCII string hashes its UTF-8 bytes read as Latin-1 unless it is
  cast with ``xsd:string(…)`` first (no issue found for SHA256; the same double encoding in
  ``CONCAT``: https://github.com/openlink/virtuoso-opensource/issues/944 and
  https://github.com/openlink/virtuoso-opensource/issues/1414);
- an ASK is answered as a result set of ``__ASK_RETVAL`` and blank nodes are labelled
  ``nodeID://…``, which :mod:`mali_kg.remote` reads as the boolean and the label they mean
  (related: https://github.com/openlink/virtuoso-opensource/issues/1016).

And where no engine is wrong but the answer is each engine's own, no query relies on it: the
order of GROUP_CONCAT and of rows without ORDER BY, the order ORDER BY gives literals of
different languages, and the language tag of an aggregate (GROUP_CONCAT of ``@en`` labels is
``@en`` on Oxigraph 0.5 and a plain string on Virtuoso; the specification is read both ways,
https://github.com/w3c/rdf-tests/issues/280, and Oxigraph changes its answer in
https://github.com/oxigraph/oxigraph/pull/1717).

``validate --endpoint`` gives the same report on both engines as the embedded store, on the
bundled graph and on each failing case of ``tests/shapes/cases``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import loaded_engine
from shapes.test_shapes import mutated_ntriples

from mali_kg import cli, graph_store, queries, shacl_sparql, store
from mali_kg import namespaces as ns
from mali_kg.gate.lexer import TokenKind, tokenize
from mali_kg.remote import Backend, RemoteStore

pytestmark = pytest.mark.backends

ENGINES = ("oxigraph", "virtuoso")
XSD_BOOLEAN = ns.XSD + "boolean"
EXAMPLES = queries.example_queries()
CASES = sorted((Path(__file__).parent / "shapes" / "cases").glob("*.ru"))
CASE_GRAPH = "urn:x-mali-kg:test:case:"
SLOT_GRAPH = "urn:x-mali-kg:test:slot:"
SLOTS = 2  # graphs of each engine that cases are validated in, side by side
ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


# --- the stores ---------------------------------------------------------------------------

@dataclass
class Stores:
    embedded: ox.Store
    remote: dict[str, RemoteStore]
    engines: dict  # name -> bench.engines.Engine

    def answer(self, name: str, query: str) -> set[tuple]:
        """The rows of a SELECT, as a set of (variable, term) tuples, terms normalised (an
        ASK's answer as one row)."""
        if name == "embedded":
            result = store.run_query(self.embedded, query)
        else:
            result = self.remote[name].query(query, base_iri=ns.BASE)
        if isinstance(result, ox.QueryBoolean):
            return {(("ASK", str(bool(result))),)}
        assert isinstance(result, ox.QuerySolutions), "the pages make SELECT and ASK queries"
        names = [v.value for v in result.variables]
        fix = virtuoso_term if name == "virtuoso" else same_term
        return {tuple((n, fix(row[n])) for n in names) for row in result}


@pytest.fixture(scope="module")
def stores(engines) -> Stores:
    started = {name: loaded_engine(engines, name) for name in ENGINES}
    graphs = list(store.bundled_graphs())
    remote = {name: RemoteStore(Backend(e.query_url, tuple(graphs)))
              for name, e in started.items()}
    return Stores(store.open_store(), remote, started)


def same_term(term) -> str | None:
    """A term as N-Triples; a blank node as ``_:`` (each store labels blank nodes its own
    way, and a label means nothing outside the answer it is in)."""
    if term is None:
        return None
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def virtuoso_term(term) -> str | None:
    """Virtuoso's answer, with its lexical form of booleans ("1", "0") read as the
    canonical one; nothing else is changed."""
    return same_term(canonical_boolean(term))


def assert_same_answers(stores: Stores, query: str, what: str) -> None:
    expected = stores.answer("embedded", query)
    for name in ENGINES:
        got = stores.answer(name, query)
        if got != expected:
            pytest.fail(f"{what}: {name} answers differently from the embedded store\n"
                        f"only embedded: {sorted(expected - got)[:3]}\n"
                        f"only {name}: {sorted(got - expected)[:3]}\n{query}", pytrace=False)


# --- the example queries --------------------------------------------------------------------

def test_there_are_examples():
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("query", EXAMPLES, ids=lambda q: q.name)
def test_example_query_is_portable(stores, query):
    assert stores.answer("embedded", query.text), "an example query must answer something"
    assert_same_answers(stores, query.text, query.name)


@pytest.mark.parametrize("query", [q for q in EXAMPLES if ORDERED.search(q.text)],
                         ids=lambda q: q.name)
def test_ordered_example_has_one_order(stores, query):
    """The golden results keep the order of a query with ORDER BY: every engine must give
    it, so the ORDER BY must decide between any two rows the same way everywhere."""
    def rows(name):
        if name == "embedded":
            result, fix = store.run_query(stores.embedded, query.text), same_term
        else:
            result = stores.remote[name].query(query.text, base_iri=ns.BASE)
            fix = virtuoso_term if name == "virtuoso" else same_term
        names = [v.value for v in result.variables]
        return [tuple(fix(row[n]) for n in names) for row in result]

    expected = rows("embedded")
    for name in ENGINES:
        assert rows(name) == expected, f"{query.name}: {name} orders the rows differently"


def test_no_example_relies_on_an_unordered_aggregate():
    """GROUP_CONCAT's order and its result's language tag are each engine's own."""
    for query in EXAMPLES:
        words = {t.text.upper() for t in tokenize(query.text) if t.kind is TokenKind.WORD}
        assert "GROUP_CONCAT" not in words, query.name


# --- the pages' queries ---------------------------------------------------------------------

class Recorder:
    """A pages ``query(sparql)`` callable over the embedded store that keeps every query."""

    def __init__(self, embedded: ox.Store):
        self.embedded = embedded
        self.texts: list[str] = []

    def __call__(self, sparql: str):
        if sparql not in self.texts:
            self.texts.append(sparql)
        return store.run_query(self.embedded, sparql)


def render_pages(query, samples: list[str]) -> dict[str, str]:
    """The home page, the article, the timeline, the ontology, an example, and the page and
    diagram of each sample resource (HTML, and the JSON twins), read through ``query``."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from mali_kg.pages import Renderer
    from mali_kg.pages.routes import router

    app = FastAPI()
    app.include_router(router)
    app.state.pages_query = query
    paths = ["/", "/index.json", "/article", "/article.json", "/timeline", "/timeline.json",
             f"/examples/{EXAMPLES[0].name}"]
    paths += [f"/diagram/{s[len(ns.ID):]}.json" for s in samples]
    pages = {}
    with TestClient(app) as client:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = response.text
    renderer = Renderer()
    for s in samples:
        pages[s] = renderer.render_entity(query, s, base_path="/", alternates=[])
    pages["/ontology"] = renderer.render_ontology(query, base_path="/", alternates=[])
    return pages


def sample_resources(embedded: ox.Store) -> list[str]:
    """One resource of each class of the data."""
    return sorted({row["s"].value for row in embedded.query(
        f"SELECT (MIN(STR(?r)) AS ?s) WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?r a ?c }} "
        f"FILTER(STRSTARTS(STR(?r), \"{ns.ID}\")) }} GROUP BY ?c")})


def test_page_queries_are_portable(stores):
    recorder = Recorder(stores.embedded)
    render_pages(recorder, sample_resources(stores.embedded))
    assert len(recorder.texts) >= 50, "the pages made too few queries: nothing was checked"
    for text in recorder.texts:
        assert_same_answers(stores, text, "a page's query")


class Solutions:
    """A SELECT's answer as the pages read it: its variables, and rows by name."""

    def __init__(self, variables, rows: list[dict]):
        self.variables = variables
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


def read_as_virtuoso_means(store_):
    """A pages ``query`` over Virtuoso (through ``RemoteStore``, as ``serve --backend``),
    its "1"/"0" booleans read as the canonical forms (the one named engine difference)."""
    from mali_kg.pages.sparql import as_query

    query = as_query(store_)

    def read(sparql: str):
        result = query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            return result
        names = [v.value for v in result.variables]
        rows = [{n: canonical_boolean(row[n]) for n in names} for row in result]
        return Solutions(result.variables, rows)

    return read


def canonical_boolean(term):
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN \
            and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def test_pages_read_the_same_from_every_store(stores):
    """The pages themselves, over each engine as 'serve --backend' reads it: the same text,
    so no page relies on the order of rows a query does not order."""
    from mali_kg.pages.sparql import as_query

    samples = sample_resources(stores.embedded)
    expected = render_pages(as_query(stores.embedded), samples)
    for name in ENGINES:
        remote = stores.remote[name]
        got = render_pages(read_as_virtuoso_means(remote) if name == "virtuoso"
                           else as_query(remote), samples)
        differ = [page for page in expected if got[page] != expected[page]]
        assert not differ, f"over {name}, these pages differ from the embedded store's: {differ}"


# --- the shapes' SPARQL: validate --endpoint --------------------------------------------------

def report_key(results: list[dict], engine: str = "embedded", *,
               booleans_in_messages: bool = False) -> Counter:
    """Results as (focus node, path, value, component, shape, severity, message), blank node
    labels dropped (each store labels them its own way), Virtuoso's booleans read
    canonically. A message fills its template with the values as the engine wrote them;
    with ``booleans_in_messages`` the words true and false in messages are read as 1 and 0
    (on both sides of a comparison with Virtuoso)."""
    def norm(text):
        if text is None:
            return None
        text = re.sub(r"_:[A-Za-z0-9]+", "_:", text)
        if engine == "virtuoso":
            text = re.sub(r'^"1"\^\^xsd:boolean$', '"true"^^xsd:boolean', text)
            text = re.sub(r'^"0"\^\^xsd:boolean$', '"false"^^xsd:boolean', text)
        return text

    def message(text):
        text = norm(text)
        if booleans_in_messages:
            text = re.sub(r"\bfalse\b", "0", re.sub(r"\btrue\b", "1", text))
        return text
    return Counter((norm(r["focus_node"]), r["path"], norm(r["value"]),
                    r["constraint_component"], r["source_shape"], r["severity"],
                    message(r["message"]))
                   for r in results)


def embedded_report(data: Path | None = None) -> list[dict]:
    """The shapes as SPARQL on the embedded store holding the bundled graphs (the data graph
    replaced by ``data``): the dataset an engine serves."""
    s = ox.Store()
    graphs = store.bundled_graphs()
    if data is not None:
        graphs[ns.GRAPH_DATA] = data
    store.load_files(s, graphs)
    return json.loads(shacl_sparql.validate_store(s).to_json())["results"]


def cli_validate(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["validate", *args, "--format", "json"])
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize("engine", ENGINES)
def test_validate_endpoint_bundled_graph(stores, engine):
    expected = embedded_report()
    status, report = cli_validate("--endpoint", stores.engines[engine].query_url)
    virtuoso = engine == "virtuoso"
    assert report_key(report["results"], engine, booleans_in_messages=virtuoso) == report_key(
        expected, booleans_in_messages=virtuoso)
    assert report["counts"]["Violation"] == 0 and status == 0


def mutated_data(case: Path, folder: Path) -> Path:
    """The bundled data with the case's update applied, as tests/shapes makes it."""
    out = folder / (case.stem + ".nt")
    out.write_bytes(mutated_ntriples(case))
    return out


def served(data_graph: str) -> list[str]:
    """The graphs an engine validates: a case's data, and the other bundled graphs (ontology,
    VoID, shapes), as the embedded reference holds them."""
    return [data_graph, *(g for g in store.bundled_graphs() if g != ns.GRAPH_DATA)]


def put(engine, graph: str, data: Path) -> None:
    """Replace ``graph`` on the engine by ``data`` (Graph Store Protocol, as load --into)."""
    target = Backend(engine.store_url, (), engine.user, engine.password)
    graph_store.load(target, {data: graph})


# Cases whose report differs on Virtuoso for a reason of Virtuoso's own, and what may differ.
KNOWN_VIRTUOSO = {
    # SUBSTR with a start below 1 (a negative offset): Virtuoso returns one character more than
    # XPath's fn:substring. The same violation is reported; its message quotes other text.
    "position-start-negative": "message",
    "position-end-negative": "message",
    # CONTAINS(?sentence, "") is false on Virtuoso; in SPARQL (fn:contains) every string
    # contains the empty string. Virtuoso reports one violation more.
    "quote-exact-empty": "extra",
}


def _without_text(report: Counter) -> Counter:
    """A report without the values and messages its results quote."""
    return Counter({(k[0], k[1], k[3], k[4], k[5]): n for k, n in report.items()})


def _known(case: str, engine: str, want: Counter, have: Counter) -> bool:
    kind = KNOWN_VIRTUOSO.get(case) if engine == "virtuoso" else None
    if kind == "message":
        return _without_text(want) == _without_text(have)
    if kind == "extra":
        return not (want - have) and sum((have - want).values()) == 1
    return False


def test_validate_endpoint_failing_cases(stores, tmp_path):
    """Each case is put in turn into one of a few graphs of each engine ("slots", validated
    side by side): the same graphs over and over, so the engine's plans of the checks are
    made once (Virtuoso plans a query again for every new set of graphs). The cases' data and
    the embedded reports are made meanwhile, on threads of their own."""
    assert len(CASES) >= 50, "the shapes cases were not found"
    shacl_sparql.plan()  # translated once, before the threads share it

    def prepare(case: Path) -> tuple[Path, list[dict]]:
        data = mutated_data(case, tmp_path)
        return data, embedded_report(data)

    def slot(name: str, number: int) -> dict[Path, Counter]:
        engine, graph = stores.engines[name], f"{SLOT_GRAPH}{number}"
        # What 'validate --endpoint URL --graph …' runs (cli._validate), on a thread.
        remote = RemoteStore(cli._backend(engine.query_url, None, served(graph), (), 300.0))
        reports = {}
        try:
            for case in CASES[number::SLOTS]:
                put(engine, graph, prepared[case].result()[0])
                results = json.loads(shacl_sparql.validate_store(remote).to_json())["results"]
                reports[case] = report_key(results, name,
                                           booleans_in_messages=name == "virtuoso")
        finally:
            remote.close()
        return reports

    # One thread prepares: rdflib's SPARQL parser (the cases are SPARQL updates) is not safe
    # to use from two threads at once.
    with ThreadPoolExecutor(max_workers=1) as preparing, \
            ThreadPoolExecutor(max_workers=len(ENGINES) * SLOTS) as validating:
        prepared = {case: preparing.submit(prepare, case) for case in CASES}
        slots = [validating.submit(slot, n, k) for n in ENGINES for k in range(SLOTS)]
        got = {name: {} for name in ENGINES}
        for (name, _), future in zip([(n, k) for n in ENGINES for k in range(SLOTS)], slots,
                                     strict=True):
            got[name].update(future.result())
    differences = []
    for case in CASES:
        embedded = prepared[case].result()[1]
        assert embedded, f"{case.name}: the embedded store found nothing to report"
        for name in ENGINES:
            want = report_key(embedded, booleans_in_messages=name == "virtuoso")
            have = got[name][case]
            if have != want and not _known(case.stem, name, want, have):
                differences.append(f"{case.stem} on {name}: only embedded "
                                   f"{dict(want - have)}, only {name} {dict(have - want)}")
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("engine", ENGINES)
def test_validate_endpoint_with_graphs(stores, tmp_path, engine):
    """The command line itself, with --graph, on one case in a graph of its own."""
    case = next(c for c in CASES if c.stem == "label-missing")
    data, graph = mutated_data(case, tmp_path), CASE_GRAPH + case.stem
    put(stores.engines[engine], graph, data)
    args = ["--endpoint", stores.engines[engine].query_url]
    for g in served(graph):
        args += ["--graph", g]
    status, report = cli_validate(*args)
    assert status == 1
    virtuoso = engine == "virtuoso"
    assert report_key(report["results"], engine, booleans_in_messages=virtuoso) == report_key(
        embedded_report(data), booleans_in_messages=virtuoso)


# --- reading Virtuoso's answers -------------------------------------------------------------

class _Chunks:
    """An answer read in small pieces, as a slow connection hands it over."""

    def __init__(self, data: bytes, size: int):
        self._data, self._size = data, size

    def read(self, n: int = -1) -> bytes:
        piece, self._data = self._data[:self._size], self._data[self._size:]
        return piece


@pytest.mark.parametrize("whole", [None, 10_000, 40])
@pytest.mark.parametrize("size", [1, 7, 29, 4096])
def test_virtuoso_blank_node_labels_are_read(size, whole):
    """Virtuoso's "nodeID://" blank node labels are read as labels, however the answer is
    cut into reads, and whether it is read whole (``whole`` bytes at most) or not; a literal
    that happens to hold the text is left alone."""
    from mali_kg.remote import _Reader

    answer = (b'{"head": {"vars": ["b", "l"]}, "results": {"bindings": [{'
              b'"b": { "type": "bnode", "value": "nodeID://b10010" }, '
              b'"l": { "type": "literal", "value": "nodeID://b1 \\"bnode\\", \\"value\\": " }'
              b'}]}}')
    source = reader = _Reader(_Chunks(answer, size))
    if whole is not None:
        data = reader.whole(whole)
        assert (data is None) == (whole < len(answer))
        source = reader if data is None else data
    solutions = ox.parse_query_results(source, ox.QueryResultsFormat.JSON)
    row = next(iter(solutions))
    assert row["b"] == ox.BlankNode("b10010")
    assert row["l"].value == 'nodeID://b1 "bnode", "value": '
