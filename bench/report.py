"""The benchmark's Markdown report and plots (matplotlib, PNG and SVG), and the figures in
README.md and docs/benchmarks.md, written between ``<!-- bench:NAME … -->`` and
``<!-- /bench:NAME -->`` markers from the same results (:func:`update_docs`)."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import textwrap
from pathlib import Path

from . import soak

TARGETS = {"throughput_vs_rdflib_endpoint": 15.0, "throughput_vs_engine": 0.60,
           "unique_vs_oxigraph_server": 0.60, "backend_keeps": 0.85,
           "median_ms_at_1e6": 50.0, "page_ms_at_1e6": 200.0, "startup_s": 2.0,
           "validation_s": 1.0}


def machine() -> dict:
    info: dict = {"python": platform.python_version(), "platform": platform.platform(),
                  "cpus": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "CPU(s)", "Thread(s) per core", "CPU max MHz"):
                info[key.strip()] = value.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        info["memory_gb"] = round(kb / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    import pyoxigraph
    import pyshacl
    import rdflib

    info["versions"] = {"pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
                        "pyshacl": pyshacl.__version__, "rdflib-endpoint": "0.6.3"}
    return info


def _ms(v) -> str:
    if v is None:
        return "–"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:,.0f}"


def _s(v) -> str:
    return "–" if v is None else f"{v:.2f} s" if v < 100 else f"{v:,.0f} s"


def _x(v: float | None) -> str:
    """A ratio, as ×: two decimals below 10, none above."""
    if v is None:
        return "–"
    return f"{v:.2f}×" if v < 10 else f"{v:,.0f}×"


def _validation_cell(v: dict | None) -> str:
    if not v or v.get("skipped"):
        return "skipped"
    if "timeout" in v:
        return f"> {v['timeout']:.0f} s (stopped)"
    if "error" in v:
        return "error"
    if v.get("after_imports_s") is not None:
        return f"{_s(v['total_s'])} ({_s(v['after_imports_s'])} after imports)"
    return _s(v["total_s"])


def _sparql_validation(val: dict, words: bool = False) -> str:
    """The SPARQL translation's time with the shapes' plan kept from an earlier run, and the
    first run's, which translates the shapes."""
    show = _validation_words if words else _validation_cell
    first = val.get("sparql_first")
    return show(val.get("sparql")) + (
        f"; the first run, translating the shapes: {show(first)}" if first else "")


def _validation_words(v: dict | None) -> str:
    if v and v.get("after_imports_s") is not None and v.get("total_s") is not None:
        return (f"{_s(v['total_s'])} from process start, {_s(v['after_imports_s'])} after "
                "imports")
    return _validation_cell(v)


# -- the systems compared -------------------------------------------------------------------

BASE = "Oxigraph server"  # what the peer table's ratios are taken against
ENGINES = ("Oxigraph server", "Virtuoso")
EMBEDDED = "mali-kg serve, 1 worker"  # the default: --workers 1


def backend_key(engine: str) -> str:
    return f"mali-kg serve --backend {engine}"


# (label in the tables, key in results["throughput"] and results["answers"], key in
# results["latency"] and results["latency_unique"])
SYSTEMS = [
    ("Oxigraph server", "Oxigraph server", "Oxigraph server"),
    ("Virtuoso", "Virtuoso", "Virtuoso"),
    ("mali-kg serve (embedded store)", EMBEDDED, "mali-kg serve"),
    (backend_key("Oxigraph server"), backend_key("Oxigraph server"),
     backend_key("Oxigraph server")),
    (backend_key("Virtuoso"), backend_key("Virtuoso"), backend_key("Virtuoso")),
    ("rdflib-endpoint 0.6.3", "rdflib-endpoint", "rdflib-endpoint"),
]


def point(results: dict, key: str, c: str) -> dict | None:
    """One throughput point (``c``: "1", "4", "16", "16u"), or None."""
    points = results.get("throughput", {}).get(key) or {}
    return None if "error" in points else points.get(c)


def rps(results: dict, key: str, c: str) -> float | None:
    p = point(results, key, c)
    return p["rps"] if p else None


def latency_summary(per_query: dict | None) -> tuple[float, float, float] | None:
    """(median of the per-query medians, fastest, slowest) in ms."""
    values = sorted(q["median_ms"] for q in (per_query or {}).values()
                    if q.get("median_ms") is not None)
    if not values:
        return None
    return statistics.median(values), values[0], values[-1]


def skipped_reason(results: dict, key: str) -> str | None:
    """Why a system of the peer table was not measured, if it was not."""
    peers = results.get("peers", {})
    for engine in ENGINES:
        if key in (engine, backend_key(engine)):
            if engine in peers.get("skipped", {}):
                return peers["skipped"][engine]
            if "error" in peers.get("engines", {}).get(engine, {}):
                return "failed: " + peers["engines"][engine]["error"][:200]
    points = results.get("throughput", {}).get(key)
    if points is None:
        return "not measured"
    if "error" in points:
        return "failed: " + points["error"][:200]
    return None


def best_rps(results: dict, prefix: str, *, unique: bool = False) -> tuple[float, str]:
    """The best throughput of the embedded-store servers whose name starts with ``prefix``."""
    best, where = 0.0, ""
    for name, points in results.get("throughput", {}).items():
        if not name.startswith(prefix) or "error" in points or "--backend" in name:
            continue
        for c, p in points.items():
            if c.endswith("u") != unique:
                continue
            if p["rps"] > best:
                best, where = p["rps"], f"{name}, {c.rstrip('u')} clients"
    return best, where


# -- answers --------------------------------------------------------------------------------

def answer_summary(checked: dict[str, dict]) -> tuple[int, dict[str, list[str]], dict[str, str]]:
    """(queries with the same rows, {known difference: [queries]}, {query: what differs})."""
    same, known, other = 0, {}, {}
    for name, c in checked.items():
        if c.get("same"):
            same += 1
        elif c.get("explained"):
            known.setdefault(", ".join(c["reasons"]), []).append(name)
        else:
            other[name] = "; ".join(c.get("reasons", []))
    return same, known, other


def _short(name: str) -> str:
    return name.split("-", 1)[0]


def answers_section(results: dict, h: str) -> list[str]:
    answers = results.get("answers")
    if not answers:
        return []
    count = len(next(iter(answers.values())))
    out = ["", f"{h} Same answers from every system", "",
           f"Each system's answers to the {count} example queries, compared with the embedded "
           "store's (pyoxigraph in-process) as multisets of rows, terms normalised (blank node "
           "labels, `xsd:string` and plain literals, a language tag's case, canonical numbers). "
           "Where rows still differ, the fewest known engine differences that account for it "
           "are named; anything else is shown as it is. SPARQL leaves GROUP_CONCAT's order "
           "undefined.", "",
           "| system | same rows | same but for known engine differences | other differences |",
           "|---|---:|---|---|"]
    labels = {key: label for label, key, _ in SYSTEMS}
    for key, checked in answers.items():
        same, known, other = answer_summary(checked)
        known_cell = "; ".join(f"{', '.join(_short(q) for q in qs)}: {why}"
                               for why, qs in known.items()) or "–"
        other_cell = "; ".join(f"{q}: {why}" for q, why in other.items()) or "none"
        out.append(f"| {labels.get(key, key)} | {same} of {len(checked)} | {known_cell} | "
                   f"{other_cell} |")
    return out


# -- targets --------------------------------------------------------------------------------

