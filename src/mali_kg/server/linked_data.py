"""Linked Data: every IRI under https://w3id.org/mali-kg/ dereferences on this server.

``/id/<slug>`` serves the description of a resource (:mod:`.describe`); ``/ontology``,
``/shapes`` and the graph IRIs (``/graph/…``) serve the whole graph they name. A
representation is chosen by extension (``.ttl .jsonld .nt .rdf .html``, and ``.trig .nq`` for
graphs) or by ``Accept``; responses carry ``Vary: Accept``, ``Link: rel="alternate"`` headers
and an ETag. The data keeps its canonical IRIs whatever the host; only HTML links are mapped
to local paths. HTML pages come from the renderer (``ctx.renderer``).

JSON-LD is compacted against the project's context (``/context.jsonld``, published at
``https://w3id.org/mali-kg/context.jsonld``; see :mod:`mali_kg.jsonld`) unless ``Accept``
asks for ``profile="http://www.w3.org/ns/json-ld#expanded"``; the Content-Type names the
profile served, and a compacted document comes with a ``Link`` to the context.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import jsonld
from .. import namespaces as ns
from .. import negotiation as neg
from ..formats import RdfFormat
from . import describe as desc
from .cache import cached_response
from .context import ServerContext, get_ctx
from .responses import error_response

HTML = "text/html"
RESOURCE_FORMATS = (RdfFormat.TURTLE, RdfFormat.JSONLD, RdfFormat.NTRIPLES, RdfFormat.RDFXML)
DOCUMENT_FORMATS = (*RESOURCE_FORMATS, RdfFormat.TRIG, RdfFormat.NQUADS)
DOCUMENTS = {ns.ONTOLOGY: ns.GRAPH_ONTOLOGY, ns.SHAPES: ns.GRAPH_SHAPES}


async def dereference(request: Request) -> Response:
    ctx = get_ctx(request)
    return await ctx.off_loop(serve_path, request, ctx, request.url.path.lstrip("/"))


def serve_path(request: Request, ctx: ServerContext, path: str) -> Response:
    """Serve the project IRI ``BASE + path`` (``path`` may carry a format extension)."""
    accept = request.headers.get("accept")
    path = _strip_prefix(path, ctx.path_prefix)
    if ns.BASE + path == jsonld.CONTEXT_IRI:
        return _context(request)
    stem, dot, ext = path.rpartition(".")
    fixed: str | None = None
    if dot and "/" not in ext and (
            _graph_for(ctx, ns.BASE + stem) is not None or _known(ctx, ns.BASE + stem)):
        if ext not in _EXTENSIONS:
            return _not_found(ctx, ns.BASE + path, accept)
        path, fixed = stem, _EXTENSIONS[ext]
    iri = ns.BASE + path
    graph = _graph_for(ctx, iri)
    if graph is None and not _known(ctx, iri):
        return _not_found(ctx, iri, accept)
    formats = DOCUMENT_FORMATS if graph else RESOURCE_FORMATS
    offers = [f.media_type for f in formats] + [HTML]
    if fixed is None:
        chosen = neg.choose(offers, accept, neg.RDF_ALIASES)
        if chosen is None:
            return error_response(406, f"<{iri}> is available as " + ", ".join(offers) + ".",
                                  accept=accept)
    else:
        chosen = fixed
        if chosen not in offers:
            return _not_found(ctx, ns.BASE + path + "." + ext, accept)

    local = ctx.local_path(iri) or "/" + path
    alternates = [(f"{local}.{_EXT_OF[m]}", m) for m in offers]
    headers = {
        "Vary": "Accept",
        "Link": ", ".join(f'<{h}>; rel="alternate"; type="{m}"' for h, m in alternates),
        "Content-Location": f"{local}.{_EXT_OF[chosen]}",
    }
    if chosen == HTML:
        page = _page(ctx, iri, graph, alternates)
        return cached_response(request, page.encode(), "text/html; charset=utf-8",
                               headers=headers)
    triples = _triples(ctx, iri, graph)
    fmt = RdfFormat.lookup(chosen)
    if fmt is RdfFormat.JSONLD:
        profiles = neg.jsonld_profiles(accept)
        body, form = _jsonld(ctx, iri, triples, jsonld.choose_form(profiles))
        if form == jsonld.COMPACTED:
            headers["Link"] += ", " + jsonld.context_link(ctx.local_path(jsonld.CONTEXT_IRI))
        return cached_response(request, body,
                               neg.content_type(jsonld.media_type(form, profiles)),
                               headers=headers)
    body = _serialise(ctx, iri, graph, fmt, triples)
    return cached_response(request, body, neg.content_type(fmt.media_type), headers=headers)


async def context_document(request: Request) -> Response:
    return _context(request)


def _context(request: Request) -> Response:
    """The project's JSON-LD context (:mod:`mali_kg.jsonld`), published at
    ``https://w3id.org/mali-kg/context.jsonld``."""
    return cached_response(request, jsonld.context_bytes(),
                           neg.content_type(RdfFormat.JSONLD.media_type))


