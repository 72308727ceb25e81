"""The worker processes: everything a client sends is parsed and evaluated here, never in the
serving process.

A worker is started by :mod:`.executor` with a role: ``query`` workers hold their own store
and run queries (and, for large requests, the inspection and form decoding that would
otherwise hold up the event loop); ``validate`` workers run SHACL validation of submitted
data. Over a remote engine, where a query worker mostly waits for the engine's answer, one
process runs several jobs at once, each on a thread of its own with its own pipe and its own
connection to the engine (the pool decides how many). Each worker

* runs its jobs on threads with a large stack (the parsers recurse),
* limits its own address space to what it holds at start plus ``max_memory`` bytes for each
  job it runs at once (one budget, shared by its threads), so a runaway query fails (or the
  worker dies) instead of the machine running out of memory,
* cuts answers at ``max_output`` bytes, and
* dies with the serving process that started it (``PR_SET_PDEATHSIG`` on Linux).

This module imports only pyoxigraph and the lower layers of the package (no web framework).
Messages on the pipe are plain tuples; the first one a worker sends is ``("ready", triples)``.
Replies to a query :class:`Job`: ``("ok", body, truncated)`` (``truncated`` is None, "rows" or
"bytes"; JSON-LD asked for in a form adds the form written), ``("syntax", message, line,
column)``, ``("error", message)`` (the query cannot be evaluated), ``("unacceptable",
message)`` (the answer cannot be written in the requested format), ``("memory", message)``,
``("internal", message)``; over a remote engine also ``("forbidden", message)`` (not SPARQL
1.1) and ``("upstream", status, message)`` (the engine refused or failed).
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from .. import jsonld
from ..formats import RdfFormat, ResultFormat
from ..gate import InspectionError, inspect_query
from ..remote import (
    Backend,
    NotStandard,
    RemoteError,
    RemoteStore,
    WholeAnswer,
    refusal,
    standard_only,
)
from ..store import open_store, query_syntax_error
from . import params
from .limits import die_with_parent, limit_memory
from .results import (
    NotRepresentable,
    fit,
    take,
    term_bytes,
    write_boolean,
    write_solutions,
    write_triples,
)


class Job(NamedTuple):
    """A query to run: a named tuple, the cheapest message to pickle (it is sent with every
    query) and the result cache's key."""
    query: str  # already inspected and decoded
    form: str
    format: str  # a ResultFormat or RdfFormat name, chosen by the HTTP layer
    default_graphs: tuple[str, ...] | None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None  # None: every named graph
    max_rows: int
    base_iri: str | None
    jsonld_form: str | None = None  # JSON-LD: a form asked for by profile, else expanded


@dataclass(frozen=True, slots=True)
class Inspect:
    """Inspect a large query (:func:`.inspection.inspect_query`) off the event loop.
    Replies ``("inspected", Inspection)`` or ``("refused", status, message, line, column)``."""
    query: str
    max_bytes: int
    max_depth: int
    allowed_services: frozenset[str]
    base_iri: str | None


@dataclass(frozen=True, slots=True)
class DecodeParams:
    """Decode a large URL-encoded body (:func:`.params.decode`) off the event loop.
    Replies ``("decoded", params)`` or ``("refused", 400, message, None, None)``."""
    raw: bytes
    where: str


@dataclass(frozen=True, slots=True)
class Limits:
    max_memory: int  # bytes above the worker's size once it is ready
    max_output: int  # bytes of one answer


# The engine's parser and evaluator recurse over the query: a long run of ``!``, thousands of
# MINUS or BIND in one group, or a long ``+`` chain overflowed the 8 MiB main-thread stack
# (SIGSEGV) well below the query size limit. Jobs therefore run on a thread with a stack
# large enough for any query under that limit; untouched stack pages cost no memory.
STACK_BYTES = 512 * 1024 * 1024


