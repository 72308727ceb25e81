"""Human-readable pages of the knowledge graph: the one HTML layer, Jinja templates in
``templates/``.

``router`` is a FastAPI ``APIRouter`` that mounts into any app: home, annotated article,
timeline, graph view, examples and the validation page. :class:`Renderer` renders the pages
the server serves itself (entity pages, the ontology, graph descriptions, the query editor,
the landing page); the app is given one and its routes call it. Every page reads the graph
through a ``query(sparql) -> results`` callable (see :mod:`mali_kg.pages.sparql`).
"""

from __future__ import annotations

from .renderer import Renderer
from .routes import router

__all__ = ["Renderer", "router"]
