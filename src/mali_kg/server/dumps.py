"""Downloads of the whole graph: ``/data/mali-kg.{ttl,nt,nq,trig,jsonld,rdf}``.

Triple formats carry the union of all graphs; TriG and N-Quads keep the named graphs (data,
ontology, shapes, VoID). The ontology and the shapes alone are at ``/ontology.<ext>`` and
``/shapes.<ext>`` (see :mod:`.linked_data`). Bodies are built once and served with a strong
ETag (content hash), ``Cache-Control`` and 304 on ``If-None-Match``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..formats import RdfFormat
from ..store import dump
from .cache import cached_response, etag_for
from .context import get_ctx
from .negotiation import content_type
from .responses import error_response

DUMP_NAME = "mali-kg"


async def download(request: Request) -> Response:
    ctx = get_ctx(request)
    ext = request.path_params["ext"]
    fmt = next((f for f in RdfFormat if f.extension == ext), None)
    if fmt is None:
        names = ", ".join(f"{DUMP_NAME}.{f.extension}" for f in RdfFormat)
        return error_response(404, f"No dump named {DUMP_NAME}.{ext[:20]}; the downloads are "
                              f"{names} under /data/.", accept=request.headers.get("accept"))
    key = ("dump", fmt)
    if key not in ctx.cache:
        body = dump(ctx.store, fmt)
        ctx.cache[key] = (body, etag_for(body))
    body, tag = ctx.cache[key]
    return cached_response(
        request, body, content_type(fmt.media_type), etag=tag,
        headers={"Content-Disposition": f'inline; filename="{DUMP_NAME}.{fmt.extension}"'})


routes = [Route(f"/data/{DUMP_NAME}.{{ext}}", download, methods=["GET"])]
