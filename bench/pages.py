"""The HTML pages of ``mali-kg serve --store DIR``, timed by the server itself.

Each page is asked for over HTTP on 127.0.0.1, one client, after one warm-up request; its
time is the access log's ``ms`` (from the request's arrival to the last byte written, as the
server measures it), read back from the server's log. Pages:

- the home page, the annotated article and the timeline, each asked ``reps`` times;
- an entity page, asked ``reps`` times (``/id/minusma``: after the first, the server's page
  cache answers);
- entity pages seen for the first time: a different resource each request, spread over the
  real graph and the synthetic articles, so that nothing is cached but the labels;
- the shared hubs (the United Nations, the Security Council…), each once: the resources with
  the most links at every size.

``python -m bench.pages --store DIR [--reps N]`` prints the JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from mali_kg import namespaces as ns
from mali_kg import store

from . import servers, synthetic
from .inprocess import summarise

PAGES = {"home": "/", "article": "/article", "timeline": "/timeline",
         "entity": "/id/minusma"}
FIRST_VIEW = "entity, first view"
HUBS = "entity, shared hub, first view"
ORDER = ["home", "article", "timeline", "entity", FIRST_VIEW, HUBS]


def entity_slugs(copies: int, count: int) -> list[str]:
    """``count`` distinct resources that exist in a synthetic graph of ``copies`` copies:
    the real graph's people, bodies, events and claims, then the same in each copy."""
    bundled = store.open_store()
    rows = bundled.query(f"""
        SELECT DISTINCT ?s WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s a ?c }}
          VALUES ?c {{ <{ns.MK}Person> <{ns.MK}Body> <{ns.MK}State> <{ns.MK}Mission>
                       <{ns.MK}Resolution> <{ns.MK}Adoption> <{ns.MK}Request>
                       <{ns.MK}Withdrawal> <{ns.MK}Claim> <{ns.MK}Statement> }} }}
        ORDER BY ?s""")
    slugs = [r["s"].value[len(ns.ID):] for r in rows if r["s"].value.startswith(ns.ID)]
    repeated = PAGES["entity"].removeprefix("/id/")
    slugs = [s for s in slugs if s not in synthetic.SHARED and "/" not in s and s != repeated]
    # Spread over the real graph and the copies: a stride through every (copy, resource)
    # pair that shares no factor with their number visits each pair at most once.
    total = len(slugs) * max(copies, 1)
    stride = next(p for p in range(7919, 7919 + total + 2) if math.gcd(p, total) == 1)
    out = []
    for i in range(min(count, total)):
        k, j = divmod(i * stride % total, len(slugs))
        out.append(slugs[j] + (f"-s{k}" if k else ""))
    return out


def _get(url: str, timeout: float = 120.0) -> tuple[int, int]:
    req = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, len(r.read())
    except urllib.error.HTTPError as e:
        return e.code, 0


def _server_ms(log: Path, start: int) -> list[tuple[str, int, float]]:
    """(path, status, ms) of the access log's records after byte ``start``."""
    out = []
    with open(log, "rb") as f:
        f.seek(start)
        for line in f.read().decode("utf-8", "replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if "ms" in rec and "path" in rec:
                out.append((rec["path"], rec.get("status", 0), rec["ms"]))
    return out


def measure(store_dir: Path, log_dir: Path, *, reps: int, copies: int) -> dict:
    """Per page: median and p99 of the server's time (ms), the first request's time, runs,
    errors (not 200) and the size of the page."""
    with servers.running("mali-kg-pages", "mali-kg", log_dir=log_dir, store=store_dir) as srv:
        base = srv.url.removesuffix("/sparql")
        log = log_dir / "mali-kg-pages.log"
        plan: list[tuple[str, str]] = []
        for name, path in PAGES.items():
            plan += [(name, path)] * (reps + 1)  # the first is the warm-up
        plan += [(FIRST_VIEW, f"/id/{s}") for s in entity_slugs(copies, reps)]
        plan += [(HUBS, f"/id/{s}") for s in sorted(synthetic.SHARED)]
        sizes: dict[str, int] = {}
        errors: dict[str, int] = {}
        time.sleep(0.2)
        start = log.stat().st_size
        for name, path in plan:
            status, size = _get(base + path)
            sizes[name] = max(sizes.get(name, 0), size)
            if status != 200:
                errors[name] = errors.get(name, 0) + 1
        time.sleep(0.5)  # the last records reach the log
        records = _server_ms(log, start)
    by_path: dict[str, list[float]] = {}
    for path, _, ms in records:
        by_path.setdefault(path, []).append(ms)
    out: dict = {}
    seen: dict[str, int] = {}
    samples: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    for name, path in plan:
        i = seen.get(path, 0)
        seen[path] = i + 1
        found = by_path.get(path, [])
        if i >= len(found):
            continue
        if name in PAGES and i == 0:
            first[name] = found[0]
            continue
        samples.setdefault(name, []).append(found[i] / 1e3)
    for name in ORDER:
        if name not in samples:
            continue
        row = summarise(samples[name])
        row.update(first_ms=first.get(name), errors=errors.get(name, 0),
                   bytes=sizes.get(name, 0))
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--copies", type=int, default=1,
                   help="synthetic copies in the store (for the first-view entities)")
    p.add_argument("--log-dir", type=Path, default=Path("."))
    args = p.parse_args(argv)
    json.dump(measure(args.store, args.log_dir, reps=args.reps, copies=args.copies), sys.stdout,
              indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
