"""The ``mali-kg`` command as a user runs it: real processes, real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Graph

from mali_kg import resources
from mali_kg.validate import UnusableShapes, load_shapes, validate_files


def mali_kg(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mali_kg", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture(scope="module")
def triples_in_store() -> int:
    run = mali_kg("info")
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("triples (all graphs)"))
    return int(line.split()[-1])


def test_info_counts_what_the_graph_holds(triples_in_store):
    out = mali_kg("info").stdout
    counts = {line.rsplit(None, 1)[0].strip(): line.rsplit(None, 1)[1]
              for line in out.splitlines() if line and not line.endswith(":")}
    assert int(counts["statements"]) == 5  # three of Konfourou’s, two of Diop’s
    assert int(counts["claims"]) == 3
    assert int(counts["conflicts"]) == 2
    assert int(counts["anchors"]) >= 30
    assert "mk:Resolution" in out and triples_in_store > 2000


@pytest.mark.parametrize("fmt,parse", [
    ("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
    ("rdfxml", ox.RdfFormat.RDF_XML), ("jsonld", ox.RdfFormat.JSON_LD),
    ("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
])
def test_export_round_trips(fmt, parse, tmp_path, triples_in_store):
    out = tmp_path / f"graph.{fmt}"
    run = mali_kg("export", "--format", fmt, "-o", str(out))
    assert run.returncode == 0, run.stderr
    quads = list(ox.parse(path=str(out), format=parse))
    if fmt in ("nq", "trig"):  # named graphs kept: one per bundled file
        assert len({q.graph_name for q in quads}) == 4
        assert len({(q.subject, q.predicate, q.object) for q in quads}) == triples_in_store
    else:
        assert len(quads) == triples_in_store


def test_export_turtle_and_jsonld_are_the_same_graph(tmp_path):
    ttl, jsonld = tmp_path / "g.ttl", tmp_path / "g.jsonld"
    assert mali_kg("export", "--format", "ttl", "-o", str(ttl)).returncode == 0
    assert mali_kg("export", "--format", "jsonld", "-o", str(jsonld)).returncode == 0
    a = Graph().parse(ttl, format="turtle")
    b = Graph().parse(jsonld, format="json-ld")
    assert a.isomorphic(b)


def test_query_from_a_file_as_csv():
    path = resources.root() / "queries" / "examples" / "09-external-identifiers.rq"
    run = mali_kg("query", str(path), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {"entity", "label", "external"} <= set(rows[0])
    assert any(r["external"] == "http://www.wikidata.org/entity/Q912" for r in rows)


def test_query_text_as_json_and_table():
    q = "ASK { <https://w3id.org/mali-kg/id/minusma> ?p ?o }"
    assert json.loads(mali_kg("query", q, "--format", "json").stdout)["boolean"] is True
    table = mali_kg("query", "SELECT ?n WHERE { VALUES ?n { 1 2 } }").stdout
    assert "(2 rows)" in table


def test_query_syntax_error_exits_2_with_position():
    run = mali_kg("query", "SELECT * WHERE {\n  ?s ?p \n}")
    assert run.returncode == 2
    assert "syntax error at line 3, column" in run.stderr
    assert "Traceback" not in run.stderr


def test_construct_query_prints_turtle():
    q = ("CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/mali-kg/id/minusma> AS ?s) "
         "?s ?p ?o }")
    run = mali_kg("query", q, "--format", "turtle")
    assert run.returncode == 0, run.stderr
    g = Graph().parse(data=run.stdout, format="turtle")
    assert len(g) > 5


def test_build_check_reports_fresh_files():
    run = mali_kg("build", "--check")
    assert run.returncode == 0, run.stderr


def test_load_makes_an_on_disk_store(tmp_path, triples_in_store):
    store_dir = tmp_path / "store"
    run = mali_kg("load", "--store", str(store_dir))
    assert run.returncode == 0, run.stderr
    store = ox.Store.read_only(str(store_dir))
    assert len(store) == triples_in_store


def test_store_serves_the_graph_exactly_as_published():
    """The store must not rewrite anything (Oxigraph normalises derived datatypes)."""
    from rdflib.compare import isomorphic

    from mali_kg import namespaces, store

    s = store.open_store()
    served = Graph().parse(data=store.dump(s, store.RdfFormat.NTRIPLES,
                                           graph=namespaces.GRAPH_DATA).decode(), format="nt")
    published = Graph().parse(resources.data_file(), format="turtle")
    assert isomorphic(served, published)


@pytest.mark.parametrize("args,message", [
    (["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"],
     "SERVICE"),
    (["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
    (["query", "no-such-file.rq"], "no-such-file.rq"),
    (["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle"], "for graphs"),
    (["query", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "--format", "csv"], "graph"),
    (["serve", "--store", "/no/such/store"], "no store there"),
    (["load", "--store", "/tmp/never-made-store", "no-such.ttl"], "nothing was loaded"),
])
def test_refusals_exit_2_with_a_message(args, message):
    run = mali_kg(*args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_serve_refuses_options_that_make_no_sense():
    run = mali_kg("serve", "--workers", "0")
    assert run.returncode == 2 and "more than 0" in run.stderr


def test_serve_says_so_when_the_port_is_taken():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        run = mali_kg("serve", "--port", str(taken.getsockname()[1]))
    assert run.returncode == 2 and "cannot listen" in run.stderr


@pytest.mark.parametrize("content", ["", "{}"])
def test_validate_refuses_files_without_triples(tmp_path, content):
    path = tmp_path / ("empty.jsonld" if content else "empty.ttl")
    path.write_text(content)
    run = mali_kg("validate", str(path))
    assert run.returncode == 2 and "no triples" in run.stderr


def test_validate_refuses_a_directory(tmp_path):
    run = mali_kg("validate", str(tmp_path))
    assert run.returncode == 2 and "is a directory" in run.stderr


def _shapes_with_sparql(folder, name: str, extra: str):
    """A SPARQL-based constraint on <http://example.org/a>, ``extra`` added to its WHERE."""
    path = folder / name
    path.write_text(
        '@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://example.org/S> a sh:NodeShape ;'
        ' sh:targetNode <http://example.org/a> ; sh:sparql [ sh:select "SELECT $this WHERE {'
        f' $this <http://example.org/p> ?x {extra} }}" ] .\n')
    return path


