"""Other SPARQL engines beside mali-kg: the same data, the same questions, the same answers?

The peers are Oxigraph server (the engine the embedded store is built on, as a server of its
own) and Virtuoso 7.2 (:mod:`bench.engines`). Each is loaded with the same N-Quads through its
own bulk path and asked every example query with the dataset mali-kg pins for a backend
(``default-graph-uri`` and ``named-graph-uri`` naming the served graphs), so that an engine's
system graphs never show and every system answers the same question.

:func:`compare` decides whether two answers hold the same rows: multisets of rows, terms
normalised (blank node labels, ``xsd:string`` against a plain literal, a language tag's case,
a canonical number). What still differs is explained where a known engine difference accounts
for it (``xsd:boolean`` written as ``1``, a language tag dropped, GROUP_CONCAT in another
order), and reported by query name; it never fails the run.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import engines

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "negativeInteger", "nonPositiveInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
LABELS = {"oxigraph": "Oxigraph server", "virtuoso": "Virtuoso"}
START = {"oxigraph": engines.oxigraph_server, "virtuoso": engines.virtuoso}


# -- the engines ---------------------------------------------------------------------------

def version(name: str) -> str | None:
    """The engine's version as it reports it, or None when it is not installed."""
    import subprocess

    command = engines.oxigraph_command() if name == "oxigraph" else engines.virtuoso_command()
    if command is None:
        return None
    argv = [command, "--version"] if name == "oxigraph" else [command, "-?"]
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout + out.stderr
    found = re.search(r"(?:oxigraph |Version )(\d+(?:\.\d+)+)", text)
    return found.group(1) if found else None


@contextmanager
def engine_loaded(name: str, folder: Path, nquads: Iterable[Path]) -> Iterator[dict]:
    """Start engine ``name`` in ``folder``, load ``nquads`` with its own bulk path; yield
    ``{"engine": Engine, "start_s": …, "load_s": …}``. The engine is stopped by its process id
    when the block ends."""
    t = time.perf_counter()
    with START[name](folder) as engine:
        started = time.perf_counter() - t
        t = time.perf_counter()
        for f in nquads:
            engines.load_native(engine, f)
        yield {"engine": engine, "start_s": started, "load_s": time.perf_counter() - t}


def dataset_query(graphs: Iterable[str]) -> str:
    """The protocol parameters that make the default graph the union of ``graphs`` and let
    GRAPH range over them: what ``mali-kg serve --backend`` sends with every query."""
    graphs = list(graphs)
    return urllib.parse.urlencode([("default-graph-uri", g) for g in graphs]
                                  + [("named-graph-uri", g) for g in graphs])


def endpoint(engine: engines.Engine, graphs: Iterable[str]) -> str:
    """The engine's query endpoint with the dataset pinned (a URL the load client keeps)."""
    return f"{engine.query_url}?{dataset_query(graphs)}"


# -- answers ---------------------------------------------------------------------------------

class Answer:
    """One SELECT answer as SPARQL JSON: variables, rows, and a warning the engine gave."""

    def __init__(self, variables: list[str], rows: list[dict], warning: str | None = None):
        self.variables, self.rows, self.warning = variables, rows, warning


