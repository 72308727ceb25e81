"""Server-side HTML for resource descriptions and the landing page.

Deliberately small: :func:`render_resource` is the one seam a richer page renderer replaces.
Links to project IRIs point at this server's local paths (``link_for``); the IRIs shown are
the canonical ones from the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

import pyoxigraph as ox

from .. import namespaces as ns

STYLE = "/static/mali-kg.css"


def page(title: str, body: str, *, head: str = "") -> str:
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape(title)}</title><link rel=\"stylesheet\" href=\"{STYLE}\">{head}"
        "</head><body><header><a href=\"/\">mali-kg</a> <a href=\"/article\">Article</a> "
        "<a href=\"/timeline\">Timeline</a> <a href=\"/sparql\">SPARQL</a> "
        "<a href=\"/ontology\">Ontology</a> <a href=\"/validate\">Validate</a></header><main>"
        f"{body}</main></body></html>\n"
    )


def render_resource(
    iri: str,
    triples: Sequence[ox.Triple],
    *,
    labels: dict[str, dict[str, str]],
    link_for: Callable[[str], str],
    alternates: Sequence[tuple[str, str]] = (),
) -> str:
    """An HTML page describing ``iri``: its properties, the links to it, and the rest.

    ``link_for`` maps an IRI to the href to use; ``alternates`` are (href, media type) pairs
    of the other representations.
    """
    node = ox.NamedNode(iri)

    def name(term: ox.NamedNode) -> str:
        found = labels.get(term.value, {})
        return found.get("en") or found.get("") or next(iter(found.values()), "") or \
            ns.curie(term.value)

    def show(term) -> str:
        if isinstance(term, ox.NamedNode):
            return (f"<a href=\"{escape(link_for(term.value))}\" title=\"{escape(term.value)}\">"
                    f"{escape(name(term))}</a>")
        if isinstance(term, ox.Literal):
            lang = f" <small>@{escape(term.language)}</small>" if term.language else ""
            return f"<span class=\"literal\">{escape(term.value)}</span>{lang}"
        if isinstance(term, ox.BlankNode):
            return f"<span class=\"bnode\">_:{escape(term.value)}</span>"
        return escape(str(term))

    def table(rows: list[ox.Triple], cols: tuple[str, ...], pick) -> str:
        if not rows:
            return "<p class=\"empty\">none</p>"
        body = "".join(
            "<tr>" + "".join(f"<td>{show(x)}</td>" for x in pick(t)) + "</tr>" for t in rows)
        head = "".join(f"<th>{c}</th>" for c in cols)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    outgoing = [t for t in triples if t.subject == node]
    incoming = [t for t in triples if t.object == node and t.subject != node]
    context = [t for t in triples if t.subject != node and t.object != node
               and t.predicate.value not in _LABEL_PREDICATES]
    title = name(node)
    alt = " · ".join(f"<a href=\"{escape(h)}\" type=\"{escape(m)}\">{escape(_short(m))}</a>"
                     for h, m in alternates)
    body = (
        f"<h1>{escape(title)}</h1><p class=\"iri\"><code>{escape(iri)}</code></p>"
        f"<p class=\"alternates\">Also as: {alt}</p>"
        "<h2>Properties</h2>"
        + table(outgoing, ("property", "value"), lambda t: (t.predicate, t.object))
        + "<h2>Referenced by</h2>"
        + table(incoming, ("subject", "property"), lambda t: (t.subject, t.predicate))
        + "<h2>Provenance and context</h2>"
        + table(context, ("subject", "property", "value"),
                lambda t: (t.subject, t.predicate, t.object))
    )
    head = "".join(f"<link rel=\"alternate\" type=\"{escape(m)}\" href=\"{escape(h)}\">"
                   for h, m in alternates)
    return page(title, body, head=head)


def render_landing(*, triples: int, links: Sequence[tuple[str, str]]) -> str:
    items = "".join(f"<li><a href=\"{escape(h)}\">{escape(t)}</a></li>" for h, t in links)
    return page("mali-kg", "<h1>mali-kg</h1><p>A knowledge graph of an article on UN Security "
                "Council Resolution 2690 (2023), which ended the MINUSMA mission in Mali "
                f"({triples} triples).</p><ul>{items}</ul>")


_LABEL_PREDICATES = {"http://www.w3.org/2000/01/rdf-schema#label",
                     "http://www.w3.org/2004/02/skos/core#prefLabel"}


def _short(media_type: str) -> str:
    return {"text/turtle": "Turtle", "application/ld+json": "JSON-LD",
            "application/n-triples": "N-Triples", "application/rdf+xml": "RDF/XML",
            "text/html": "HTML"}.get(media_type, media_type)
