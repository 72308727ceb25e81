"""The SPARQL 1.1 Protocol at ``/sparql``: read the request, inspect, negotiate, run.

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``. Every refusal is a
4xx with a message saying what to do (see :mod:`.responses`). Without a query, GET answers
with the service description (or, for browsers, the query UI).
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import jsonld
from .. import negotiation as neg
from ..errors import UnsupportedFormatError
from ..formats import RdfFormat, ResultFormat
from ..gate import ENGINE_MAX_OPERATORS, Inspection, InspectionError, inspect_query
from ..lru import ByteLRU
from . import params as qs
from .context import ServerContext, get_ctx
from .executor import JobTimeout, PoolBusy, WorkerFailed
from .responses import error_response
from .worker import DecodeParams, Inspect, Job

# Larger queries and parameter strings are inspected and decoded in a worker process:
# tokenising them here would hold up every other request on the event loop.
INLINE_BYTES = 8 * 1024

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
PROTOCOL_PARAMS = ("query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri",
                   "using-named-graph-uri")
READ_ONLY = ("This endpoint is read-only: SPARQL Update is not accepted. Send a query with "
             "the 'query' parameter instead.")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


async def sparql(request: Request) -> Response:
    ctx = get_ctx(request)
    accept = request.headers.get("accept")
    try:
        params, body_query = await _read_params(request, ctx)
        if "update" in params or "using-graph-uri" in params or \
                "using-named-graph-uri" in params:
            raise ProtocolError(403, READ_ONLY)
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if not queries and request.method in ("GET", "HEAD") and \
                not any(p in params for p in PROTOCOL_PARAMS):
            return await ctx.off_loop(_describe_service, request, ctx, accept)
        if len(queries) != 1:
            raise ProtocolError(400, "Send exactly one query: "
                                f"this request has {len(queries)} (parameter 'query').")
        if request.method == "GET" and queries[0].strip() and \
                not any(p in params for p in FORMAT_PARAMS) and \
                neg.prefers_html(accept, neg.RESULT_OFFERS + neg.RDF_OFFERS,
                                 neg.RESULT_ALIASES | neg.RDF_ALIASES, ties_to_html=False):
            # A browser following a /sparql?query= link gets the UI with the query loaded; a
            # client that ranks any results or RDF format as high as HTML gets data.
            from . import ui

            return ui.query_page(request, ctx, initial_query=queries[0])
        inspection = await _inspect(ctx, queries[0])
        default, named = _dataset(params, inspection, ctx)
        fmt = _negotiate(inspection.form, params, accept)
    except ProtocolError as e:
        return error_response(e.status, e.message, accept=accept, headers=e.headers)
    except InspectionError as e:
        return error_response(e.status, e.message, accept=accept, line=e.line, column=e.column)

    # JSON-LD answers are the engine's expanded form unless a profile asks for a form.
    profiles = neg.jsonld_profiles(accept) if fmt is RdfFormat.JSONLD else ()
    job = Job(query=inspection.text, form=inspection.form, format=fmt.value.name,
              default_graphs=default, named_graphs=named, max_rows=ctx.settings.max_rows,
              base_iri=ctx.settings.base_iri,
              jsonld_form=jsonld.choose_form(profiles, jsonld.EXPANDED) if profiles else None)
    timeout = ctx.settings.timeout
    try:
        reply = ctx.results.get(job)
        if reply is None:
            reply = await _run_unless_client_leaves(request, ctx, job, timeout)
            ctx.results.put(job, reply)
    except ClientGone:
        return Response(status_code=499)  # nobody is listening; the worker was replaced
    except (JobTimeout, PoolBusy, WorkerFailed) as e:
        refusal = _refusal(e, ctx)
        return error_response(refusal.status, refusal.message, accept=accept,
                              headers=refusal.headers)
    kind = reply[0]
    if kind == "ok":
        headers = {"Vary": "Accept"}
        if reply[2]:
            headers["X-Mali-KG-Truncated"] = "true"
            if reply[2] == "rows":
                headers["X-Mali-KG-Row-Limit"] = str(ctx.settings.max_rows)
            else:
                headers["X-Mali-KG-Byte-Limit"] = str(ctx.settings.max_output)
        media = jsonld.media_type(reply[3], profiles) if len(reply) > 3 else fmt.media_type
        return Response(reply[1], media_type=neg.content_type(media), headers=headers)
    if kind == "memory":
        return error_response(503, _out_of_memory(ctx), accept=accept)
    if kind == "syntax":
        _, message, line, column = reply
        return error_response(400, message, accept=accept, line=line, column=column)
    if kind == "unacceptable":
        return error_response(406, reply[1], accept=accept)
    if kind == "internal":
        return error_response(500, "The store could not be read; try again.", accept=accept)
    if kind == "forbidden":
        return error_response(403, reply[1], accept=accept)
    if kind == "upstream":
        status, message = reply[1], reply[2][:500]
        if 400 <= status < 500:
            return error_response(400, f"The SPARQL engine refused the query: {message}",
                                  accept=accept)
        return error_response(502, f"The SPARQL engine behind this endpoint failed: "
                              f"{message}", accept=accept)
    return error_response(400, f"The query could not be evaluated: {reply[1]}", accept=accept)


class ClientGone(Exception):
    pass


def _refusal(e: Exception, ctx: ServerContext) -> ProtocolError:
    """What to answer when a worker could not finish a job."""
    timeout = ctx.settings.timeout
    if isinstance(e, JobTimeout):
        return ProtocolError(
            504, f"The query did not finish within {timeout:g} s and was stopped. Narrow it "
            "(more specific patterns, a LIMIT, fewer OPTIONALs or regexes).",
            {"X-Mali-KG-Timeout": f"{timeout:g}"})
    if isinstance(e, PoolBusy):
        return ProtocolError(503, "Every query worker is busy; try again in a moment.",
                             {"Retry-After": "1"})
    if isinstance(e, WorkerFailed) and e.out_of_memory:
        return ProtocolError(503, _out_of_memory(ctx))
    return ProtocolError(500, "The query engine stopped while running this query; it has "
                         "been restarted. Please report the query.")


def _out_of_memory(ctx: ServerContext) -> str:
    mib = ctx.settings.max_memory // 2**20
    return (f"The query needed more than the {mib} MiB of memory a query may use and was "
            "stopped. Narrow it (a LIMIT does not help under ORDER BY or DISTINCT over many "
            "rows; more specific patterns do).")


async def _offload(ctx: ServerContext, job: object) -> tuple:
    """Run an inspection or decoding job in a query worker; a worker's refusal is raised."""
    try:
        reply = await ctx.pool.run(job, timeout=ctx.settings.timeout)
    except (JobTimeout, PoolBusy, WorkerFailed) as e:
        raise _refusal(e, ctx) from None
    if reply[0] == "refused":
        _, status, message, line, column = reply
        raise InspectionError(status, message, line=line, column=column)
    if reply[0] == "memory":
        raise ProtocolError(503, _out_of_memory(ctx))
    return reply


