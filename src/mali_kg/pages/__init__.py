"""Human-readable pages of the knowledge graph: home, annotated article, timeline, graph view,
entity and ontology pages, and the validation page.

``router`` is a FastAPI ``APIRouter`` that mounts into any app; :func:`render_entity` and
:func:`render_ontology` are the renderers the server's content negotiation calls for
``/id/<slug>`` and ``/ontology`` as HTML. Every page reads the graph through a
``query(sparql) -> results`` callable (see :mod:`mali_kg.pages.sparql`).
"""

from __future__ import annotations

from .entity import entity_exists, render_entity
from .ontology_doc import render_ontology
from .routes import router

__all__ = ["entity_exists", "render_entity", "render_ontology", "router"]