def main(conns: list[Connection], role: str, store_path: str | Backend | None,
         limits: Limits, parent: int) -> None:
    """Entry point of a worker process: one job at a time on each of ``conns`` (more than one
    only over a remote engine, where a job mostly waits for the engine: a thread each)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    threading.stack_size(STACK_BYTES)
    # pyoxigraph objects must stay on the thread that made them: the store lives there too.
    runner = threading.Thread(target=_serve, args=(conns, role, store_path, limits),
                              name=f"{role}-runner")
    runner.start()
    runner.join()


def _serve(conns: list[Connection], role: str, source: str | Backend | None,
           limits: Limits) -> None:
    if role == "query":
        if isinstance(source, Backend):
            store, size = RemoteStore(source), 0  # one connection to the engine per thread
        else:
            store = open_store(path=Path(source), read_only=True) if source else open_store()
            size = len(store)

        def handle(job):
            return _query_job(store, job, limits)
    else:
        from ..pages import validation

        validation.warm_up()
        handle, size = validation.run_job, 0
    # Started before the memory limit, which counts the address space their stacks reserve;
    # the threads share max_memory for each of them.
    for conn in conns[1:]:
        threading.Thread(target=_answer, args=(conn, handle), name=f"{role}-runner",
                         daemon=True).start()
    limit_memory(limits.max_memory * len(conns))
    for conn in conns:
        conn.send(("ready", size))
    _answer(conns[0], handle)


def _answer(conn: Connection, handle) -> None:
    """Run the jobs that come on ``conn``, one at a time, until the pipe closes. Anything else
    that stops this loop ends the whole process, so that its pipes close and the pool replaces
    it, rather than one thread being gone and its pipe never answering."""
    try:
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                return
            try:
                reply = handle(job)
            except MemoryError:
                reply = _OUT_OF_MEMORY
            try:
                send(conn, reply)
            except MemoryError:  # pickling the reply: nothing was written yet
                send(conn, _OUT_OF_MEMORY)
            except (BrokenPipeError, OSError):
                return
    except BaseException:
        traceback.print_exc()
        os._exit(70)


_OUT_OF_MEMORY = ("memory", "ran out of memory")


def send(conn: Connection, message: object) -> None:
    """``conn.send(message)`` without multiprocessing's own pickler, which copies its table
    of reducers for every message (a job and its reply: 8 µs of 11); ours are plain data, and
    ``conn.recv()`` reads them as it reads its own."""
    conn.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))


def _query_job(store: ox.Store, job, limits: Limits) -> tuple:
    if isinstance(job, Inspect):
        try:
            return ("inspected", inspect_query(
                job.query, max_bytes=job.max_bytes, max_depth=job.max_depth,
                allowed_services=job.allowed_services, base_iri=job.base_iri))
        except InspectionError as e:
            return ("refused", e.status, e.message, e.line, e.column)
    if isinstance(job, DecodeParams):
        try:
            return ("decoded", params.decode(job.raw, job.where))
        except params.ParamError as e:
            return ("refused", 400, str(e), None, None)
    try:
        if isinstance(store, RemoteStore):
            standard_only(job.query, job.base_iri, store.backend.functions)
        return execute(store, job, limits.max_output)
    except NotStandard as e:
        return ("forbidden", str(e))
    except RemoteError as e:
        return ("upstream", e.status, e.message)
    except SyntaxError as e:
        err = query_syntax_error(e)
        return ("syntax", str(err), err.line, err.column)
    except MemoryError:
        raise
    except OSError as e:  # the store could not be read
        return ("internal", str(e))
    except NotRepresentable as e:
        return ("unacceptable", str(e))
    except Exception as e:  # the engine refused to evaluate the query
        if (refused := refusal(e)) is not None:
            return ("forbidden", str(refused))
        return ("error", f"{type(e).__name__}: {e}")


def _most_rows(fmt: ResultFormat, body: bytes) -> int:
    """The most rows the engine's own JSON or CSV ``body`` can hold, counted in C. JSON:
    every row is an object, and besides the rows only the document, ``head`` and ``results``
    open one. CSV: every row and the header end with CRLF."""
    return body.count(b"{") - 3 if fmt is ResultFormat.JSON else body.count(b"\n") - 1


def execute(store: ox.Store, job: Job, max_output: int) -> tuple:
    options: dict = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        default = [ox.NamedNode(g) for g in job.default_graphs or ()]
        options["default_graph"] = default or ox.DefaultGraph()
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    remote = isinstance(store, RemoteStore)
    if remote:
        options.update(form=job.form, whole=max_output)
    result = store.query(job.query, **options)
    whole = result if isinstance(result, WholeAnswer) else None
    if whole is not None:
        result = whole.solutions()
    fmt = ResultFormat.lookup(job.format) if job.form in ("SELECT", "ASK") else None
    if isinstance(result, ox.QuerySolutions) and fmt in (ResultFormat.JSON, ResultFormat.CSV) \
            and (whole is not None or not remote):
        # pyoxigraph's writer is much faster than writing rows from Python, but it cannot
        # stop at the row or byte limit. An answer that provably fits both limits is sent as
        # it wrote it (JSON and CSV only: it writes them byte for byte as results.py does),
        # or, asked for in the format a remote engine answered in, as the engine wrote it
        # (its start was parsed above); otherwise the answer is read again (a remote
        # engine's, kept whole) or the query is evaluated again, and cut here.
        body = whole.sparql11_json() if whole is not None and fmt is ResultFormat.JSON \
            else None
        if body is None:
            body = result.serialize(format=fmt.oxigraph)
        if len(body) <= max_output and _most_rows(fmt, body) <= job.max_rows:
            return ("ok", body, None)
        del body
        result = whole.solutions() if whole is not None else store.query(job.query, **options)
    if isinstance(result, ox.QueryBoolean):
        return ("ok", write_boolean(ResultFormat.lookup(job.format), bool(result)), None)
    if isinstance(result, ox.QuerySolutions):
        fmt = ResultFormat.lookup(job.format)
        variables = [v.value for v in result.variables]
        solutions, over = take(result, job.max_rows, max_output,
                               lambda s: 8 + sum(term_bytes(t) for t in s))
        rows = [[sol[v] for v in variables] for sol in solutions]

        body, cut = fit(lambda r: write_solutions(fmt, variables, r, True), rows, max_output,
                        write_solutions(fmt, variables, rows, over))
        return ("ok", body, _why(over or cut, len(rows) >= job.max_rows and not cut))
    rdf = RdfFormat.lookup(job.format)
    triples, over = take(result, job.max_rows, max_output, term_bytes)
    if rdf is RdfFormat.JSONLD and job.jsonld_form is not None:
        body, written = jsonld.write(triples, job.jsonld_form)  # and the form it could write
        body, cut = fit(lambda ts: jsonld.write(ts, written)[0], triples, max_output, body)
        return ("ok", body, _why(over or cut, len(triples) >= job.max_rows and not cut),
                written)
    body, cut = fit(lambda ts: write_triples(rdf, ts), triples, max_output)
    return ("ok", body, _why(over or cut, len(triples) >= job.max_rows and not cut))


def _why(truncated: bool, at_row_limit: bool) -> str | None:
    if not truncated:
        return None
    return "rows" if at_row_limit else "bytes"