async def _inspect(ctx: ServerContext, query: str) -> Inspection:
    s = ctx.settings
    if len(query) <= INLINE_BYTES:
        inspection = inspect_query(query, max_bytes=s.max_query_bytes, max_depth=s.max_nesting,
                                   allowed_services=s.allowed_services, base_iri=s.base_iri)
    elif len(query) > s.max_query_bytes:  # refused at once, without a worker
        return inspect_query(query, max_bytes=s.max_query_bytes, max_depth=s.max_nesting)
    else:
        inspection = (await _offload(ctx, Inspect(query, s.max_query_bytes, s.max_nesting,
                                                  s.allowed_services, s.base_iri)))[1]
    if s.backend is not None and inspection.operators > ENGINE_MAX_OPERATORS:
        raise InspectionError(400, f"The query chains {inspection.operators} operators, groups "
                              f"and clauses; in front of a remote engine at most "
                              f"{ENGINE_MAX_OPERATORS} are sent (longer chains crash engines' "
                              "parsers). Split it into several queries.")
    return inspection


async def _run_unless_client_leaves(request: Request, ctx: ServerContext, job: Job,
                                    timeout: float) -> tuple:
    """Run the job; if the client disconnects first, stop it (its worker is replaced). The
    job runs in this task, which a watcher cancels when the client leaves: one task more a
    query, not two and a wait."""
    task = asyncio.current_task()
    left = False

    async def watch() -> None:
        nonlocal left
        while (await request.receive())["type"] != "http.disconnect":
            pass
        left = True
        task.cancel()

    watcher = asyncio.ensure_future(watch())
    try:
        return await ctx.pool.run(job, timeout=timeout)
    except asyncio.CancelledError:
        if not left:
            raise
        task.uncancel()
        raise ClientGone from None
    finally:
        watcher.cancel()


async def _read_params(request: Request, ctx: ServerContext) -> tuple[dict[str, list[str]],
                                                                     str | None]:
    """Protocol parameters (URL and form body) and the query sent as the body, if any."""
    params = await _parse_qs(ctx, request.scope.get("query_string", b""), "the URL")
    if request.method not in ("POST",):
        return params, None
    raw_type = request.headers.get("content-type", "")
    media, _, type_params = raw_type.partition(";")
    media = media.strip().lower()
    if media == SPARQL_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    if media not in (FORM, SPARQL_QUERY):
        raise ProtocolError(415, f"Unsupported Content-Type {raw_type[:80]!r}: POST a query as "
                            f"{SPARQL_QUERY} or {FORM}.")
    charset = _charset(type_params)
    if charset not in (None, "utf-8", "utf8") and not (media == FORM and charset == "us-ascii"):
        raise ProtocolError(415, f"Unsupported charset {charset!r}: send the query in UTF-8.")
    body = await _read_body(request, ctx.settings.max_body_bytes)
    if media == FORM:
        for key, values in (await _parse_qs(ctx, body, "the form body")).items():
            params.setdefault(key, []).extend(values)
        return params, None
    try:
        return params, body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "The request body is not valid UTF-8; send the query in "
                            "UTF-8.") from None