def targets(results: dict) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    rows = []
    mk, mk_where = best_rps(results, "mali-kg")
    rd, rd_where = best_rps(results, "rdflib-endpoint")
    engine = results.get("engine_limit", {}).get("rps")
    if mk and rd:
        ratio = mk / rd
        rows.append(("throughput ≥ 15× rdflib-endpoint 0.6.3",
                     f"{ratio:.1f}× ({mk:,.0f} req/s, {mk_where}; vs {rd:,.0f}, {rd_where})",
                     _verdict(ratio >= TARGETS["throughput_vs_rdflib_endpoint"])))
    if mk and engine:
        ratio = mk / engine
        rows.append(("throughput ≥ 60% of pyoxigraph in-process on one core",
                     f"{ratio:.0%} ({mk:,.0f} vs {engine:,.0f} queries/s)",
                     _verdict(ratio >= TARGETS["throughput_vs_engine"])))
    mku, mku_where = best_rps(results, "mali-kg", unique=True)
    rdu, _ = best_rps(results, "rdflib-endpoint", unique=True)
    if mku and engine and rdu:
        rows.append(("(same two ratios with every query text unique, so that no cache helps)",
                     f"{mku / rdu:.1f}× rdflib-endpoint; {mku / engine:.0%} of in-process "
                     f"({mku:,.0f} req/s, {mku_where})", "for information"))
    rows += peer_targets(results)
    for row in results.get("scale", []):
        if row["target_triples"] == 10**6 and row.get("queries"):
            name, worst = max(row["queries"].items(), key=lambda kv: kv[1]["median_ms"])
            over = [n for n, q in row["queries"].items() if q["median_ms"] >= 50]
            rows.append(("every example query median < 50 ms at 10^6 triples",
                         f"slowest {worst['median_ms']:.1f} ms ({name})"
                         + (f"; over: {', '.join(over)}" if over else ""),
                         _verdict(not over)))
    big_pages = _pages(_size_row(results, 10**6))
    if big_pages:
        limit = TARGETS["page_ms_at_1e6"]
        name, worst = max(big_pages.items(), key=lambda kv: kv[1]["median_ms"])
        over = [n for n, p in big_pages.items() if p["median_ms"] >= limit]
        rows.append((f"every HTML page's median server time < {limit:.0f} ms at 10^6 triples",
                     f"slowest {_ms(worst['median_ms'])} ms ({name})"
                     + (f"; over: {', '.join(over)}" if over else ""), _verdict(not over)))
    cold = results.get("cold_start", {}).get(EMBEDDED)
    if cold is not None:
        rows.append(("startup < 2 s (bundled graph)", f"{cold:.2f} s ({EMBEDDED})",
                     _verdict(cold < TARGETS["startup_s"])))
    val = results.get("validation", {})
    sparql = [("sparql_first", "SHACL as SPARQL on Oxigraph, first run (translating the "
               "shapes)"), ("sparql", "SHACL as SPARQL on Oxigraph, later runs (the shapes' "
                           "plan kept)")] if "sparql_first" in val else \
        [("sparql", "SHACL as SPARQL on Oxigraph")]
    for key, label in [("pyshacl", "pySHACL (mali_kg.validate)"), *sparql]:
        v = val.get(key) or {}
        target = f"validation of the bundled graph < 1 s, from process start: {label}"
        if v.get("total_s") is not None:
            rows.append((target, _validation_cell(v),
                         _verdict(v["total_s"] < TARGETS["validation_s"])))
        elif "timeout" in v:
            rows.append((target, _validation_cell(v), _verdict(False)))
    sk = results.get("soak")
    if sk:
        measured = sk["error"] if "error" in sk else (
            f"{sk['ordinary']['sent']:,} ordinary requests, {sk['ordinary']['failed']:,} failed; "
            f"{sk['hostile']['runs']:,} hostile runs; max tree RSS "
            f"{sk['rss_mib']['max'] or 0:,.0f} MiB"
            + ("" if sk.get("passed") else "; " + "; ".join(sk.get("problems", []))))
        rows.append(("soak: no ordinary request fails under hostile load, no 5xx but 503/504, "
                     "the server survives", measured, _verdict(bool(sk.get("passed")))))
    return rows


def engine_apart(results: dict, engine: str) -> tuple[float, float] | None:
    """Unique-text requests/s through ``serve --backend`` and of the engine itself, the
    engine alone on one core (``bench.__main__.Bench.engine_apart``), or None."""
    apart = results.get("peers", {}).get("engine_apart", {}).get(engine)
    if not apart or not apart["own"].get("rps"):
        return None
    return apart["backend"]["rps"], apart["own"]["rps"]


def apart_cpu(results: dict, engine: str) -> dict[str, float] | None:
    """CPU µs a request in the engine-apart round reported (see :func:`round_cpu`)."""
    apart = results.get("peers", {}).get("engine_apart", {}).get(engine)
    return round_cpu(apart) if apart else None


def round_cpu(rnd: dict) -> dict[str, float] | None:
    """CPU µs a request in one engine-apart round: ``engine`` asked directly, ``engine_via``
    asked through mali-kg, ``front`` (mali-kg's process tree) and ``serving`` (its serving
    process alone), ``client`` and ``client_own`` (the load client, through mali-kg and
    directly); None where not measured."""
    own, via = rnd.get("own", {}), rnd.get("backend", {})
    if "engine_cpu_s" not in own or not own.get("requests") or not via.get("requests"):
        return None
    per = {"engine": (own, "engine"), "engine_via": (via, "engine"), "front": (via, "front"),
           "serving": (via, "serving"), "client": (via, "client"),
           "client_own": (own, "client")}
    return {k: point[f"{side}_cpu_s"] / point["requests"] * 1e6
            for k, (point, side) in per.items() if f"{side}_cpu_s" in point}


def _apart(results: dict, engine: str) -> str:
    """What the README cell adds for the engine alone on a core, where that was measured."""
    apart = engine_apart(results, engine)
    return "" if apart is None else \
        f" ({apart[0] / apart[1]:.0%} with {engine} alone on a core of its own)"


def peer_targets(results: dict) -> list[tuple[str, str, str]]:
    """The targets against other engines, unique query texts (no cache), 16 clients."""
    if "peers" not in results:
        return []
    rows = []
    target = (f"unique texts, 16 clients: mali-kg serve (embedded) ≥ "
              f"{TARGETS['unique_vs_oxigraph_server']:.0%} of Oxigraph server")
    mk, ox = rps(results, EMBEDDED, "16u"), rps(results, BASE, "16u")
    if mk and ox:
        rows.append((target, f"{mk / ox:.0%} ({mk:,.0f} vs {ox:,.0f} req/s)",
                     _verdict(mk / ox >= TARGETS["unique_vs_oxigraph_server"])))
    else:
        rows.append((target, skipped_reason(results, BASE) or "not measured", "not measured"))
    for engine in ENGINES:
        target = (f"unique texts, 16 clients: mali-kg serve --backend {engine} keeps ≥ "
                  f"{TARGETS['backend_keeps']:.0%} of {engine}'s own")
        b, e = rps(results, backend_key(engine), "16u"), rps(results, engine, "16u")
        if b and e:
            rows.append((target, f"{b / e:.0%} ({b:,.0f} vs {e:,.0f} req/s)",
                         _verdict(b / e >= TARGETS["backend_keeps"])))
        else:
            rows.append((target, skipped_reason(results, engine) or "not measured",
                         "not measured"))
        if (apart := engine_apart(results, engine)) is not None:
            b, e = apart
            rows.append((f"same, {engine} alone on a core of its own (mali-kg and the client "
                         "on the other)", f"{b / e:.0%} ({b:,.0f} vs {e:,.0f} req/s)",
                         _verdict(b / e >= TARGETS["backend_keeps"])))
    answers = results.get("answers", {})
    if answers:
        known = sum(len(qs) for c in answers.values() for qs in answer_summary(c)[1].values())
        other = sum(len(answer_summary(c)[2]) for c in answers.values())
        rows.append(("(every system returns the embedded store's rows for every example query)",
                     f"{len(answers)} systems: {other} answers differ otherwise, {known} only by "
                     "known engine differences (see below)", "for information"))
    return rows


def _apart_rounds(results: dict) -> str:
    """How many rounds the engine-apart point took, in words."""
    counts = {len(v.get("rounds") or []) for v in
              results.get("peers", {}).get("engine_apart", {}).values()} or {3}
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    return " or ".join(words.get(n, str(n)) for n in sorted(counts))


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


