"""The pages' routes: an APIRouter that mounts into any FastAPI app.

The router finds its data through the app: ``app.state.pages_query`` (a ``query(sparql)``
callable) when set, else the server context's store (``app.state.ctx.store``), else a store
of the bundled graphs of its own. Entity pages and the ontology page are served by the
server's content negotiation, through :class:`~mali_kg.pages.renderer.Renderer`.
"""

from __future__ import annotations

import json
from functools import cache
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from .. import namespaces as ns
from ..negotiation import choose
from ..store import open_store
from . import graphview, home, timeline, validation
from .article import anchor_view, load_article, render_text
from .common import STATIC, Labels, alternate_links, render, show_term
from .sparql import Query, select, served_query, slug_of

router = APIRouter()

_ASSETS = {"pages.css": "text/css; charset=utf-8",
           "article.js": "text/javascript; charset=utf-8"}
_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


@cache
def _own_store():
    return open_store()


def page_query(request: Request) -> Query:
    """The pages' query callable: the app's own (``app.state.pages_query``), else one over
    the served store that keeps the labels it looks up (shared with the renderer's pages)."""
    state = request.app.state
    q = getattr(state, "pages_query", None)
    if q is not None:
        return q
    ctx = getattr(state, "ctx", None)
    store = getattr(ctx, "store", None) if ctx is not None else None
    return served_query(store if store is not None else _own_store())


def base_path(request: Request) -> str:
    ctx = getattr(request.app.state, "ctx", None)
    prefix = getattr(ctx, "path_prefix", None) if ctx is not None else None
    return prefix or (request.scope.get("root_path", "").rstrip("/") + "/")


def html(body: str, alternates: list[tuple[str, str]], status: int = 200) -> HTMLResponse:
    headers = {"Content-Security-Policy": _CSP, "Vary": "Accept"}
    if alternates:
        headers["Link"] = alternate_links(alternates)
    return HTMLResponse(body, status_code=status, headers=headers)


def as_json(doc, alternates: list[tuple[str, str]] = ()) -> JSONResponse:
    headers = {"Link": alternate_links(list(alternates))} if alternates else {}
    return JSONResponse(doc, headers=headers)


def _term_json(t):
    if t is None:
        return None
    d = {"type": "uri" if t.is_iri else t.kind if t.kind == "bnode" else "literal",
         "value": t.value}
    if t.lang:
        d["xml:lang"] = t.lang
    if t.datatype:
        d["datatype"] = t.datatype
    return d


# --- assets ------------------------------------------------------------------------------

@router.get("/assets/{name}", include_in_schema=False)
def asset(name: str) -> Response:
    if name not in _ASSETS:
        return Response("Not found: see / for the pages.", status_code=404,
                        media_type="text/plain")
    return Response((STATIC / name).read_bytes(), media_type=_ASSETS[name],
                    headers={"Cache-Control": "public, max-age=3600"})