async def _parse_qs(ctx: ServerContext, raw: bytes, where: str) -> dict[str, list[str]]:
    """Decode URL-encoded parameters exactly once (``%41`` stays ``A``, not decoded twice).

    Decoding a query in pure Python costs more than answering it from the result cache, so
    the decoded parameters of short strings are kept; long ones are decoded in a worker.
    A fresh dict is returned each time: callers may add to it.
    """
    if len(raw) > INLINE_BYTES:
        decoded = (await _offload(ctx, DecodeParams(bytes(raw), where)))[1]
    else:
        decoded = _DECODED.get((raw, where))
        if decoded is None:
            try:
                decoded = qs.decode(raw, where)
            except qs.ParamError as e:
                raise ProtocolError(400, str(e)) from None
            _DECODED.put((raw, where), decoded, 3 * len(raw) + 200)
    return {key: list(values) for key, values in decoded}


_DECODED = ByteLRU(max_bytes=8 * 2**20, max_entry=3 * INLINE_BYTES + 200)


def _charset(type_params: str) -> str | None:
    for param in type_params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"The request body is larger than {limit} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"The request body is larger than {limit} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _dataset(params: dict[str, list[str]], inspection: Inspection,
             ctx: ServerContext) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The RDF dataset: protocol parameters override FROM / FROM NAMED (SPARQL Protocol 2.1.4).

    Only graphs that are in the store may be named; nothing is ever fetched.
    """
    default = params.get("default-graph-uri", [])
    named = params.get("named-graph-uri", [])
    from_params = bool(default or named)
    if not from_params:
        default, named = list(inspection.from_graphs), list(inspection.from_named_graphs)
    unknown = [(g, "default") for g in default if g not in ctx.graph_names] + \
        [(g, "named") for g in named if g not in ctx.graph_names]
    if unknown:
        graph, kind = unknown[0]
        if from_params:
            source = "default-graph-uri" if kind == "default" else "named-graph-uri"
        else:
            source = "FROM" if kind == "default" else "FROM NAMED"
        known = ", ".join(f"<{g}>" for g in sorted(ctx.graph_names))
        raise ProtocolError(400, f"{source} names a graph this endpoint does not hold: "
                            f"<{graph[:200]}>. Graphs are never fetched; the graphs here "
                            f"are {known}.")
    if not default and not named:
        return None, None
    return tuple(default), tuple(named)


# Parameters clients use to name a format: ``format`` (Virtuoso, SPARQLWrapper, YASGUI) and
# ``output`` (Fuseki, SPARQLWrapper); SPARQLWrapper sends both, and a media-type list too.
FORMAT_PARAMS = ("format", "output")


def _negotiate(form: str, params: dict[str, list[str]],
               accept: str | None) -> ResultFormat | RdfFormat:
    """The format of the answer: the first format a ``format``/``output`` parameter names
    that this query form has (``json-ld``, ``n3``, ``ttl``, media types, a list of them);
    else the client's ``Accept``; 406 only when neither names a format we have."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    kind: type[ResultFormat] | type[RdfFormat] = RdfFormat if graph else ResultFormat
    named = [key.strip().replace(" ", "+") for p in FORMAT_PARAMS
             for value in params.get(p, []) for key in value.split(",")]
    named = [key for key in named if key]
    for key in named:
        with contextlib.suppress(UnsupportedFormatError):
            return kind.lookup(key.split(";")[0])
    offers, aliases = (neg.RDF_OFFERS, neg.RDF_ALIASES) if graph else \
        (neg.RESULT_OFFERS, neg.RESULT_ALIASES)
    chosen = neg.choose(offers, accept, aliases)
    if chosen is not None:
        return kind.lookup(chosen)
    names = ", ".join(f.value.name for f in kind)
    if named:
        raise ProtocolError(406, f"format={named[0][:60]!r} is not available for a {form} "
                            f"query, nor is any type in Accept; use one of: {names}.")
    raise ProtocolError(406, f"None of the accepted media types ({(accept or '')[:200]}) "
                        f"is available for a {form} query; this endpoint offers "
                        + ", ".join(offers) + ".")


def _describe_service(request: Request, ctx: ServerContext, accept: str | None) -> Response:
    from . import service_description, ui

    if neg.prefers_html(accept):
        return ui.query_page(request, ctx)
    return service_description.response(request, ctx, accept)


routes = [Route("/sparql", sparql, methods=["GET", "POST"], name="sparql")]
