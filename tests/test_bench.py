"""The benchmark runs on a tiny size and produces its report and plots (no timing asserted);
the figures in the README and docs/benchmarks.md are those of bench/results/results.json."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_table_and_plot(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import pages as bench_pages

    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--work",
         str(tmp_path / "work")],
        # About a minute on an idle machine; the bound is for a busy one.
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| query |" in proc.stdout  # the table is printed as well as written
    for heading in ("## Targets", "## mali-kg and other SPARQL engines",
                    "## Same answers from every system", "## Latency per example query",
                    "## HTTP throughput", "## Cold start and validation", "## Scale",
                    "## Scale: the same graphs in other engines", "## Scale: HTML pages",
                    "## Soak: ordinary queries under hostile load"):
        assert heading in report, heading
    examples = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert examples, "no example queries found"
    for q in examples:
        assert f"| {q.stem} |" in report, q.stem
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(results["latency"]) >= {"pyoxigraph", "rdflib", "rdflib-endpoint",
                                       "mali-kg serve"}
    assert results["scale"] and results["scale"][0]["queries"]
    # Every page answered, timed by the server, at the scale step's size.
    pages = results["scale"][0]["pages"]
    assert set(pages) == set(bench_pages.ORDER), pages
    assert all(p["runs"] > 0 and not p["errors"] for p in pages.values()), pages
    assert results["soak"]["ordinary"]["sent"] > 0, results["soak"]
    # The peer: Oxigraph server directly and behind serve --backend, repeated and unique texts,
    # every answer compared with the embedded store's (GROUP_CONCAT's order may differ).
    for system in ("Oxigraph server", "mali-kg serve --backend Oxigraph server"):
        assert results["throughput"][system]["16u"]["requests"] > 0, system
        assert results["latency_unique"][system], system
        checked = results["answers"][system]
        assert len(checked) == len(examples)
        assert all(c["same"] or c["explained"] for c in checked.values()), checked
    assert all(c["same"] for c in results["answers"]["mali-kg serve, 1 worker"].values())
    assert results["scale"][0]["peers"]["Oxigraph server"]["queries"]
    # With the engine alone on a core, each side's CPU a request is kept for every round.
    if len(os.sched_getaffinity(0)) > 1:
        for point in results["peers"]["engine_apart"]["Oxigraph server"]["rounds"]:
            assert point["own"]["engine_cpu_s"] > 0 and point["own"]["client_cpu_s"] > 0
            assert point["backend"]["front_cpu_s"] > 0 and point["backend"]["engine_cpu_s"] > 0
            # The serving process (not the supervisor above it) reads and writes every request.
            assert 0.1 < point["backend"]["serving_cpu_s"] / point["backend"]["front_cpu_s"] < 1
        assert "| engine | round | directly, req/s |" in report
        assert results["peers"]["front_door_us"]["check"] > 0
        from bench import report as bench_report

        assert "of the engine's own CPU a request" in bench_report.reading(results)
    assert "| unique texts, 16 clients: mali-kg serve (embedded) ≥ 60% of Oxigraph server |" \
        in report
    # A smoke run leaves the README and docs/benchmarks.md alone, and no engine running.
    assert "rewrote" not in proc.stderr
    assert not _processes_under(tmp_path), _processes_under(tmp_path)
    for name in ("benchmark.png", "benchmark.svg"):
        assert (out / name).stat().st_size > 1000, name


def test_front_door_costs_are_measured_and_printed() -> None:
    """``python -m bench.frontdoor`` runs unique texts through the pieces and the whole app
    (with a pool that answers at once) and prints a table of microseconds a request."""
    proc = subprocess.run([sys.executable, "-m", "bench.frontdoor", "--requests", "40",
                           "--rounds", "1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = re.findall(r"^\| ([^|]+) \| ([0-9.]+) \|$", proc.stdout, re.M)
    assert [name for name, _ in rows] == [
        "decoding the query parameter", "inspection",
        "the whole app (middleware, protocol handler, an instant pool)",
        "in a query worker: the check that only SPARQL 1.1 is sent"], proc.stdout
    assert all(float(cost) > 0 for _, cost in rows)


def _processes_under(folder: Path) -> list[str]:
    """Running processes whose command line, working directory or open files lie in
    ``folder``: the servers and engines a run started there (logs, databases) and left."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or proc.name == str(os.getpid()):
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            paths = [os.readlink(proc / "cwd")]
            paths += [os.readlink(fd) for fd in (proc / "fd").iterdir()]
        except OSError:
            continue
        if str(folder) in cmd or any(p.startswith(str(folder)) for p in paths):
            found.append(f"{proc.name}: {cmd[:200]}")
    return found