@pytest.mark.parametrize("engine", ["pyshacl", "sparql"])
def test_validate_refuses_shapes_with_a_forbidden_sparql_constraint(tmp_path, engine):
    """SHACL forbids MINUS in a SPARQL-based constraint (§5.3.1): exit 2 naming it, nothing
    validated, no traceback."""
    data = tmp_path / "data.nt"
    data.write_text('<http://example.org/a> <http://example.org/p> "1" .\n')
    forbidden = _shapes_with_sparql(tmp_path, "forbidden.ttl",
                                    "MINUS { $this <http://example.org/q> ?x }")
    run = mali_kg("validate", str(data), "--shapes", str(forbidden), "--engine", engine)
    assert run.returncode == 2 and "MINUS" in run.stderr and not run.stdout, run.stderr
    assert "Traceback" not in run.stderr


def test_pyshacl_refuses_a_forbidden_constraint_every_time(tmp_path):
    """pySHACL's check of a constraint's text is remembered only when it passed."""
    data = tmp_path / "data.nt"
    data.write_text('<http://example.org/a> <http://example.org/p> "1" .\n')
    allowed = _shapes_with_sparql(tmp_path, "allowed.ttl", "")
    forbidden = _shapes_with_sparql(tmp_path, "forbidden.ttl",
                                    "MINUS { $this <http://example.org/q> ?x }")
    for _ in range(2):
        report = validate_files([data], load_shapes([allowed]))
        assert [r.focus_node for r in report.results] == ["<http://example.org/a>"]
        with pytest.raises(UnusableShapes, match="MINUS"):
            validate_files([data], load_shapes([forbidden]))


def test_syntax_error_over_a_range_of_columns_gives_line_and_column(tmp_path):
    path = tmp_path / "quads.nt"  # a quad where N-Triples expects a triple
    path.write_text("<http://a> <http://b> <http://c> <http://g> .\n")
    run = mali_kg("validate", str(path))
    assert run.returncode == 2
    assert "syntax error at line 1, column 34" in run.stderr
