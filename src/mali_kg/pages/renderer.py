"""The one object through which the server renders HTML.

:class:`Renderer` is built where the app is assembled (``mali_kg.server.serving``) and handed
to ``create_app(renderer=…)``; the server's routes reach it as ``ctx.renderer`` and never
import this package. Each method returns the text of one kind of page, made from a template
in ``templates/``; the server adds the status and the headers. The pages router
(:mod:`.routes`) renders its own pages with the same templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pyoxigraph as ox
from markupsafe import Markup

from .common import render
from .entity import render_entity
from .ontology_doc import render_ontology
from .sparql import Query, served_query
from .triples import render_triples


class Renderer:
    """HTML pages for the server: entities, the ontology, graphs, the query editor and the
    landing page. ``source`` is a pyoxigraph Store or a ``query(sparql)`` callable: the
    store the server serves, which nothing writes while it is served, so the labels its
    pages look up are kept from one page to the next (:func:`~.sparql.served_query`)."""

    def render_entity(self, source: ox.Store | Query, iri: str, *, base_path: str,
                      alternates: list[tuple[str, str]]) -> str:
        """The page of a resource (``/id/<slug>``, ``/dataset``)."""
        return render_entity(served_query(source), iri, base_path=base_path,
                             alternates=alternates)

    def render_ontology(self, source: ox.Store | Query, *, base_path: str,
                        alternates: list[tuple[str, str]]) -> str:
        """The ontology's documentation (``/ontology``)."""
        return render_ontology(served_query(source), base_path=base_path,
                               alternates=alternates)

    def render_triples(self, iri: str, triples: Sequence[ox.Triple], *,
                       labels: dict[str, dict[str, str]], link_for: Callable[[str], str],
                       alternates: Sequence[tuple[str, str]]) -> str:
        """A graph without a page of its own as tables of triples (``/shapes``, ``/graph/…``)."""
        return render_triples(iri, triples, labels=labels, link_for=link_for,
                              alternates=alternates)

    def render_query_editor(self, *, config: dict) -> str:
        """The query editor (``/sparql``); ``config`` (endpoint, examples, prefixes, …) goes
        to its script as a JSON data block."""
        # A JSON data block is not executed; "</" is escaped so the text cannot end the element.
        data = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
        return render("query.html", title="SPARQL query · mali-kg", config_json=Markup(data),
                      endpoint=config["endpoint"])

    def render_landing(self, *, triples: int) -> str:
        """The landing page of an app served without the pages router's home page."""
        return render("landing.html", title="mali-kg", triples=triples)