def test_readme_and_benchmarks_figures_come_from_results(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every figure in the README's "How fast" and in docs/benchmarks.md is the one the
    report generator writes from bench/results/results.json; none is typed by hand."""
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import report

    results = json.loads((ROOT / "bench" / "results" / "results.json").read_text("utf-8"))
    assert not results.get("quick"), "bench/results holds a --quick run"
    assert results.get("peers", {}).get("engines"), "the results have no peer engines"
    stale = report.update_docs(results, ROOT, write=False)
    assert not stale, (f"out of date with bench/results/results.json: {stale}; run "
                       "uv run python -m bench --from-json bench/results/results.json")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    how_fast = readme.split("\n## How fast\n", 1)[1].split("\n## ", 1)[0]
    docs = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    for where, text, parts in (("README.md", how_fast, report.GENERATED["README.md"]),
                               ("docs/benchmarks.md", docs,
                                report.GENERATED["docs/benchmarks.md"])):
        for name in parts:
            body = text.split(f"<!-- bench:{name} ", 1)[1].split(f"<!-- /bench:{name} -->")[0]
            assert report.FIGURE.search(body), f"{where}: no figure in the {name} part"
        assert not report.typed_figures(text), (
            f"{where}: figures typed by hand (outside the bench: markers): "
            f"{report.typed_figures(text)}")
    # The peer table's engines are in the README's figures.
    for engine in results["peers"]["engines"]:
        assert engine in how_fast, engine


def test_answers_compared_as_multisets_with_known_engine_differences(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.peers import XSD, Answer, compare, group_concats

    def lit(value: str, **extra: str) -> dict:
        return {"type": "literal", "value": value, **extra}

    ref = Answer(["x", "b", "l"], [
        {"x": lit("a b c"), "b": lit("true", datatype=XSD + "boolean"),
         "l": lit("Mali", **{"xml:lang": "en"})},
        {"x": lit("d"), "b": lit("false", datatype=XSD + "boolean"),
         "l": {"type": "bnode", "value": "b0"}}])
    query = 'SELECT (GROUP_CONCAT(DISTINCT STR(?y); separator=" ") AS ?x) ?b ?l {}'
    assert group_concats(query) == {"x": " "}
    same = Answer(ref.variables, list(reversed(ref.rows)))
    same.rows[0]["l"] = {"type": "bnode", "value": "other-label"}
    assert compare(ref, same, query)["same"]
    virtuoso = Answer(ref.variables, [
        {"x": {"type": "typed-literal", "value": "c a b", "datatype": XSD + "string"},
         "b": lit("1", datatype=XSD + "boolean"), "l": lit("Mali")},
        {"x": lit("d"), "b": lit("0", datatype=XSD + "boolean"), "l": {"type": "bnode",
                                                                      "value": "n1"}}])
    found = compare(ref, virtuoso, query)
    assert not found["same"] and found["explained"]
    assert found["reasons"] == ["xsd:boolean written as 1/0", "language tag dropped",
                                "GROUP_CONCAT order differs"]
    fewer = Answer(ref.variables, ref.rows[:1])
    found = compare(ref, fewer, query)
    assert not found["explained"] and "1 rows instead of 2" in found["reasons"][0]
    assert not compare(ref, "HTTP 500: boom", query)["same"]


def test_soak_payloads_and_process_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The soak's hostile requests have the sizes it claims, each unique where it must be, and
    its memory figure covers a process's descendants."""
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import soak

    q = soak.unique_query()
    assert q != soak.unique_query() and 119_000 <= len(q.encode()) < 128 * 1024
    accept = soak.unique_accept()
    assert accept != soak.unique_accept() and 100_000 <= len(accept) < 100_200
    body, ctype = soak.many_parts()
    assert body.count(b"Content-Disposition: form-data") == 15_000
    assert ctype.startswith("multipart/form-data; boundary=")
    assert soak.deep_jsonld().count(b"{") == 4001
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        me = os.getpid()
        assert child.pid in soak.tree_pids(me)
        rss, count = soak.tree_rss(me)
        assert count >= 2 and rss > soak.vm_rss_bytes(me) > 0
    finally:
        child.kill()
        child.wait(10)


CASES = sorted((ROOT / "tests" / "shapes" / "cases").glob("*.ru"))
BASELINE = {"Violation": 0, "Warning": 1, "Info": 5}  # the real data's own results


@pytest.mark.slow
def test_sparql_translation_of_the_shapes_flags_every_failing_case() -> None:
    """The shapes translated to SPARQL (decision 0008) catch what pySHACL catches."""
    import pyoxigraph as ox

    from mali_kg import namespaces as ns
    from mali_kg import resources, shacl_sparql, store

    assert CASES, "no shape test cases found"
    plan = shacl_sparql.plan()
    assert not plan.untranslated, plan.untranslated

    def outcome(update: str | None = None) -> shacl_sparql.Outcome:
        # The data in the default graph, which the cases' updates change (they name no graph).
        s = ox.Store()
        store.load_file(s, resources.data_file())
        store.load_file(s, resources.ontology_file(), graph=ns.GRAPH_ONTOLOGY)
        if update:
            s.update(ns.sparql_prologue() + update)
        return shacl_sparql.count_store(s, checks=plan)

    assert outcome().counts == BASELINE
    missed = []
    for case in CASES:
        text = case.read_text(encoding="utf-8")
        expect = dict(re.findall(r"^# ([\w-]+): (.*)$", text, re.MULTILINE))
        severity = expect.get("severity", "Violation")
        counts = outcome(text).counts
        # A case about a result the real data already has (a warning, an info) keeps it.
        if counts[severity] < BASELINE[severity] + (severity == "Violation"):
            missed.append(case.name)
    assert not missed, missed


def test_synthetic_hubs_keep_their_own_external_identifiers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The resources every synthetic article shares (the UN, the Security Council…) are one
    resource each: a copy adds no Wikidata or GeoNames identifier to them, while its own
    resources get their own."""
    monkeypatch.syspath_prepend(str(ROOT))
    import pyoxigraph as ox

    from bench import synthetic
    from mali_kg import namespaces as ns

    template = synthetic.build_template()
    quads = list(ox.parse(input="".join(synthetic.iter_chunks(template, 3)),
                          format=ox.RdfFormat.N_QUADS))
    same_as = {}
    for q in quads:
        if q.predicate.value == "http://www.w3.org/2002/07/owl#sameAs":
            same_as.setdefault(q.subject.value, set()).add(q.object.value)
    hubs = {ns.ID + h for h in synthetic.SHARED} & same_as.keys()
    assert hubs, "no shared resource with an external identifier found"
    for hub in hubs:
        assert len(same_as[hub]) == 1, (hub, same_as[hub])
    mali, copy = same_as[ns.ID + "mali"], same_as[ns.ID + "mali-s1"]
    assert len(copy) == len(mali) == 2 and not copy & mali
    assert len(quads) == len(set(quads)), "every quad written is distinct"
