"""The SPARQL 1.1 Service Description (GET /sparql) and the VoID description
(/.well-known/void), built from the store and the public URL.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .. import namespaces as ns
from .. import negotiation as neg
from ..formats import RdfFormat
from .cache import cached_response
from .context import ServerContext
from .responses import error_response

SD, VOID, FORMATS, RDF, DCT = ns.SD, ns.VOID, ns.FORMATS, ns.RDF, ns.DCT
SD_OFFERS = (RdfFormat.TURTLE, RdfFormat.JSONLD, RdfFormat.RDFXML, RdfFormat.NTRIPLES)
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads",
)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def service_triples(ctx: ServerContext, endpoint: str, base_url: str) -> list[ox.Triple]:
    a = _n(RDF + "type")
    svc = _n(endpoint)
    t = [
        ox.Triple(svc, a, _n(SD + "Service")),
        ox.Triple(svc, _n(SD + "endpoint"), svc),
        ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(svc, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        ox.Triple(svc, _n(SD + "defaultEntailmentRegime"),
                  _n("http://www.w3.org/ns/entailment/Simple")),
    ]
    if ctx.settings.allowed_services:
        t.append(ox.Triple(svc, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    t += [ox.Triple(svc, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in RESULT_FORMAT_IRIS]
    dataset = _n(ns.DATASET)
    t += [
        ox.Triple(svc, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, _n(SD + "Dataset")),
        ox.Triple(dataset, a, _n(VOID + "Dataset")),
    ]
    default = ox.BlankNode("defaultGraph")
    t += [
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, a, _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), ox.Literal(str(ctx.triple_count),
                  datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    for i, g in enumerate(sorted(ctx.graph_names)):
        named, graph = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        count = ctx.graph_sizes.get(g, 0)
        t += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, a, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(g)),
            ox.Triple(named, _n(SD + "graph"), graph),
            ox.Triple(graph, a, _n(SD + "Graph")),
            ox.Triple(graph, _n(VOID + "triples"), ox.Literal(
                str(count), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))),
        ]
    t += void_triples(ctx, endpoint, base_url)
    return list(dict.fromkeys(t))


def void_triples(ctx: ServerContext, endpoint: str, base_url: str) -> list[ox.Triple]:
    """The bundled VoID/DCAT description of the dataset, with its endpoint and dumps where
    this server serves them: one description, one value for each, wherever it is served."""
    def here(term):
        if isinstance(term, ox.NamedNode):
            if term.value == ns.BASE + "sparql":
                return _n(endpoint)
            if term.value.startswith(ns.BASE + "data/"):
                return _n(base_url + term.value[len(ns.BASE):])
        return term

    return [ox.Triple(q.subject, q.predicate, here(q.object)) for q in
            ctx.store.quads_for_pattern(None, None, None, _n(ns.GRAPH_VOID))]


def response(request: Request, ctx: ServerContext, accept: str | None) -> Response:
    chosen = neg.choose([f.media_type for f in SD_OFFERS], accept, neg.RDF_ALIASES)
    if chosen is None:
        return error_response(406, "The service description is available as "
                              + ", ".join(f.media_type for f in SD_OFFERS)
                              + "; send a query in the 'query' parameter to query.",
                              accept=accept)
    fmt = RdfFormat.lookup(chosen)
    try:
        endpoint, base = ctx.endpoint_url(request), ctx.base_url(request)
        triples = service_triples(ctx, endpoint, base)
    except ValueError:
        return error_response(400, "The Host header does not make a valid IRI.", accept=accept)
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=_prefixes(fmt))
    return cached_response(request, body, neg.content_type(fmt.media_type),
                           headers={"Vary": "Accept"})


async def well_known_void(request: Request) -> Response:
    from .context import get_ctx

    ctx = get_ctx(request)
    accept = request.headers.get("accept")
    chosen = neg.choose([f.media_type for f in SD_OFFERS], accept, neg.RDF_ALIASES)
    if chosen is None:
        return error_response(406, "VoID is available as "
                              + ", ".join(f.media_type for f in SD_OFFERS), accept=accept)
    fmt = RdfFormat.lookup(chosen)
    try:
        triples = await ctx.off_loop(void_triples, ctx, ctx.endpoint_url(request),
                                     ctx.base_url(request))
    except ValueError:
        return error_response(400, "The Host header does not make a valid IRI.", accept=accept)
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=_prefixes(fmt))
    return cached_response(request, body, neg.content_type(fmt.media_type),
                           headers={"Vary": "Accept"})


def _prefixes(fmt: RdfFormat) -> dict[str, str] | None:
    if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
        return None
    return {"sd": SD, "void": VOID, "formats": FORMATS, "dct": DCT, **ns.PREFIXES}