def ask(url: str, query: str, *, timeout: float = 120.0) -> Answer:
    """GET ``url`` (which may carry the dataset already) with ``query``; SPARQL JSON back.

    Virtuoso cuts a query at ``MaxQueryExecutionTime`` and answers 200 with what it has so
    far, saying so only in ``X-SQL-State``: that is kept as the answer's warning."""
    sep = "&" if "?" in url else "?"
    req = urllib.request.Request(f"{url}{sep}query={urllib.parse.quote(query, safe='')}",
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        body = r.read()
        state = r.headers.get("X-SQL-State")
        warning = f"{state}: {r.headers.get('X-SQL-Message', '')}".strip() if state else None
    data = json.loads(body)
    return Answer(data["head"].get("vars", []), data["results"]["bindings"], warning)


def answers(url: str, queries: list[tuple[str, str]]) -> dict[str, Answer | str]:
    """Every query's answer, or the error it gave (a string)."""
    out: dict[str, Answer | str] = {}
    for name, text in queries:
        try:
            out[name] = ask(url, text)
        except urllib.error.HTTPError as e:
            out[name] = f"HTTP {e.code}: {e.read()[:300].decode('utf-8', 'replace')}"
        except (OSError, ValueError, KeyError) as e:
            out[name] = f"{type(e).__name__}: {e}"
    return out


def in_process(queries: list[tuple[str, str]], store=None) -> dict[str, Answer]:
    """The reference: the embedded store's answers (the bundled graphs, union default)."""
    import pyoxigraph as ox

    from mali_kg import store as mk_store

    s = store if store is not None else mk_store.open_store()
    out = {}
    for name, text in queries:
        result = mk_store.run_query(s, text)
        data = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        out[name] = Answer(data["head"].get("vars", []), data["results"]["bindings"])
    return out


# -- comparing -------------------------------------------------------------------------------

Term = tuple
Norm = Callable[[str, dict], Term]


def _number(datatype: str, value: str) -> str:
    try:
        if datatype in INTEGERS:
            return str(int(value))
        if datatype == XSD + "decimal":
            return str(Decimal(value).normalize())
        if datatype in (XSD + "double", XSD + "float"):
            return repr(float(value))
    except (ValueError, InvalidOperation):
        pass
    return value


def base_term(term: dict) -> Term:
    """A term with what RDF itself says is the same made the same."""
    kind = term.get("type")
    if kind == "bnode":
        return ("bnode",)  # labels are local to one answer
    if kind == "uri":
        return ("iri", term["value"])
    lang = term.get("xml:lang")
    if lang:
        return ("lit", term["value"], "@" + lang.lower())
    datatype = term.get("datatype") or XSD + "string"
    if datatype in (XSD + "string", RDF_LANG_STRING):
        return ("lit", term["value"], "")
    return ("lit", _number(datatype, term["value"]), datatype)


def _boolean(term: Term) -> Term:
    if term[0] == "lit" and term[2] == XSD + "boolean":
        return ("lit", {"1": "true", "0": "false"}.get(term[1], term[1]), term[2])
    return term


def _no_lang(term: Term) -> Term:
    if term[0] == "lit" and term[2].startswith("@"):
        return ("lit", term[1], "")
    return term


# (reason, how to make a term agree when that reason is the whole story), tried in order.
EXPLANATIONS: list[tuple[str, Callable[[Term], Term]]] = [
    ("xsd:boolean written as 1/0", _boolean),
    ("language tag dropped", _no_lang),
]
SEPARATOR = re.compile(r"SEPARATOR\s*=\s*(?P<q>['\"])(?P<sep>.*?)(?P=q)", re.IGNORECASE)
_CONCAT = re.compile(r"GROUP_CONCAT\s*\(", re.IGNORECASE)
_AS = re.compile(r"\s*AS\s*[?$](\w+)", re.IGNORECASE)


def group_concats(query: str) -> dict[str, str]:
    """Variables bound by GROUP_CONCAT in ``query``, with their separators."""
    out = {}
    for m in _CONCAT.finditer(query):
        depth, i = 1, m.end()
        while i < len(query) and depth:
            depth += {"(": 1, ")": -1}.get(query[i], 0)
            i += 1
        if (bound := _AS.match(query, i)) is None:
            continue
        sep = SEPARATOR.search(query[m.end():i])
        out[bound.group(1)] = sep.group("sep") if sep else " "
    return out


def _rows(answer: Answer, fix: Callable[[Term], Term], concat: dict[str, str] | None) -> Counter:
    rows: Counter = Counter()
    for binding in answer.rows:
        row = []
        for var in sorted(binding):
            term = fix(base_term(binding[var]))
            if concat and var in concat and term[0] == "lit" and concat[var]:
                term = ("lit", concat[var].join(sorted(term[1].split(concat[var]))), term[2])
            row.append((var, term))
        rows[tuple(row)] += 1
    return rows


def compare(reference: Answer, found: Answer | str, query: str) -> dict:
    """``{"same": True}``, or ``{"same": False, "reasons": [...]}`` naming the fewest known
    engine differences that account for it (``"explained": True``), or, when they do not,
    what still differs once they are all allowed."""
    if isinstance(found, str):
        return {"same": False, "reasons": [f"error: {found[:200]}"], "explained": False}
    out: dict = {"rows": len(found.rows), "reference_rows": len(reference.rows)}
    if found.warning:
        out["warning"] = found.warning
    fixes: list[Callable[[Term], Term]] = []
    concat: dict[str, str] | None = None

    def pair(fs, c) -> tuple[Counter, Counter]:
        return _rows(reference, _chain(fs), c), _rows(found, _chain(fs), c)

    ref, got = pair(fixes, concat)
    if ref == got:
        return {**out, "same": True}
    steps: list[tuple[str, Callable[[Term], Term] | None, dict[str, str] | None]] = [
        (reason, f, None) for reason, f in EXPLANATIONS]
    if concats := group_concats(query):
        steps.append(("GROUP_CONCAT order differs", None, concats))
    # The fewest known differences that together account for all of it.
    for size in range(1, len(steps) + 1):
        for chosen in itertools.combinations(steps, size):
            fs = [f for _, f, _ in chosen if f]
            c = next((c for _, _, c in chosen if c), None)
            ref2, got2 = pair(fs, c)
            if ref2 == got2:
                return {**out, "same": False, "reasons": [r for r, _, _ in chosen],
                        "explained": True}
    # None does: allow them all and show what is left.
    fixes = [f for _, f, _ in steps if f]
    concat = next((c for _, _, c in steps if c), None)
    ref, got = pair(fixes, concat)
    missing, extra = ref - got, got - ref
    detail = (f"{len(found.rows)} rows instead of {len(reference.rows)}"
              if len(found.rows) != len(reference.rows) else "other values in the same number "
              "of rows")
    if missing:
        detail += f"; missing e.g. {_show(next(iter(missing)))}"
    if extra:
        detail += f"; unexpected e.g. {_show(next(iter(extra)))}"
    if found.warning:
        detail += f"; the engine said {found.warning}"
    return {**out, "same": False, "reasons": [detail], "explained": False}


def _chain(fixes: list[Callable[[Term], Term]]) -> Callable[[Term], Term]:
    def fix(term: Term) -> Term:
        for f in fixes:
            term = f(term)
        return term
    return fix


def _show(row: tuple) -> str:
    return "{" + ", ".join(f"?{v}={t[1] if len(t) > 1 else '_:b'}"
                           + (t[2] if len(t) > 2 and t[2].startswith("@") else "")
                           for v, t in row)[:200] + "}"


def check(reference: dict[str, Answer], found: dict[str, Answer | str],
          queries: list[tuple[str, str]]) -> dict[str, dict]:
    """Per query, :func:`compare` of ``found`` against ``reference``."""
    return {name: compare(reference[name], found.get(name, "no answer"), text)
            for name, text in queries}


def differing(checked: dict[str, dict]) -> dict[str, str]:
    """Query name → reason, for the queries whose rows differ."""
    return {name: "; ".join(c.get("reasons", [])) for name, c in checked.items()
            if not c.get("same")}