def _page(ctx: ServerContext, iri: str, graph: str | None,
          alternates: list[tuple[str, str]]) -> str:
    """The HTML page of a resource, of the ontology or of another graph, cached. Only a
    graph's page is made from its triples: a resource's page asks the store what it shows
    (a hub's description alone is thousands of triples)."""
    def make() -> str:
        renderer = ctx.renderer
        if graph is None:
            return renderer.render_entity(ctx.store, iri, base_path=ctx.path_prefix,
                                          alternates=alternates)
        if iri == ns.ONTOLOGY:
            return renderer.render_ontology(ctx.store, base_path=ctx.path_prefix,
                                            alternates=alternates)
        triples = _triples(ctx, iri, graph)
        return renderer.render_triples(
            iri, triples, labels=desc.labels(ctx.store, triples),
            link_for=lambda i: ctx.local_path(i) or i, alternates=alternates)

    return ctx.cache.kept(("page", iri), make)


async def not_found(request: Request) -> Response:
    """The last route: a project path that names nothing."""
    ctx = get_ctx(request)
    path = request.url.path.lstrip("/")
    iri = ns.BASE + _strip_prefix(path, ctx.path_prefix)
    stem, dot, ext = iri.rpartition(".")
    if _known(ctx, iri) or iri == jsonld.CONTEXT_IRI or (
            dot and "/" not in ext and _known(ctx, stem)):  # /dataset.ttl
        return serve_path(request, ctx, path)
    return _not_found(ctx, iri, request.headers.get("accept"))


def _triples(ctx: ServerContext, iri: str, graph: str | None) -> list[ox.Triple]:
    return ctx.cache.kept(("triples", iri), lambda: desc.graph_triples(ctx.store, graph)
                          if graph else desc.describe(ctx.store, iri))


def _jsonld(ctx: ServerContext, iri: str, triples: list[ox.Triple],
            form: str) -> tuple[bytes, str]:
    """The JSON-LD document of a resource or graph in ``form``, and the form written."""
    return ctx.cache.kept(("body", iri, RdfFormat.JSONLD, form),
                          lambda: jsonld.write(triples, form))


def _serialise(ctx: ServerContext, iri: str, graph: str | None, fmt: RdfFormat,
               triples: list[ox.Triple]) -> bytes:
    def make() -> bytes:
        prefixes = None if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS) else dict(ns.PREFIXES)
        if fmt.is_dataset:
            g = ox.NamedNode(graph or iri)
            quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
            return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
        return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)

    return ctx.cache.kept(("body", iri, fmt), make)


def _graph_for(ctx: ServerContext, iri: str) -> str | None:
    """The named graph an IRI stands for: a document IRI or a graph name."""
    if iri in DOCUMENTS and DOCUMENTS[iri] in ctx.graph_names:
        return DOCUMENTS[iri]
    return iri if iri in ctx.graph_names else None


def _known(ctx: ServerContext, iri: str) -> bool:
    key = ("exists", iri)
    if key in ctx.cache:
        return True
    try:
        found = desc.exists(ctx.store, iri)
    except ValueError:  # not a valid IRI
        return False
    if found:  # only hits are remembered: misses are whatever clients make up
        ctx.cache[key] = True
    return found


def _strip_prefix(path: str, prefix: str) -> str:
    bare = prefix.strip("/")
    if bare and path.startswith(bare + "/"):
        return path[len(bare) + 1:]
    return path


def _not_found(ctx: ServerContext, iri: str, accept: str | None) -> Response:
    return error_response(
        404, f"Nothing is known about <{iri[:300]}>. Resources live under {ns.ID}<slug>; list "
        "them at /sparql with SELECT DISTINCT ?s WHERE { ?s ?p ?o }, or download the whole "
        "graph at /data/mali-kg.ttl.", accept=accept)


_EXTENSIONS = {f.extension: f.media_type for f in DOCUMENT_FORMATS} | {"html": HTML}
_EXT_OF = {m: e for e, m in _EXTENSIONS.items()}

routes = [
    Route("/context.jsonld", context_document, methods=["GET"]),
    Route("/id/{slug:path}", dereference, methods=["GET"]),
    Route("/ontology", dereference, methods=["GET"]),
    Route("/ontology.{ext}", dereference, methods=["GET"]),
    Route("/shapes", dereference, methods=["GET"]),
    Route("/shapes.{ext}", dereference, methods=["GET"]),
    Route("/graph/{name:path}", dereference, methods=["GET"]),
    Route("/dataset", dereference, methods=["GET"]),
]
# Mounted after every other route, so page routes added later take precedence.
fallback_routes = [Route("/{rest:path}", not_found, methods=["GET"])]