# -- the report -----------------------------------------------------------------------------

def header(results: dict) -> list[str]:
    m = results.get("machine", {})
    out = [f"Run {results.get('started', '')}: `{results.get('command', '')}` "
           f"({results.get('elapsed_s', 0) / 60:.1f} min). Machine: "
           f"{m.get('Model name', '?')}, {m.get('CPU(s)', m.get('cpus'))} CPUs, "
           f"{m.get('memory_gb', '?')} GB; Python {m.get('python')}; "
           + ", ".join(f"{k} {v}" for k, v in versions(results).items()) + "."]
    la0, la1 = results.get("load_average_start"), results.get("load_average_end")
    if la0 and la1:
        out += ["", f"Load average (1 min) at start {la0[0]:.2f}, at end {la1[0]:.2f}: "
                "anything else running on the machine lowers the throughput figures."]
    if results.get("quick"):
        out += ["", "**--quick run: tiny sizes and few requests; the numbers are not "
                "meaningful.**"]
    return out


def versions(results: dict) -> dict:
    found = dict(results.get("machine", {}).get("versions", {}))
    for engine, info in results.get("peers", {}).get("engines", {}).items():
        if info.get("version"):
            found[engine] = info["version"]
    return found


def markdown(results: dict, *, level: int = 1, image: str = "benchmark.png",
             title: bool = True) -> str:
    """The whole report; ``level`` is the title's heading level (sections one below)."""
    h = "#" * (level + 1)
    out = ([f"{'#' * level} mali-kg benchmark", ""] if title else []) + header(results)
    out += ["", f"{h} Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in targets(results)]
    out += peer_section(results, h)
    out += answers_section(results, h)

    lat = results.get("latency", {})
    engines = [e for e in ("pyoxigraph", "rdflib", "rdflib-endpoint", "mali-kg serve")
               if e in lat]
    labels = {"pyoxigraph": "pyoxigraph in-process", "rdflib": "rdflib in memory",
              "rdflib-endpoint": "rdflib-endpoint HTTP", "mali-kg serve": "mali-kg serve HTTP"}
    out += ["", f"{h} Latency per example query (bundled graph), ms: median / p99", "",
            "Repeated texts: after the first, mali-kg serve answers from its result cache.", "",
            "| query | rows | " + " | ".join(labels[e] for e in engines) + " |",
            "|---|---:|" + "---:|" * len(engines)]
    for name in lat.get("pyoxigraph", {}):
        cells = []
        for e in engines:
            q = lat[e].get(name) or {}
            cells.append(f"{_ms(q.get('median_ms'))} / {_ms(q.get('p99_ms'))}")
        rows = lat["pyoxigraph"][name].get("rows", "")
        out.append(f"| {name} | {rows} | " + " | ".join(cells) + " |")

    tp = results.get("throughput", {})
    if tp:
        conc = ["1", "4", "16", "16u"]
        out += ["", f"{h} HTTP throughput, example mix (requests/s; p99 latency ms)", "",
                "The example queries round robin over keep-alive connections; in the last "
                "column every query text is made unique (a counter in a SPARQL comment), so "
                "that no cache can answer.", "",
                "| server | 1 client | 4 clients | 16 clients | 16 clients, unique texts |",
                "|---|" + "---:|" * len(conc)]
        for name, points in tp.items():
            if "error" in points:
                out.append(f"| {name} | " + " | ".join("error" for _ in conc) + " |")
                continue
            out.append(f"| {name} | " + " | ".join(
                f"{points[c]['rps']:,.0f} ({_ms(points[c]['p99_ms'])})"
                + (f", {points[c]['errors']} errors" if points[c]["errors"] else "")
                if c in points else "–" for c in conc) + " |")
        lim = results.get("engine_limit")
        if lim:
            out.append(f"| pyoxigraph in-process, no HTTP, one core | {lim['rps']:,.0f} | | | |")
        cc = results.get("client_ceiling")
        if cc:
            out.append("| load client against a fixed-answer server (client ceiling) | "
                       f"{cc['1']['rps']:,.0f} | | {cc['16']['rps']:,.0f} | |")

    cold = results.get("cold_start", {})
    val = results.get("validation", {})
    out += ["", f"{h} Cold start and validation (bundled graph)", "",
            "Validation runs in a fresh process, timed from the moment it is started "
            "(interpreter, imports, loading, validation) and, in brackets, from the end of "
            "its imports.", "", "| measure | time |", "|---|---:|"]
    out += [f"| cold start, {name}: process start to first answer | {_s(t)} |"
            for name, t in cold.items()]
    for label, info in results.get("peers", {}).get("engines", {}).items():
        if info.get("start_s") is not None:
            out.append(f"| cold start, {label} (empty): process start to first answer | "
                       f"{_s(info['start_s'])} |")
    out.append(f"| SHACL validation, pySHACL (`mali_kg.validate`) | "
               f"{_validation_cell(val.get('pyshacl'))} |")
    out.append("| SHACL validation, shapes as SPARQL on Oxigraph (`mali_kg.shacl_sparql`), "
               "the shapes' plan kept from an earlier run | "
               f"{_validation_cell(val.get('sparql'))} |")
    if val.get("sparql_first"):
        out.append(f"| same, the first run (translating the shapes) | "
                   f"{_validation_cell(val.get('sparql_first'))} |")

    out += scale_section(results, h)
    sk = results.get("soak")
    if sk:
        out += ["", f"{h} Soak: ordinary queries under hostile load", "",
                "`python -m bench.soak`: ordinary clients send the example queries round robin "
                "while hostile clients send deeply nested JSON-LD, a cross-product sort, a "
                "string doubled 24 times, a 15,000-part form, unique ~120 KB queries, unique "
                "100 KB Accept headers, idle sockets and bodies cut short; the RSS of the "
                "server's whole process tree and `/health` are sampled every 0.5 s.", "",
                soak.table(sk)]
    out += ["", f"![benchmark plots]({image})", ""]
    return "\n".join(out)


def peer_section(results: dict, h: str) -> list[str]:
    """ONE table: every system, per-query medians and throughput at 16 clients, repeated and
    unique texts, with ratios to Oxigraph server; then the medians query by query."""
    if "peers" not in results:
        return []
    lat, lat_u = results.get("latency", {}), results.get("latency_unique", {})
    base_lat, base_lat_u = latency_summary(lat.get(BASE)), latency_summary(lat_u.get(BASE))
    base_r, base_u = rps(results, BASE, "16"), rps(results, BASE, "16u")
    served = results["peers"].get("served_graphs", [])
    out = ["", f"{h} mali-kg and other SPARQL engines (bundled graph)", "",
           "Every system holds the same graphs and answers the same question: the engines are "
           f"asked with the {len(served)} served graphs as the dataset (`default-graph-uri`, "
           "`named-graph-uri`), as `mali-kg serve --backend` asks them. Latency: the median of "
           "the per-query medians (fastest–slowest query), one client; throughput: the example "
           "mix, 16 clients. Repeated texts can be answered from a cache (mali-kg's result "
           "cache; none over a backend, whose `--cache-ttl` is 0 by default); unique texts "
           "cannot. × Oxigraph server: above 1 is slower for latency, faster for throughput.",
           "",
           "| system | latency, repeated texts, ms | latency, unique texts, ms | "
           "throughput, repeated texts, req/s | throughput, unique texts, req/s |",
           "|---|---:|---:|---:|---:|"]
    for label, key, lat_key in SYSTEMS:
        why = skipped_reason(results, key)
        if why is not None:
            out.append(f"| {label} | {why} | | | |")
            continue
        cells = []
        for summary, base in ((latency_summary(lat.get(lat_key)), base_lat),
                              (latency_summary(lat_u.get(lat_key)), base_lat_u)):
            cells.append("–" if summary is None else
                         f"{_ms(summary[0])} ({_ms(summary[1])}–{_ms(summary[2])}), "
                         f"{_x(summary[0] / base[0]) if base else '–'}")
        for c, base in (("16", base_r), ("16u", base_u)):
            p = point(results, key, c)
            cells.append("–" if p is None else
                         f"{p['rps']:,.0f}, {_x(p['rps'] / base) if base else '–'}"
                         + (f" ({p['errors']:,} errors)" if p["errors"] else ""))
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    present = [(label, lat_key) for label, key, lat_key in SYSTEMS
               if skipped_reason(results, key) is None and lat_key in lat]
    if present:
        out += ["", "Median latency per example query, ms, one client: repeated texts / unique "
                "texts.", "", "| query | " + " | ".join(label for label, _ in present) + " |",
                "|---|" + "---:|" * len(present)]
        for name in lat.get(present[0][1], {}):
            cells = [f"{_ms((lat[k].get(name) or {}).get('median_ms'))} / "
                     f"{_ms((lat_u.get(k, {}).get(name) or {}).get('median_ms'))}"
                     for _, k in present]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += apart_rounds_table(results)
    engines = results["peers"].get("engines", {})
    if engines:
        out += ["", "Loading the bundled graphs with each engine's own bulk path: "
                + "; ".join(f"{label} {_s(info.get('load_s'))}" for label, info in
                            engines.items() if info.get("load_s") is not None) + "."]
    return out


def apart_rounds_table(results: dict) -> list[str]:
    """The engine-apart rounds, each with its throughputs and the CPU each side spent."""
    apart = results.get("peers", {}).get("engine_apart", {})
    rows = [(e, i, r, round_cpu(r)) for e, a in apart.items()
            for i, r in enumerate(a.get("rounds") or [], 1) if r["own"].get("rps")]
    if not rows:
        return []
    out = ["", "Each engine alone on one core, mali-kg and the load client on the other: "
           "unique texts, 16 clients, the engine asked directly and through mali-kg in turn, "
           "round by round, with the CPU each process tree spent a request (µs; directly / "
           "through mali-kg where both apply; for mali-kg, the serving process's share, the "
           "rest being its query workers'), and mali-kg's CPU a request over the engine's.", "",
           "| engine | round | directly, req/s | through mali-kg, req/s | kept | engine, µs | "
           "mali-kg, µs | load client, µs | mali-kg ÷ engine, CPU |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for e, i, r, cpu in rows:
        own, via = r["own"]["rps"], r["backend"]["rps"]
        cells = ["–"] * 4 if cpu is None else [
            f"{cpu['engine']:,.0f} / {cpu['engine_via']:,.0f}", f"{cpu['front']:,.0f}"
            + (f" ({cpu['serving']:,.0f} serving)" if "serving" in cpu else ""),
            f"{cpu['client_own']:,.0f} / {cpu['client']:,.0f}",
            f"{cpu['front'] / cpu['engine']:.2f}×"]
        out.append(f"| {e} | {i} | {own:,.0f} | {via:,.0f} | {via / own:.0%} | "
                   + " | ".join(cells) + " |")
    return out


def scale_section(results: dict, h: str) -> list[str]:
    sc = results.get("scale", [])
    if not sc:
        return []
    out = ["", f"{h} Scale (synthetic graphs, on-disk store)", "",
           "| triples | generate | load | load peak RSS | store on disk | open | "
           "query process RSS | slowest query median | validation (SPARQL) | "
           "validation (pySHACL) |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in sc:
        worst = max(row["queries"].items(), key=lambda kv: kv[1]["median_ms"]) \
            if row.get("queries") else ("–", {"median_ms": None})
        out.append(
            f"| {row['triples']:,} | {_s(row['generate_s'])} | {_s(row.get('load_s'))} | "
            f"{row.get('load_rss_mb') or 0:,.0f} MB | {row['store_mb']:,.0f} MB | "
            f"{_s(row.get('open_s'))} | {row.get('query_rss_mb') or 0:,.0f} MB | "
            f"{_ms(worst[1]['median_ms'])} ms ({worst[0][:2]}) | "
            f"{_validation_cell(row.get('validation_sparql'))} | "
            f"{_validation_cell(row.get('validation_pyshacl'))} |")
    out += ["", "Median (p99) latency per example query, ms, by graph size:", "",
            "| query | " + " | ".join(f"{r['triples']:,}" for r in sc) + " |",
            "|---|" + "---:|" * len(sc)]
    for name in sc[0].get("queries", {}):
        cells = []
        for r in sc:
            q = r.get("queries", {}).get(name)
            cells.append(f"{_ms(q['median_ms'])} ({_ms(q['p99_ms'])}), {q['rows']:,} rows"
                         if q else "–")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += pages_section(sc, h)
    out += scale_peers_section(sc, h)
    return out


def _pages(row: dict | None) -> dict:
    """A size's page timings (``bench.pages``), or {} if not measured or failed."""
    found = (row or {}).get("pages") or {}
    return {} if "error" in found else found


def pages_section(sc: list[dict], h: str) -> list[str]:
    """The HTML pages on ``mali-kg serve --store``, by graph size."""
    with_pages = [r for r in sc if _pages(r)]
    failed = [r for r in sc if "error" in (r.get("pages") or {})]
    if not with_pages and not failed:
        return []
    out = ["", f"{h} Scale: HTML pages", "",
           "`mali-kg serve --store` over each synthetic graph, one client on 127.0.0.1; the "
           "server's own time per request (its access log), after one warm-up request. "
           "Home, article, timeline and `/id/minusma` are asked again and again (an entity "
           "page is cached once made); a first view is a different resource each request "
           "(nothing cached but labels); the shared hubs (the United Nations, the Security "
           "Council…) are linked from every synthetic article.", ""]
    if with_pages:
        names = list(dict.fromkeys(n for r in with_pages for n in _pages(r)))
        out += ["Median (p99) server time per page, ms, by graph size, and the first "
                "request's for the pages asked again and again:", "",
                "| page | " + " | ".join(f"{r['triples']:,}" for r in with_pages) + " |",
                "|---|" + "---:|" * len(with_pages)]
        for name in names:
            cells = []
            for r in with_pages:
                p = _pages(r).get(name)
                cells.append("–" if p is None else
                             f"{_ms(p['median_ms'])} ({_ms(p['p99_ms'])})"
                             + (f", first {_ms(p['first_ms'])}" if p.get("first_ms") is not None
                                else "")
                             + (f", {p['errors']} errors" if p.get("errors") else ""))
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    for r in failed:
        out += ["", f"At {r['triples']:,} triples the pages were not measured: "
                f"{r['pages']['error'][:300]}"]
    return out


def scale_peers_section(sc: list[dict], h: str) -> list[str]:
    with_peers = [r for r in sc if r.get("peers")]
    if not with_peers:
        return []
    out = ["", f"{h} Scale: the same graphs in other engines", "",
           "Each synthetic graph (with the ontology, all in the data graph) loaded into each "
           "engine with its own bulk path (Oxigraph server in memory, Virtuoso on disk) and "
           "queried over HTTP, one client, each text repeated, the data graph as the dataset; "
           "mali-kg's figures "
           "are the embedded on-disk store's, in-process, from the table above. Latency: the "
           "median of the per-query medians (fastest–slowest query). Answers: compared with "
           "the embedded store's as in the section on answers.", "",
           "| triples | system | load | latency, ms | slowest query | answers |",
           "|---:|---|---:|---:|---:|---|"]
    for r in with_peers:
        mine = latency_summary(r.get("queries"))
        worst = max(r["queries"].items(), key=lambda kv: kv[1]["median_ms"])
        out.append(f"| {r['triples']:,} | mali-kg embedded store (in-process) | "
                   f"{_s(r.get('load_s'))} | {_lat_cell(mine)} | {worst[0][:2]}: "
                   f"{_ms(worst[1]['median_ms'])} ms | the reference |")
        for label, p in r["peers"].items():
            if "error" in p:
                out.append(f"| {r['triples']:,} | {label} | failed: {p['error'][:200]} | | | |")
                continue
            qs = p.get("queries", {})
            worst = max(qs.items(), key=lambda kv: kv[1]["median_ms"] or 0) if qs else None
            same, known, other = answer_summary(p.get("answers", {}))
            answers = f"{same} of {len(p.get('answers', {}))} the same" + "".join(
                f"; {', '.join(_short(q) for q in qs_)}: {why}" for why, qs_ in known.items()
            ) + "".join(f"; **{q}: {why}**" for q, why in other.items())
            out.append(f"| {r['triples']:,} | {label} | {_s(p.get('load_s'))} | "
                       f"{_lat_cell(latency_summary(qs))} | "
                       + (f"{worst[0][:2]}: {_ms(worst[1]['median_ms'])} ms" if worst else "–")
                       + f" | {answers} |")
    last = with_peers[-1]
    labels = [label for label, p in last["peers"].items() if "queries" in p]
    out += ["", f"Median latency per example query at {last['triples']:,} triples, ms:", "",
            "| query | mali-kg embedded store (in-process) | " + " | ".join(labels) + " |",
            "|---|---:|" + "---:|" * len(labels)]
    for name, q in last.get("queries", {}).items():
        out.append(f"| {name} | {_ms(q['median_ms'])} | " + " | ".join(
            _ms((last["peers"][label]["queries"].get(name) or {}).get("median_ms"))
            for label in labels) + " |")
    return out


def _lat_cell(summary: tuple[float, float, float] | None) -> str:
    if summary is None:
        return "–"
    return f"{_ms(summary[0])} ({_ms(summary[1])}–{_ms(summary[2])})"


# -- the figures in README.md and docs/benchmarks.md ------------------------------------------

def _n_queries(results: dict) -> int:
    return len(results.get("latency", {}).get("pyoxigraph", {}))


def _range_ms(per_query: dict | None) -> str:
    s = latency_summary(per_query)
    return "–" if s is None else f"{_ms(s[1])}–{_ms(s[2])} ms"


def _size_row(results: dict, triples: int) -> dict | None:
    return next((r for r in results.get("scale", []) if r["target_triples"] == triples), None)


def _over(queries: dict, limit: float = 50.0) -> list[tuple[str, dict]]:
    return [(n, q) for n, q in queries.items() if (q.get("median_ms") or 0) >= limit]


def how_fast(results: dict) -> str:
    """The README's "How fast" section, from the results."""
    m = results.get("machine", {})
    la0, la1 = results.get("load_average_start") or [0], results.get("load_average_end") or [0]
    n = _n_queries(results)
    out = [f"Measured with `uv run python -m bench` (one run, "
           f"{results.get('elapsed_s', 0) / 60:.1f} minutes, on a {m.get('cpus')}-core "
           f"{m.get('Model name', '?')} with {m.get('memory_gb', '?')} GB; load average "
           f"{la0[0]:.1f} at the start and {la1[0]:.1f} at the end). The full report with the "
           "plots is `bench/results/report.md`, the method in `docs/benchmarks.md`; every "
           "figure here is written by the benchmark from `bench/results/results.json`. This "
           "machine's speed varies between runs, so compare within a row.", "",
           "| measure | mali-kg | compared with |", "|---|---:|---|"]
    mk, mku = rps(results, EMBEDDED, "16"), rps(results, EMBEDDED, "16u")

    def others(c: str, mine: float | None) -> str:
        cells = []
        for label, key in (("Oxigraph server", "Oxigraph server"), ("Virtuoso", "Virtuoso"),
                           ("rdflib-endpoint 0.6.3", "rdflib-endpoint")):
            v = rps(results, key, c)
            if v:
                cells.append(f"{label}: {v:,.0f} req/s" + (f" (mali-kg {_x(mine / v)})"
                                                          if mine else ""))
        return "; ".join(cells) or "–"

    if mk:
        out.append(f"| HTTP throughput, the {n} example queries, 16 clients, texts repeated "
                   f"(mali-kg answers them from its result cache) | {mk:,.0f} req/s | "
                   f"{others('16', mk)} |")
    if mku:
        out.append(f"| same, every query text unique (no cache can help) | {mku:,.0f} req/s | "
                   f"{others('16u', mku)} |")
    backed = [(e, rps(results, backend_key(e), "16u"), rps(results, e, "16u")) for e in ENGINES]
    backed = [(e, b, own) for e, b, own in backed if b and own]
    if backed:
        out.append("| in front of another engine (`serve --backend`), unique texts, 16 clients | "
                   + "; ".join(f"{b:,.0f} req/s over {e}" for e, b, _ in backed) + " | "
                   + "; ".join(f"{b / own:.0%} of {e}'s own {own:,.0f}" + _apart(results, e)
                               for e, b, own in backed) + " |")
    engine = results.get("engine_limit", {}).get("rps")
    best, _ = best_rps(results, "mali-kg")
    best_u, _ = best_rps(results, "mali-kg", unique=True)
    if engine and best and best_u:
        out.append(f"| share of the engine's own limit (pyoxigraph in-process, one core: "
                   f"{engine:,.0f} queries/s in this run), best of 1 and 2 workers | "
                   f"{best / engine:.0%} | unique texts: {best_u / engine:.0%} |")
    lat, lat_u = results.get("latency", {}), results.get("latency_unique", {})
    if "mali-kg serve" in lat:
        compared = "; ".join(f"{label}: {_range_ms(lat.get(key))}" + (
            f" / {_range_ms(lat_u.get(key))}" if key in lat_u else "")
            for label, key in (("Oxigraph server", "Oxigraph server"),
                               ("rdflib-endpoint", "rdflib-endpoint")) if key in lat)
        out.append(f"| example query over HTTP, median, one client: repeated texts / unique "
                   f"texts | {_range_ms(lat['mali-kg serve'])} / "
                   f"{_range_ms(lat_u.get('mali-kg serve'))} | {compared or '–'} |")
    cold = results.get("cold_start", {})
    if EMBEDDED in cold:
        compared = [f"rdflib-endpoint: {_s(cold['rdflib-endpoint'])}"] \
            if "rdflib-endpoint" in cold else []
        compared += [f"{label} (empty): {_s(info['start_s'])}" for label, info in
                     results.get("peers", {}).get("engines", {}).items()
                     if info.get("start_s") is not None]
        out.append(f"| start to first answer | {_s(cold[EMBEDDED])} | "
                   f"{'; '.join(compared) or '–'} |")
    val = results.get("validation", {})
    if val:
        out.append("| SHACL validation of the bundled graph, in a fresh process: from process "
                   "start (after imports) | pySHACL: "
                   f"{_validation_cell(val.get('pyshacl'))}; `--engine sparql`: "
                   f"{_sparql_validation(val)} | |")
    big = _size_row(results, 10**6)
    if big:
        loads = "; ".join(f"loading into {label}: {_s(p.get('load_s'))}"
                          for label, p in (big.get("peers") or {}).items() if "load_s" in p)
        out.append(f"| 10^6-triple synthetic graph: load / validate (SPARQL engine) | "
                   f"{_s(big.get('load_s'))} / {_validation_cell(big.get('validation_sparql'))}"
                   f" | pySHACL: {_validation_cell(big.get('validation_pyshacl'))}"
                   + (f"; {loads}" if loads else "") + " |")
        if big.get("queries"):
            over = _over(big["queries"])
            peers_cell = "; ".join(
                f"{label} (HTTP): {len(p['queries']) - len(_over(p['queries']))} of "
                f"{len(p['queries'])} under 50 ms"
                for label, p in (big.get("peers") or {}).items() if p.get("queries"))
            out.append(f"| 10^6 triples: example queries, median | "
                       f"{len(big['queries']) - len(over)} of {len(big['queries'])} under "
                       f"50 ms | over: "
                       + (", ".join(f"{_short(q)} ({_ms(v['median_ms'])} ms)" for q, v in over)
                          or "none") + (f"; {peers_cell}" if peers_cell else "") + " |")
        big_pages = _pages(big)
        if big_pages:
            worst = max(big_pages.items(), key=lambda kv: kv[1]["median_ms"])
            out.append("| 10^6 triples: HTML pages (home, article, timeline, entity), median "
                       "server time | " + "; ".join(
                           f"{name} {_ms(p['median_ms'])} ms" for name, p in big_pages.items())
                       + f" | slowest: {worst[0]}, p99 {_ms(worst[1]['p99_ms'])} ms |")
    out += ["", "Reproduce with `uv run python -m bench` (`--sizes 1e4,1e5,1e6,1e7` adds 10^7 "
            "triples; `--quick` for a smoke run)."]
    return "\n".join(out)


def machine_text(results: dict) -> str:
    """docs/benchmarks.md's "Machine" paragraph."""
    m = results.get("machine", {})
    return (f"{m.get('CPU(s)', m.get('cpus'))} vCPUs ({m.get('Model name', '?')}, "
            f"{m.get('Thread(s) per core', '?')} thread per core), {m.get('memory_gb', '?')} GB "
            f"RAM, {m.get('platform', '?')}, Python {m.get('python', '?')}, "
            + ", ".join(f"{k} {v}" for k, v in versions(results).items()) + ". The machine "
            "may be shared with other work during a run (the load average is in the report); "
            "the client, the servers, the engines and the workers share the same cores, so "
            "throughput figures move from run to run. Ratios are taken within one run.")


def reading(results: dict) -> str:
    """docs/benchmarks.md's "Reading the targets": each verdict with its figures."""
    out = []
    verdicts = {t: v for t, _, v in targets(results)}

    def verdict(prefix: str) -> str:
        found = next((v for t, v in verdicts.items() if t.startswith(prefix)), "not measured")
        return found.replace("**", "")

    mk, mk_where = best_rps(results, "mali-kg")
    rd, _ = best_rps(results, "rdflib-endpoint")
    mku, _ = best_rps(results, "mali-kg", unique=True)
    rdu, _ = best_rps(results, "rdflib-endpoint", unique=True)
    engine = results.get("engine_limit", {}).get("rps")
    rd_all = [p["rps"] for p in (results.get("throughput", {}).get("rdflib-endpoint") or {})
              .values() if isinstance(p, dict) and "rps" in p]
    rd_lat = results.get("latency", {}).get("rdflib-endpoint", {})
    if mk and rd and rd_all:
        slow = max(rd_lat.items(), key=lambda kv: kv[1]["median_ms"]) if rd_lat else None
        out.append(f"- **Throughput ≥ 15× rdflib-endpoint: {verdict('throughput ≥ 15×')}** "
                   f"({mk / rd:.0f}× on the repeated mix, {mku / rdu:.0f}× with unique texts). "
                   f"rdflib-endpoint answers {min(rd_all):,.0f}–{max(rd_all):,.0f} requests/s "
                   "whatever the concurrency (one event loop, rdflib's SPARQL engine in Python"
                   + (f"; {slow[0]} alone takes {_ms(slow[1]['median_ms'])} ms there"
                      if slow else "") + ").")
    if mk and engine and mku:
        out.append(f"- **Throughput ≥ 60 % of pyoxigraph in-process on one core: "
                   f"{verdict('throughput ≥ 60%')} on the repeated mix ({mk / engine:.0%}), "
                   f"{'met' if mku / engine >= 0.6 else 'not met'} with every text unique "
                   f"({mku / engine:.0%}).** Repeated texts are answered from the result "
                   "cache; unique ones go through the whole path: reading the request in "
                   "Python, inspecting the query, the round trip to a worker process, the "
                   "engine, and writing the answer. Decision 0005 has the profile and why "
                   "queries stay out of the serving process (a runaway query can be killed).")
    mk16u, ox16u = rps(results, EMBEDDED, "16u"), rps(results, BASE, "16u")
    if "peers" in results:
        if mk16u and ox16u:
            ox16 = rps(results, BASE, "16")
            out.append(f"- **Unique texts, mali-kg serve ≥ 60 % of Oxigraph server: "
                       f"{verdict('unique texts, 16 clients: mali-kg serve (embedded)')} "
                       f"({mk16u / ox16u:.0%}: {mk16u:,.0f} against {ox16u:,.0f} requests/s"
                       + (f"; with repeated texts {rps(results, EMBEDDED, '16') / ox16:.0%}"
                          if ox16 else "") + ").** Oxigraph server is the same engine "
                       "behind an HTTP layer written in Rust, running queries on threads of "
                       "one process; mali-kg adds its Python protocol layer and a worker "
                       "process per query, the price of its limits (time, memory, output) "
                       "and of killing a runaway query.")
        lat_u = results.get("latency_unique", {})
        for e in ENGINES:
            b, own = rps(results, backend_key(e), "16u"), rps(results, e, "16u")
            if b and own:
                ok = b / own >= TARGETS["backend_keeps"]
                text = (f"- **mali-kg serve --backend {e} keeps ≥ 85 % of {e}'s unique-text "
                        f"throughput: {'met' if ok else 'not met'}** ({b / own:.0%}: {b:,.0f} "
                        f"against {own:,.0f} requests/s).")
                mine, theirs = latency_summary(lat_u.get(backend_key(e))), \
                    latency_summary(lat_u.get(e))
                if mine and theirs:
                    text += (f" With unique texts, one client, {e} takes {_ms(theirs[0])} ms "
                             f"for the median query and mali-kg in front of it "
                             f"{_ms(mine[0])} ms.")
                text += (" What mali-kg adds per request is the same whatever the engine: the "
                         "protocol layer, the check that only standard SPARQL 1.1 is sent, a "
                         "worker that reads the engine's answer (and writes it again in "
                         "another format when asked); client, mali-kg and engine share the "
                         "same cores. "
                         + ("Here the engine's own work per request outweighs it."
                            if ok else "Here it outweighs the engine's own work per request."))
                if (apart := engine_apart(results, e)) is not None:
                    ab, aown = apart
                    rounds = results["peers"]["engine_apart"][e].get("rounds") or []
                    spread = [r["backend"]["rps"] / r["own"]["rps"] for r in rounds
                              if r["own"].get("rps")]
                    text += (f" With {e} alone on one core and mali-kg and the load client on "
                             f"the other, as near as this machine comes to an engine on a "
                             f"machine of its own: {ab / aown:.0%} ({ab:,.0f} against "
                             f"{aown:,.0f} requests/s"
                             + (f"; rounds {min(spread):.0%}–{max(spread):.0%}"
                                if len(spread) > 1 else "") + "), "
                             + ("met." if ab / aown >= TARGETS["backend_keeps"] else "not met."))
                    if (cpu := apart_cpu(results, e)) is not None:
                        text += (f" CPU a request in that round: {e} {cpu['engine']:,.0f} µs "
                                 f"asked directly ({cpu['engine_via']:,.0f} µs through "
                                 f"mali-kg), mali-kg {cpu['front']:,.0f} µs"
                                 + (f" ({cpu['serving']:,.0f} µs of it in the serving process, "
                                    "the rest in its query workers)" if "serving" in cpu else "")
                                 + f", the load client {cpu['client']:,.0f} µs: mali-kg spends "
                                 f"{cpu['front'] / cpu['engine']:.2f}× the engine's CPU a "
                                 "request.")
                        check = results["peers"].get("front_door_us", {}).get("check")
                        if check is not None:
                            text += (f" Of it, the query worker's check that only SPARQL 1.1 "
                                     f"is sent costs {check:,.0f} µs a unique text on its own "
                                     f"(pyoxigraph parses the query, and plans it where it "
                                     f"calls a function by name; "
                                     f"`bench.frontdoor`): {check / cpu['engine']:.0%} of the "
                                     f"engine's own CPU a request.")
                out.append(text)
            else:
                why = skipped_reason(results, backend_key(e)) or "not measured"
                out.append(f"- **mali-kg serve --backend {e}: not measured** ({why}).")
    big = _size_row(results, 10**6)
    if big and big.get("queries"):
        over = _over(big["queries"])
        peers_at = {label: p["queries"] for label, p in (big.get("peers") or {}).items()
                    if p.get("queries")}
        n = len(big["queries"])
        text = (f"- **Every example query's median < 50 ms at 10^6 triples: "
                f"{verdict('every example query median')}** ({n - len(over)} of {n} under).")
        if over:
            text += " Over: " + "; ".join(
                f"{q} ({v['median_ms']:,.0f} ms, {v['rows']:,} rows"
                + (f", {v['median_ms'] * 1e3 / v['rows']:.0f} µs per row" if v["rows"] > 100
                   else "") + ")" for q, v in over) + "."
            ox = peers_at.get("Oxigraph server")
            if ox:
                text += (" The same queries on Oxigraph server, in memory, over HTTP: "
                         + "; ".join(f"{_short(q)} {_ms(ox[q]['median_ms'])} ms"
                                     for q, _ in over if q in ox) + ".")
            listings = [_short(q) for q, v in over if v["rows"] > 100]
            few = [_short(q) for q, v in over if v["rows"] <= 100]
            if listings:
                text += (f" {', '.join(listings)} list the whole graph: they grow because their "
                         "answers do; paging them (`LIMIT`) or asking them per article would "
                         "meet the target.")
            if few:
                text += (f" {', '.join(few)} return few rows and still grow with the graph: "
                         "Oxigraph 0.5 evaluates an OPTIONAL of several patterns, or a UNION "
                         "of joins, as a join over every match in the graph rather than a "
                         "look-up per row (measured on 01's OPTIONAL)")
                vi = peers_at.get("Virtuoso")
                if vi:
                    text += ("; Virtuoso answers them in "
                             + ", ".join(f"{_ms(vi[q]['median_ms'])} ms ({_short(q)})"
                                         for q, v in over if v["rows"] <= 100 and q in vi))
                text += "."
        out.append(text)
    big_pages = _pages(big)
    if big_pages:
        limit = TARGETS["page_ms_at_1e6"]
        out.append(f"- **Every HTML page's median server time < {limit:.0f} ms at 10^6 triples: "
                   f"{verdict('every HTML page')}** (" + "; ".join(
                       f"{name} {_ms(p['median_ms'])} ms, p99 {_ms(p['p99_ms'])} ms"
                       for name, p in big_pages.items()) + "). Every list a page shows is cut "
                   "(with a link to the query for the rest), every query starts from what the "
                   "page is about, labels are looked up in batches and kept per process, and "
                   "the home page's counts of the whole graph are made once per process.")
    cold = results.get("cold_start", {})
    if EMBEDDED in cold:
        others = [f"{name} {_s(t)}" for name, t in cold.items()
                  if name.startswith("mali-kg") and name != EMBEDDED]
        out.append(f"- **Startup < 2 s: {verdict('startup')}** ({_s(cold[EMBEDDED])} for "
                   "`mali-kg serve` with the bundled graph"
                   + (f"; {', '.join(others)}" if others else "") + ").")
    val = results.get("validation", {})
    if val:
        big_v = (f" At 10^6 triples, pySHACL: "
                 f"{_validation_words(big.get('validation_pyshacl'))}; the SPARQL translation: "
                 f"{_validation_words(big.get('validation_sparql'))} (decision 0008).") \
            if big else ""
        prefix = "validation of the bundled graph < 1 s, from process start: "
        later = (f" on its first run, {verdict(prefix + 'SHACL as SPARQL on Oxigraph, later')}"
                 " later") if val.get("sparql_first") else ""
        out.append("- **SHACL validation of the bundled graph < 1 s, timed from process "
                   f"start: pySHACL {verdict(prefix + 'pySHACL')}, the SPARQL translation "
                   f"(`mali-kg validate --engine sparql`) {verdict(prefix + 'SHACL')}"
                   f"{later}.** "
                   f"pySHACL: {_validation_words(val.get('pyshacl'))}; the SPARQL translation: "
                   f"{_sparql_validation(val, words=True)}." + big_v)
    return "\n".join(out)


def method(results: dict) -> str:
    """docs/benchmarks.md's "What is measured", with the run's own settings."""
    st = results.get("settings", {})
    n = _n_queries(results)
    conc = st.get("concurrency", [1, 4, 16])
    engines = results.get("peers", {}).get("engines", {})
    ver = {label: (" " + info["version"]) if info.get("version") else ""
           for label, info in engines.items()}
    sizes = ", ".join(f"{x:,}" for x in st.get("sizes", []))
    out = [
        f"- **Latency per example query** (the {n} queries of `queries/examples/`, results "
        "serialised as SPARQL JSON): pyoxigraph in-process (the embedded store, "
        "`mali_kg.store`), rdflib's in-memory store, rdflib-endpoint 0.6.3 over HTTP serving "
        "the same data (the union of the bundled graphs exported as N-Triples), `mali-kg "
        "serve` over HTTP, and the peers below. In-process: median and p99 over up to "
        f"{st.get('reps', '?')} runs or {_g(st.get('budget_s'))} s per query; over HTTP, one "
        f"client, up to {st.get('http_reps', '?')} requests per query, with the same text "
        "repeated and with every text unique; each after one warm-up run.",
        "- **Engine limit**: the example mix round robin on pyoxigraph in-process, one thread "
        f"pinned to one core, no HTTP, for {_g(st.get('duration_s'))} s — the ceiling the "
        "endpoint's overhead is measured against.",
        "- **HTTP throughput**: `bench/http.py`, an asyncio keep-alive client in a process of "
        f"its own, sends the example mix over {_and(map(str, conc))} connections for "
        f"{_g(st.get('duration_s'))} s (and at most {st.get('max_requests', 0):,} requests) to "
        "`mali-kg serve --workers 1` and `--workers 2`, rdflib-endpoint 0.6.3 and the peers. "
        "One more point at 16 connections makes every query text unique (a counter in a "
        "SPARQL comment), so that no cache can answer. The client's own ceiling is measured "
        "against a trivial fixed-answer server (last row of the throughput table), to show "
        "that the client is not the bottleneck.",
        "- **Peers** (`bench/peers.py`, `bench/engines.py`): "
        + (", ".join(f"{label}{ver[label]}" for label in engines) or "none this run")
        + " — Oxigraph server from PyPI `oxigraph`, in memory, Virtuoso from Debian with a "
        "database of its own — each started on a free 127.0.0.1 port, loaded with the same "
        "N-Quads (the bundled graphs) through its own bulk path, and asked every query with "
        "the served graphs as the dataset, as `mali-kg serve --backend` asks them. Each is "
        "measured directly and behind `mali-kg serve --backend` (its defaults: answers not "
        "cached, 4 query workers). Then the unique-text point once more for both, "
        + _apart_rounds(results) + " rounds taken in turn, the engine alone on one core and "
        "mali-kg and the load client "
        "on the other (CPU affinity): as near as one machine comes to an engine on a machine "
        "of its own; the round with the median ratio is reported. Every system's "
        "answers are compared with the embedded store's; the engines are stopped by process "
        "id, one before the next starts."
        + ("" if not results.get("peers", {}).get("skipped") else " Not run: " + "; ".join(
            f"{k} ({v})" for k, v in results["peers"]["skipped"].items()) + "."),
        "- **Cold start**: process start to the first successful answer.",
        "- **SHACL validation** of the bundled graph: pySHACL (`mali_kg.validate`) and the "
        "shapes translated to SPARQL on Oxigraph (`mali_kg.shacl_sparql`, decision 0008), each "
        "in a fresh process, both timed from the moment the process is started and from the "
        "end of its imports.",
        "- **Scale**: `bench/synthetic.py` writes graphs of the same ontology and shapes: the "
        "real graph plus copies that each stand for another article — its own mission, "
        "resolution (with its own number), adoption, request, statements, claims, anchors and "
        "facts, its own article text with anchors whose selectors select their words in that "
        "text, its own SHA-256 — sharing hubs (the UN, the Security Council, the Secretariat, "
        "the Secretary-General, West Africa). The real resources keep their IRIs, so every "
        "example query has answers at every size; the synthetic graphs conform to the shapes. "
        f"Sizes this run: {sizes or 'none'} triples. Each is streamed to N-Quads, loaded with "
        "`mali-kg load --store DIR` (load time and peak RSS of that process), queried "
        "read-only from a separate process (open time, per-query median/p99, RSS), loaded "
        "into each peer and queried there over HTTP, and validated both ways (pySHACL stopped "
        f"after {_g(st.get('validation_cap_s'))} s; once stopped, not tried on larger sizes).",
    ]
    if any(r.get("pages") for r in results.get("scale", [])):
        out.append("- **HTML pages at scale** (`bench/pages.py`): `mali-kg serve --store` over "
                   "each synthetic graph; the home page, the annotated article, the timeline "
                   f"and an entity page, each asked up to {st.get('http_reps', '?')} times "
                   "after one warm-up, entity pages seen for the first time (a different "
                   "resource each request) and the shared hubs; the server's own time per "
                   "request, from its access log: median and p99.")
    if st.get("soak_s"):
        out.append(f"- **Soak**: {st['soak_s']:g} s of ordinary queries while hostile clients "
                   "send what should be refused (`bench/soak.py`).")
    return "\n".join(out)


def _g(v) -> str:
    return "?" if v is None else f"{v:g}"


def _and(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def docs_last_run(results: dict) -> str:
    return markdown(results, level=2, image="../bench/results/benchmark.png", title=False)


def wrap(text: str, width: int = 100) -> str:
    """Paragraphs and list items filled to ``width`` (tables and blank lines left alone), as
    the hand-written Markdown around them is."""
    out = []
    for line in text.split("\n"):
        if line.startswith("|") or not line.strip():
            out.append(line)
        elif line.startswith("- "):
            out.append(textwrap.fill(line, width, subsequent_indent="  ",
                                     break_on_hyphens=False, break_long_words=False))
        else:
            out.append(textwrap.fill(line, width, break_on_hyphens=False,
                                     break_long_words=False))
    return "\n".join(out)


GENERATED = {
    "README.md": {"how-fast": lambda r: wrap(how_fast(r))},
    "docs/benchmarks.md": {"method": lambda r: wrap(method(r)),
                           "machine": lambda r: wrap(machine_text(r)),
                           "last-run": docs_last_run,
                           "reading": lambda r: wrap(reading(r))},
}
_BEGIN = "<!-- bench:{name} "
_END = "<!-- /bench:{name} -->"
# A figure: a number with a unit of time, rate, size or ratio. Typed by hand (outside the
# generated parts, code aside), one would go stale with the next run.
FIGURE = re.compile(r"\d[\d,.]*\s*(?:ms\b|µs|s\b|req/s|requests/s|queries/s|×|%|MB\b|GB\b|"
                    r"MiB\b|KB\b|min\b|minutes?\b|seconds?\b|hours?\b)")


def typed_figures(text: str) -> list[str]:
    """Figures in ``text`` outside its generated parts, code blocks and inline code."""
    text = outside_generated(text)
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"`[^`]*`", "", text)
    return FIGURE.findall(text)


def fill(text: str, name: str, body: str, *, where: str = "") -> str:
    """``text`` with what lies between the ``bench:name`` markers replaced by ``body``."""
    begin = text.find(_BEGIN.format(name=name))
    end = text.find(_END.format(name=name))
    if begin < 0 or end < begin:
        raise ValueError(f"{where}: no '<!-- bench:{name} … -->' … '<!-- /bench:{name} -->' "
                         "markers; put them around the generated part")
    start = text.index("-->", begin) + len("-->\n")
    return text[:start] + body.rstrip("\n") + "\n" + text[end:]


def outside_generated(text: str) -> str:
    """``text`` without the parts between ``bench:`` markers (what is typed by hand)."""
    return re.sub(r"<!-- bench:([\w-]+) .*?<!-- /bench:\1 -->", "", text, flags=re.DOTALL)


def update_docs(results: dict, root: Path, *, write: bool = True) -> list[str]:
    """Rewrite the generated parts of README.md and docs/benchmarks.md from ``results``;
    return the ``file: part`` names that were out of date (``write=False``: only check)."""
    stale = []
    for rel, parts in GENERATED.items():
        path = root / rel
        text = new = path.read_text(encoding="utf-8")
        for name, make in parts.items():
            filled = fill(new, name, make(results), where=rel)
            if filled != new:
                stale.append(f"{rel}: {name}")
            new = filled
        if write and new != text:
            path.write_text(new, encoding="utf-8")
    return stale


def plot(results: dict, out: Path) -> list[Path]:
    """Write ``benchmark.png`` and ``benchmark.svg`` (latency, throughput, scale panels)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 5.5))
    lat = results.get("latency", {})
    names = list(lat.get("pyoxigraph", {}))
    ax = axes[0]
    engines = [e for e in ("pyoxigraph", "rdflib", "rdflib-endpoint", "mali-kg serve")
               if e in lat]
    width = 0.8 / max(1, len(engines))
    for i, e in enumerate(engines):
        ax.bar([j + i * width for j in range(len(names))],
               [(lat[e].get(n) or {}).get("median_ms") or 0 for n in names], width, label=e)
    ax.set_yscale("log")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))],
                  [n[:2] for n in names])
    ax.set_xlabel("example query")
    ax.set_ylabel("median latency, ms (log)")
    ax.set_title("Latency per query, bundled graph")
    ax.legend(fontsize=8)

    ax = axes[1]
    tp = {k: v for k, v in results.get("throughput", {}).items() if "error" not in v}
    conc = ["1", "4", "16", "16u"]
    width = 0.8 / max(1, len(tp) + 1)
    ax.set_prop_cycle(color=plt.cm.tab10.colors)
    for i, (name, points) in enumerate(tp.items()):
        ax.bar([j + i * width for j in range(len(conc))],
               [points[c]["rps"] if c in points else 0 for c in conc], width, label=name)
    lim = results.get("engine_limit")
    if lim:
        ax.axhline(lim["rps"], color="k", linestyle="--", linewidth=1,
                   label="pyoxigraph in-process, one core")
        ax.axhline(lim["rps"] * 0.6, color="grey", linestyle=":", linewidth=1,
                   label="60% of that (target)")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(conc))],
                  ["1", "4", "16", "16, unique texts"])
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("requests/s")
    ax.set_title("HTTP throughput, example mix")
    ax.legend(fontsize=7)

    ax = axes[2]
    ax.set_prop_cycle(color=plt.cm.tab20.colors)
    sc = results.get("scale", [])
    if sc:
        sizes = [r["triples"] for r in sc]
        for name in sc[0].get("queries", {}):
            ax.plot(sizes, [r["queries"].get(name, {}).get("median_ms") for r in sc],
                    marker="o", linewidth=1, label=name[:2])
        ax.plot(sizes, [(r.get("load_s") or 0) * 1e3 for r in sc], "k--", marker="s",
                label="load (ms)")
        ax.axhline(50, color="red", linestyle=":", linewidth=1, label="50 ms")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_ylabel("median latency, ms (log)")
        ax.legend(fontsize=6, ncol=3)
    ax.set_title("Scale: per-query median and load time")
    fig.tight_layout()
    paths = [out / "benchmark.png", out / "benchmark.svg"]
    for p in paths:
        fig.savefig(p, dpi=110)
    plt.close(fig)
    return paths
