"""Downloads of the whole graph: ``/data/mali-kg.{ttl,nt,nq,trig,jsonld,rdf}``.

Triple formats carry the union of all graphs; TriG and N-Quads keep the named graphs (data,
ontology, shapes, VoID). The ontology and the shapes alone are at ``/ontology.<ext>`` and
``/shapes.<ext>`` (see :mod:`.linked_data`). Bodies are built once and served with a strong
ETag (content hash), ``Cache-Control`` and 304 on ``If-None-Match``. The JSON-LD dump is
compacted against the project's context (:mod:`mali_kg.jsonld`), or expanded when ``Accept``
asks for that profile.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import jsonld
from ..formats import RdfFormat
from ..negotiation import content_type, jsonld_profiles
from ..store import dump, dump_jsonld
from .cache import cached_response, etag_for
from .context import ServerContext, get_ctx
from .responses import error_response

DUMP_NAME = "mali-kg"


async def download(request: Request) -> Response:
    ctx = get_ctx(request)
    return await ctx.off_loop(_download, request, ctx)


def _download(request: Request, ctx: ServerContext) -> Response:
    ext = request.path_params["ext"]
    fmt = next((f for f in RdfFormat if f.extension == ext), None)
    if fmt is None:
        names = ", ".join(f"{DUMP_NAME}.{f.extension}" for f in RdfFormat)
        return error_response(404, f"No dump named {DUMP_NAME}.{ext[:20]}; the downloads are "
                              f"{names} under /data/.", accept=request.headers.get("accept"))
    headers = {"Content-Disposition": f'inline; filename="{DUMP_NAME}.{fmt.extension}"'}
    if fmt is RdfFormat.JSONLD:
        return _jsonld(request, ctx, headers)
    def make() -> tuple[bytes, str]:
        body = dump(ctx.store, fmt)
        return body, etag_for(body)

    body, tag = ctx.cache.kept(("dump", fmt), make)
    return cached_response(request, body, content_type(fmt.media_type), etag=tag,
                           headers=headers)


def _jsonld(request: Request, ctx: ServerContext, headers: dict[str, str]) -> Response:
    """The JSON-LD dump: compacted against the project's context unless the client's
    ``Accept`` asks for ``profile="http://www.w3.org/ns/json-ld#expanded"``."""
    profiles = jsonld_profiles(request.headers.get("accept"))
    asked = jsonld.choose_form(profiles)

    def make() -> tuple[bytes, str, str]:
        body, form = dump_jsonld(ctx.store, form=asked)
        return body, etag_for(body), form

    body, tag, form = ctx.cache.kept(("dump", RdfFormat.JSONLD, asked), make)
    headers = {**headers, "Vary": "Accept"}
    if form == jsonld.COMPACTED:
        headers["Link"] = jsonld.context_link(ctx.local_path(jsonld.CONTEXT_IRI))
    return cached_response(request, body, content_type(jsonld.media_type(form, profiles)),
                           etag=tag, headers=headers)


routes = [Route(f"/data/{DUMP_NAME}.{{ext}}", download, methods=["GET"])]