# --- home --------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse, summary="Home page")
def home_page(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    alternates = [(f"{bp}index.json", "application/json"),
                  (labels.href(ns.DATASET), "text/turtle")]
    ctx = _home_context(query, labels, bp, request)
    return html(render("home.html", base_path=bp, alternates=alternates, title="mali-kg",
                       labels=labels, show=lambda t: show_term(t, labels), **ctx), alternates)


@router.get("/index.json", summary="Home page as JSON")
def home_json(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    ctx = _home_context(query, labels, bp, request)
    return as_json({
        "title": "mali-kg", "counts": ctx["counts"],
        "classes": [{"class": c, "label": labels.en(c), "count": n} for c, n in ctx["classes"]],
        "examples": [{"name": e.name, "title": e.title, "results": f"{bp}examples/{e.name}.json",
                      "query": e.text} for e in ctx["examples"]],
        "links": {"sparql": f"{bp}sparql", "article": f"{bp}article",
                  "timeline": f"{bp}timeline", "ontology": f"{bp}ontology",
                  "validate": f"{bp}validate", "dumps": f"{bp}data/"},
    }, [(f"{bp}", "text/html")])


_PEOPLE = [ns.MK + "Person"]
_BODIES = [ns.MK + "Body", ns.MK + "State"]
_EVENTS = [ns.MK + c for c in ("Resolution", "Adoption", "Request", "Withdrawal")]


def _home_context(query: Query, labels: Labels, bp: str, request: Request) -> dict:
    ctx = getattr(request.app.state, "ctx", None)
    sizes = ctx.graph_sizes if ctx is not None and getattr(ctx, "store", None) is \
        getattr(query, "store", False) else None
    counts, classes = home.figures(query, sizes)
    lists, more = {}, {}
    for name, cls in (("people", _PEOPLE), ("bodies", _BODIES), ("events", _EVENTS)):
        found, more[name] = home.resources_of(query, cls)
        lists[name] = home.labelled(labels, found)[:home.MAX_ITEMS]
    statements, more["statements"] = home.statements(query)
    conflicts, more["conflicts"] = home.conflicts(query)
    labels.want([*(c for c, _ in classes), *(t.value for r in conflicts
                                                 for t in (r["a"], r["b"], r["bya"], r["byb"])
                                                 if t is not None and t.is_iri),
                 *(s[k] for s in statements for k in ("speaker", "post", "before") if s[k])])

    def sparql_link(text: str) -> str:
        return f"{bp}sparql?query={quote(text)}"

    return {
        "counts": counts, "classes": classes, **lists, "statements": statements,
        "conflicts": conflicts, "examples": home.examples(), "sparql_link": sparql_link,
        "more": {name: sparql_link(ns.sparql_prologue(["mk", "rdfs"]) + text) for name, text in (
            ("people", home.listing_query(_PEOPLE)), ("bodies", home.listing_query(_BODIES)),
            ("events", home.listing_query(_EVENTS)),
            ("statements", home.STATEMENTS_QUERY), ("conflicts", home.CONFLICTS_QUERY))
            if more[name]},
        "max_items": home.MAX_ITEMS,
    }


# --- examples ----------------------------------------------------------------------------

@router.get("/examples/{name}", summary="An example query and its results")
def example_page(request: Request, name: str) -> Response:
    query, bp = page_query(request), base_path(request)
    as_json_doc = name.endswith(".json")
    ex = home.find_example(name.removesuffix(".json"))
    if ex is None:
        return html(render("error.html", base_path=bp, title="No such example",
                           message=f"There is no example query named {name!r}.",
                           hint="The home page lists the examples."), [], 404)
    rows = select(query, ex.text)
    variables = list(rows[0].keys()) if rows else _variables(query, ex.text)
    html_href, json_href = f"{bp}examples/{ex.name}", f"{bp}examples/{ex.name}.json"
    if as_json_doc:
        return as_json({"name": ex.name, "title": ex.title, "query": ex.text,
                        "head": {"vars": variables},
                        "results": {"bindings": [{k: _term_json(v) for k, v in r.items()
                                                  if v is not None} for r in rows]}},
                       [(html_href, "text/html")])
    labels = Labels(query, bp)
    alternates = [(json_href, "application/json")]
    return html(render("example.html", base_path=bp, alternates=alternates, title=ex.title,
                       example=ex, rows=rows, variables=variables,
                       show=lambda t: show_term(t, labels),
                       run_href=f"{bp}sparql?query={quote(ex.text)}"), alternates)


def _variables(query: Query, text: str) -> list[str]:
    from .sparql import _PROLOGUE

    return [v.value for v in query(_PROLOGUE + text).variables]


# --- article -----------------------------------------------------------------------------

@router.get("/article", summary="The annotated article")
def article_page(request: Request, span: str | None = None) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    article = load_article(query, labels)
    selected = span if span in article.anchors else None
    alternates = [(f"{bp}article.json", "application/json"),
                  (labels.href(article.iri), "text/turtle")]
    anchors = sorted(article.anchors.values(), key=lambda a: (a.start, -a.end))
    views = [anchor_view(a, article, labels) for a in anchors]
    body = render("article.html", base_path=bp, alternates=alternates,
                  title="The annotated article", article=article, text=render_text(article,
                                                                                  selected),
                  views=views, selected=selected, labels=labels,
                  show=lambda t: show_term(t, labels))
    return html(body, alternates)


@router.get("/article.json", summary="The article's text and its spans as JSON")
def article_json(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    article = load_article(query, labels)
    return as_json({
        "article": article.iri, "text": article.text,
        "spans": [{"id": a.key, "iri": a.iri, "start": a.start, "end": a.end,
                   "exact": a.exact, "paragraph": a.paragraph, "href": f"{bp}article?span={a.key}",
                   "conflict": a.conflict, "notes": a.notes,
                   "mentions": [m.value for m in a.mentions],
                   "facts": [{"fact": f.iri, "label": f.label, "subject": f.subject.value,
                              "predicate": f.predicate.value,
                              "object": _term_json(f.object)} for f in a.facts],
                   "inferred": [f.iri for f in a.inferred],
                   "side_notes": [{"kind": n.kind, "text": n.text, "offset": n.offset}
                                  for n in a.side_notes]}
                  for a in sorted(article.anchors.values(), key=lambda a: a.start)],
    }, [(f"{bp}article", "text/html")])


# --- timeline ----------------------------------------------------------------------------

@router.get("/timeline", summary="Timeline of the dated events")
def timeline_page(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    events, more = timeline.load_events(query, labels)
    alternates = [(f"{bp}timeline.json", "application/json"),
                  (f"{bp}timeline.svg", "image/svg+xml")]
    return html(render("timeline.html", base_path=bp, alternates=alternates, title="Timeline",
                       svg=timeline.render_svg(events, labels), events=sorted(
                           events, key=lambda e: (e.date, e.label)), labels=labels,
                       more=more, limit=timeline.MAX_EVENTS,
                       query_text=timeline.EVENTS_QUERY.strip(),
                       run_href=f"{bp}sparql?query={quote(timeline.EVENTS_QUERY.strip())}"),
                alternates)


@router.get("/timeline.json", summary="The timeline's events as JSON")
def timeline_json(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    events, more = timeline.load_events(query, labels)
    return as_json({"query": timeline.EVENTS_QUERY.strip(), "events": [
        {"resource": e.iri, "property": e.prop, "date": e.date.isoformat(), "label": e.label,
         "kind": e.kind, "href": labels.href(e.iri)} for e in events],
        "more": more, "limit": timeline.MAX_EVENTS},
        [(f"{bp}timeline", "text/html")])


@router.get("/timeline.svg", summary="The timeline as an SVG image")
def timeline_svg(request: Request) -> Response:
    query, bp = page_query(request), base_path(request)
    labels = Labels(query, bp)
    svg = timeline.render_svg(timeline.load_events(query, labels)[0], labels)
    style = (STATIC / "pages.css").read_text(encoding="utf-8")
    doc = str(svg).replace("</title>", f"</title><style>{_svg_style(style)}</style>", 1)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + doc,
                    media_type="image/svg+xml")


def _svg_style(css: str) -> str:
    start = css.find("/* svg */")
    end = css.find("/* end svg */")
    return css[start:end] if start >= 0 < end else ""


# --- graph view --------------------------------------------------------------------------

@router.get("/diagram/{slug:path}", summary="The neighbourhood of a resource as a diagram")
def graph_page(request: Request, slug: str) -> Response:
    query, bp = page_query(request), base_path(request)
    as_json_doc = slug.endswith(".json")
    slug = slug.removesuffix(".json")
    resource = ns.ID + slug
    labels = Labels(query, bp)
    from .entity import entity_exists

    if any(c in slug for c in '<>"{}|^`\\ ') or not entity_exists(query, resource):
        return html(render("error.html", base_path=bp, title="Not found",
                           message=f"Nothing in the graph is called {resource}.",
                           hint="Start from the home page or the article."), [], 404)
    edges = graphview.neighbours(query, resource)
    if as_json_doc:
        return as_json({"resource": resource, "edges": [
            {"direction": e.direction, "property": e.prop, "node": e.node,
             "label": labels.en(e.node)} for e in edges]}, [(f"{bp}diagram/{slug}", "text/html")])
    alternates = [(f"{bp}diagram/{slug}.json", "application/json"),
                  (labels.href(resource), "text/turtle")]
    return html(render("graph.html", base_path=bp, alternates=alternates,
                       title=f"Neighbourhood of {labels.en(resource)}", resource=resource,
                       name=labels.en(resource), svg=graphview.render_svg(resource, edges, labels),
                       edges=edges, labels=labels), alternates)


# --- validation --------------------------------------------------------------------------

_REPORT_TYPES = ["text/html", "text/turtle", "application/ld+json", "application/json"]


@router.get("/validate", summary="Validate RDF against the shapes")
def validate_form(request: Request) -> Response:
    bp = base_path(request)
    alternates = [(f"{bp}validate.json", "application/json")]
    return html(render("validate.html", base_path=bp, alternates=alternates,
                       title="Validate RDF", max_kib=validation.MAX_BYTES // 1024,
                       formats=validation.FORMATS, report=None, error=None, groups=[],
                       submitted=""), alternates)


@router.get("/validate.json", summary="How to use the validation service")
def validate_json(request: Request) -> Response:
    bp = base_path(request)
    return as_json({
        "endpoint": f"{bp}validate", "method": "POST",
        "accepts": ["text/turtle", "application/ld+json", "application/n-triples",
                    "application/trig", "multipart/form-data",
                    "application/x-www-form-urlencoded"],
        "returns": _REPORT_TYPES, "max_bytes": validation.MAX_BYTES,
        "max_triples": validation.MAX_TRIPLES, "max_depth": validation.MAX_DEPTH,
        "max_results": _max_results(request), "shapes": f"{bp}shapes",
        "stored": False}, [(f"{bp}validate", "text/html")])


@router.post("/validate", summary="Validate RDF against the shapes")
async def validate_post(request: Request) -> Response:
    bp = base_path(request)
    ctype = request.headers.get("content-type", "")
    accept = request.headers.get("accept", "")
    want = _choose(accept, browser=ctype.startswith(("multipart/", "application/x-www-form")))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > validation.MAX_BYTES + 64 * 1024:
        return _error(want, 413, f"The request body is larger than "
                      f"{validation.MAX_BYTES // 1024} KiB; validate a smaller file.", bp)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > validation.MAX_BYTES + 64 * 1024:
            return _error(want, 413, f"The request body is larger than "
                          f"{validation.MAX_BYTES // 1024} KiB; validate a smaller file.", bp)
    reply = await _run_validation(request, validation.Job(bytes(body), ctype, want,
                                                          _max_results(request)))
    if reply[0] in ("input", "limit"):
        return _error(want, reply[1], reply[2], bp)
    if reply[0] == "memory":
        return _error(want, 503, "Validation ran out of memory and was stopped; validate a "
                      "smaller graph here, or run `mali-kg validate` locally.", bp)
    headers = {"Cache-Control": "no-store", "Vary": "Accept"}
    if reply[0] == "ok":
        return Response(reply[2], media_type=reply[1], headers=headers)
    _, report, submitted, filename = reply
    body_html = render("validate.html", base_path=bp, title="Validation report",
                       max_kib=validation.MAX_BYTES // 1024, formats=validation.FORMATS,
                       report=report, groups=report.grouped(), error=None,
                       submitted=submitted, filename=filename)
    resp = html(body_html, [])
    resp.headers.update(headers)
    return resp


async def _run_validation(request: Request, job: validation.Job) -> tuple:
    """In the server's validation workers (time and memory limits); a router mounted in
    another app without them validates on a thread."""
    ctx = getattr(request.app.state, "ctx", None)
    if ctx is not None and hasattr(ctx, "validate"):
        return await ctx.validate(job)
    return await run_in_threadpool(validation.run_job, job)


def _max_results(request: Request) -> int:
    ctx = getattr(request.app.state, "ctx", None)
    settings = getattr(ctx, "settings", None)
    return getattr(settings, "max_validation_results", 1000)


def _choose(accept: str, *, browser: bool) -> str:
    """The report type the client prefers; forms default to HTML, tools to Turtle."""
    offers = _REPORT_TYPES if browser else [*_REPORT_TYPES[1:], "text/html"]
    return choose(offers, accept) or offers[0]


def _error(want: str, status: int, message: str, bp: str) -> Response:
    if want == "text/html":
        return html(render("validate.html", base_path=bp, title="Validate RDF",
                           max_kib=validation.MAX_BYTES // 1024, formats=validation.FORMATS,
                           report=None, groups=[], error=message, submitted=""), [], status)
    if want in ("application/json", "application/ld+json"):
        return Response(json.dumps({"error": message}), status_code=status,
                        media_type="application/json")
    return Response(message + "\n", status_code=status, media_type="text/plain")


__all__ = ["router", "page_query", "base_path", "slug_of"]
