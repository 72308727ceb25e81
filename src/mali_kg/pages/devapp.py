"""A small app serving only the pages, for trying them without the full server.

``uvicorn --factory mali_kg.pages.devapp:create_app`` serves the pages over the bundled
graphs, with ``/id/<slug>`` and ``/ontology`` as HTML. The real server
(:mod:`mali_kg.server`) mounts :data:`mali_kg.pages.router` itself and adds the SPARQL
endpoint, content negotiation and dumps.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from .. import namespaces as ns
from .entity import entity_exists, render_entity
from .ontology_doc import render_ontology
from .routes import base_path, html, page_query, router


def create_app() -> FastAPI:
    app = FastAPI(title="mali-kg pages", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)

    @app.get("/id/{slug:path}", response_class=HTMLResponse)
    def entity(request: Request, slug: str) -> Response:
        resource = ns.ID + slug
        query = page_query(request)
        if not entity_exists(query, resource):
            return Response(f"Not found: {resource}\n", status_code=404,
                            media_type="text/plain")
        bp = base_path(request)
        alternates = [(f"{bp}id/{slug}", "text/turtle")]
        return html(render_entity(query, resource, base_path=bp, alternates=alternates),
                    alternates)

    @app.get("/ontology", response_class=HTMLResponse)
    def ontology(request: Request) -> Response:
        bp = base_path(request)
        alternates = [(f"{bp}ontology", "text/turtle")]
        return html(render_ontology(page_query(request), base_path=bp,
                                    alternates=alternates), alternates)

    return app
