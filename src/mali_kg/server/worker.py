"""The query worker: a process that holds its own store, runs one query at a time, and
answers with ready-to-send bytes.

This module is imported in the worker processes, so it imports only pyoxigraph and the
lower layers of the package (no web framework). Messages on the pipe are plain tuples:

* request: :class:`Job`
* reply: ``("ok", body, truncated)``, ``("syntax", message, line, column)``,
  ``("error", message)`` (the query cannot be evaluated), ``("unacceptable", message)`` (the
  answer cannot be written in the requested format) or ``("internal", message)``;
  the first message a worker sends is ``("ready", triples)``.
"""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from ..formats import RdfFormat, ResultFormat
from ..store import open_store, query_syntax_error
from .results import NotRepresentable, take, write_boolean, write_solutions, write_triples


@dataclass(frozen=True, slots=True)
class Job:
    query: str  # already inspected and decoded
    form: str
    format: str  # a ResultFormat or RdfFormat name, chosen by the HTTP layer
    default_graphs: tuple[str, ...] | None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None  # None: every named graph
    max_rows: int
    base_iri: str | None


# The engine's parser and evaluator recurse over the query: a long run of ``!``, thousands of
# MINUS or BIND in one group, or a long ``+`` chain overflowed the 8 MiB main-thread stack
# (SIGSEGV) well below the query size limit. Queries therefore run on a thread with a stack
# large enough for any query under that limit; untouched stack pages cost no memory.
STACK_BYTES = 512 * 1024 * 1024


def main(conn: Connection, store_path: str | None) -> None:
    """Entry point of a worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    threading.stack_size(STACK_BYTES)
    # pyoxigraph objects must stay on the thread that made them: the store lives there too.
    runner = threading.Thread(target=_serve, args=(conn, store_path), name="query-runner")
    runner.start()
    runner.join()


def _serve(conn: Connection, store_path: str | None) -> None:
    store = open_store(path=Path(store_path), read_only=True) if store_path else open_store()
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, job)
        except SyntaxError as e:
            err = query_syntax_error(e)
            reply = ("syntax", str(err), err.line, err.column)
        except OSError as e:  # the store could not be read
            reply = ("internal", str(e))
        except NotRepresentable as e:
            reply = ("unacceptable", str(e))
        except Exception as e:  # the engine refused to evaluate the query
            reply = ("error", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


# The fewest bytes one result row takes: ``{}`` (plus a comma) in JSON, CRLF in CSV.
_MIN_ROW_BYTES = {ResultFormat.JSON: 2, ResultFormat.CSV: 2}


def execute(store: ox.Store, job: Job) -> tuple:
    options: dict = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        default = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["default_graph"] = default or ox.DefaultGraph()
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    result = store.query(job.query, **options)
    fmt = ResultFormat.lookup(job.format) if job.form in ("SELECT", "ASK") else None
    if isinstance(result, ox.QuerySolutions) and fmt in _MIN_ROW_BYTES:
        # The engine's own writer is much faster than writing rows from Python, but it
        # cannot stop at the row limit. A body shorter than max_rows times the smallest
        # possible row cannot hold more than max_rows rows, so it is sent as written; a
        # longer one is evaluated again and cut here. (JSON and CSV only: the engine writes
        # them byte for byte as results.py does.)
        body = result.serialize(format=fmt.oxigraph)
        if len(body) <= job.max_rows * _MIN_ROW_BYTES[fmt]:
            return ("ok", body, False)
        result = store.query(job.query, **options)
    if isinstance(result, ox.QueryBoolean):
        return ("ok", write_boolean(ResultFormat.lookup(job.format), bool(result)), False)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = take(result, job.max_rows)
        rows = [[sol[v] for v in variables] for sol in rows]
        body = write_solutions(ResultFormat.lookup(job.format), variables, rows, truncated)
        return ("ok", body, truncated)
    triples, truncated = take(result, job.max_rows)
    return ("ok", write_triples(RdfFormat.lookup(job.format), triples), truncated)
