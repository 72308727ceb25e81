"""The benchmark's Markdown report and plots (matplotlib, PNG and SVG)."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from . import soak

TARGETS = {"throughput_vs_rdflib_endpoint": 15.0, "throughput_vs_engine": 0.60,
           "median_ms_at_1e6": 50.0, "startup_s": 2.0, "validation_s": 1.0}


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


def _validation_cell(v: dict | None) -> str:
    if not v or v.get("skipped"):
        return "skipped"
    if "timeout" in v:
        return f"> {v['timeout']:.0f} s (stopped)"
    if "error" in v:
        return "error"
    return _s(v["total_s"])


def best_rps(results: dict, prefix: str, *, unique: bool = False) -> tuple[float, str]:
    best, where = 0.0, ""
    for name, points in results.get("throughput", {}).items():
        if not name.startswith(prefix) or "error" in points:
            continue
        for c, point in points.items():
            if c.endswith("u") != unique:
                continue
            if point["rps"] > best:
                best, where = point["rps"], f"{name}, {c.rstrip('u')} clients"
    return best, where


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
    for row in results.get("scale", []):
        if row["target_triples"] == 10**6 and row.get("queries"):
            name, worst = max(row["queries"].items(), key=lambda kv: kv[1]["median_ms"])
            over = [n for n, q in row["queries"].items() if q["median_ms"] >= 50]
            rows.append(("every example query median < 50 ms at 10^6 triples",
                         f"slowest {worst['median_ms']:.1f} ms ({name})"
                         + (f"; over: {', '.join(over)}" if over else ""),
                         _verdict(not over)))
    cold = results.get("cold_start", {}).get("mali-kg serve, 1 worker")
    if cold is not None:
        rows.append(("startup < 2 s (bundled graph)", f"{cold:.2f} s (mali-kg serve, 1 worker)",
                     _verdict(cold < TARGETS["startup_s"])))
    val = results.get("validation", {})
    for engine_name, label in (("pyshacl", "pySHACL (mali_kg.validate)"),
                               ("sparql", "SHACL as SPARQL on Oxigraph")):
        v = val.get(engine_name) or {}
        if v.get("total_s") is not None:
            rows.append((f"validation of the bundled graph < 1 s: {label}", _s(v["total_s"]),
                         _verdict(v["total_s"] < TARGETS["validation_s"])))
        elif "timeout" in v:
            rows.append((f"validation of the bundled graph < 1 s: {label}",
                         _validation_cell(v), _verdict(False)))
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


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def markdown(results: dict) -> str:
    out = ["# mali-kg benchmark", ""]
    m = results.get("machine", {})
    out.append(f"Run {results.get('started', '')}: `{results.get('command', '')}` "
               f"({results.get('elapsed_s', 0) / 60:.1f} min). Machine: "
               f"{m.get('Model name', '?')}, {m.get('CPU(s)', m.get('cpus'))} CPUs, "
               f"{m.get('memory_gb', '?')} GB; Python {m.get('python')}; "
               + ", ".join(f"{k} {v}" for k, v in m.get("versions", {}).items()) + ".")
    la0, la1 = results.get("load_average_start"), results.get("load_average_end")
    if la0 and la1:
        out += ["", f"Load average (1 min) at start {la0[0]:.2f}, at end {la1[0]:.2f}: "
                "anything else running on the machine lowers the throughput figures."]
    if results.get("quick"):
        out += ["", "**--quick run: tiny sizes and few requests; the numbers are not "
                "meaningful.**"]
    out += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {a} | {b} | {c} |" for a, b, c in targets(results)]

    lat = results.get("latency", {})
    engines = [e for e in ("pyoxigraph", "rdflib", "rdflib-endpoint", "mali-kg serve")
               if e in lat]
    labels = {"pyoxigraph": "pyoxigraph in-process", "rdflib": "rdflib in memory",
              "rdflib-endpoint": "rdflib-endpoint HTTP", "mali-kg serve": "mali-kg serve HTTP"}
    out += ["", "## Latency per example query (bundled graph), ms: median / p99", "",
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
        out += ["", "## HTTP throughput, example mix (requests/s; p99 latency ms)", "",
                "The 17 example queries round robin over keep-alive connections; in the last "
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
    out += ["", "## Cold start and validation (bundled graph)", "", "| measure | time |",
            "|---|---:|"]
    out += [f"| cold start, {name}: process start to first answer | {_s(t)} |"
            for name, t in cold.items()]
    out.append(f"| SHACL validation, pySHACL (`mali_kg.validate`) | "
               f"{_validation_cell(val.get('pyshacl'))} |")
    out.append(f"| SHACL validation, shapes as SPARQL on Oxigraph (`mali_kg.shacl_sparql`) | "
               f"{_validation_cell(val.get('sparql'))} |")

    sc = results.get("scale", [])
    if sc:
        out += ["", "## Scale (synthetic graphs, on-disk store)", "",
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
    sk = results.get("soak")
    if sk:
        out += ["", "## Soak: ordinary queries under hostile load", "",
                "`python -m bench.soak`: ordinary clients send the example queries round robin "
                "while hostile clients send deeply nested JSON-LD, a cross-product sort, a "
                "string doubled 24 times, a 15,000-part form, unique ~120 KB queries, unique "
                "100 KB Accept headers, idle sockets and bodies cut short; the RSS of the "
                "server's whole process tree and `/health` are sampled every 0.5 s.", "",
                soak.table(sk)]
    out += ["", "![benchmark plots](benchmark.png)", ""]
    return "\n".join(out)


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
    conc = ["1", "4", "16"]
    width = 0.8 / max(1, len(tp) + 1)
    for i, (name, points) in enumerate(tp.items()):
        ax.bar([j + i * width for j in range(len(conc))], [points[c]["rps"] for c in conc],
               width, label=name)
    lim = results.get("engine_limit")
    if lim:
        ax.axhline(lim["rps"], color="k", linestyle="--", linewidth=1,
                   label="pyoxigraph in-process, one core")
        ax.axhline(lim["rps"] * 0.6, color="grey", linestyle=":", linewidth=1,
                   label="60% of that (target)")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(conc))], conc)
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("requests/s")
    ax.set_title("HTTP throughput, example mix")
    ax.legend(fontsize=8)

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
