"""A resource or graph as three tables of triples: what it says, what links to it, and the
rest. The HTML page of the graphs that have no page of their own (``/shapes``, ``/graph/…``).

The caller gives the triples, the labels to show for IRIs (``{iri: {lang: label}}``) and
``link_for``, which maps an IRI to the href to use; the IRIs shown are the canonical ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyoxigraph as ox
from markupsafe import Markup

from ..namespaces import curie
from .common import render

_LABEL_PREDICATES = {"http://www.w3.org/2000/01/rdf-schema#label",
                     "http://www.w3.org/2004/02/skos/core#prefLabel"}
_MEDIA_NAMES = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD",
                "application/n-triples": "N-Triples", "application/rdf+xml": "RDF/XML",
                "text/html": "HTML"}


def render_triples(iri: str, triples: Sequence[ox.Triple], *,
                   labels: dict[str, dict[str, str]], link_for: Callable[[str], str],
                   alternates: Sequence[tuple[str, str]] = ()) -> str:
    """The page of ``iri``; ``alternates`` are (href, media type) pairs of its other
    representations."""
    node = ox.NamedNode(iri)

    def name(term: ox.NamedNode) -> str:
        found = labels.get(term.value, {})
        return found.get("en") or found.get("") or next(iter(found.values()), "") or \
            curie(term.value)

    def show(term) -> Markup:
        if isinstance(term, ox.NamedNode):
            return Markup('<a href="{0}" title="{1}">{2}</a>').format(
                link_for(term.value), term.value, name(term))
        if isinstance(term, ox.Literal):
            lang = Markup(" <small>@{0}</small>").format(term.language) if term.language \
                else ""
            return Markup('<span class="literal">{0}</span>{1}').format(term.value, lang)
        if isinstance(term, ox.BlankNode):
            return Markup('<span class="bnode">_:{0}</span>').format(term.value)
        return Markup("{0}").format(str(term))

    outgoing = [t for t in triples if t.subject == node]
    incoming = [t for t in triples if t.object == node and t.subject != node]
    context = [t for t in triples if t.subject != node and t.object != node
               and t.predicate.value not in _LABEL_PREDICATES]
    return render(
        "triples.html", title=name(node), iri=iri, alternates=list(alternates),
        also_as=[(h, m, _MEDIA_NAMES.get(m, m)) for h, m in alternates],
        properties=[(show(t.predicate), show(t.object)) for t in outgoing],
        referenced_by=[(show(t.subject), show(t.predicate)) for t in incoming],
        context=[(show(t.subject), show(t.predicate), show(t.object)) for t in context])
