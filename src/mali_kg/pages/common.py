"""What every page needs: labels, links and the Jinja environment."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from .. import namespaces as ns
from ..namespaces import curie
from .sparql import XSD, Query, Term, iri, local_name, local_path, select

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# What a person sees for a few external namespaces' IRIs.
_EXTERNAL = {
    "http://www.wikidata.org/entity/": "Wikidata",
    "https://sws.geonames.org/": "GeoNames",
}


class Labels:
    """The labels (English, French, any) of the IRIs a page shows, looked up when the page
    first asks for one and kept for the rest of the page: the cost grows with what the page
    shows, not with the graph (a page reading every label in the graph took seconds at 10^6
    triples)."""

    def __init__(self, query: Query, base_path: str = "/"):
        self.base_path = base_path
        self.query = query
        self.by_iri: dict[str, dict[str, str]] = {}

    def _labels(self, value: str) -> dict[str, str]:
        found = self.by_iri.get(value)
        if found is None:
            found = self.by_iri[value] = {}
            try:
                node = iri(value)
            except ValueError:  # not an IRI: no label
                return found
            for r in select(self.query, f"SELECT ?l WHERE {{ {{ {node} rdfs:label ?l }} UNION "
                            f"{{ {node} skos:prefLabel ?l }} }}"):
                if r["l"] is not None:
                    found.setdefault(r["l"].lang or "", r["l"].value)
        return found

    def en(self, value: str) -> str:
        found = self._labels(value) if value else {}
        return found.get("en") or found.get("") or next(iter(found.values()), "") \
            or external_name(value) or curie(value) if value else ""

    def fr(self, value: str) -> str | None:
        return self._labels(value).get("fr") if value else None

    def href(self, value: str) -> str:
        return local_path(value, self.base_path)


def external_name(value: str) -> str | None:
    for base, name in _EXTERNAL.items():
        if value.startswith(base):
            return f"{name} {value[len(base):].strip('/')}"
    return None


def format_date(value: str) -> str:
    """``2023-06-30`` → ``30 June 2023``."""
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day} {d.strftime('%B')} {d.year}"


def show_literal(t: Term) -> Markup:
    if t.datatype == XSD + "date":
        return Markup('<time datetime="{0}">{1}</time>').format(t.value, format_date(t.value))
    if t.datatype == XSD + "boolean":
        return Markup("yes") if t.value in ("true", "1") else Markup("no")
    if t.lang and t.lang != "en":
        return Markup('<span lang="{0}">{1}</span> <small class="lang">({0})</small>').format(
            t.lang, t.value)
    return Markup("{0}").format(t.value)


def show_term(t: Term | None, labels: Labels) -> Markup:
    """A term as HTML: a link with its label for an IRI, a formatted literal otherwise."""
    if t is None:
        return Markup("")
    if t.is_iri:
        name = labels.en(t.value)
        fr = labels.fr(t.value)
        href = labels.href(t.value)
        external = not href.startswith(labels.base_path) or href == t.value
        attrs = Markup(' rel="external"') if external else Markup("")
        title = t.value + (f" — {fr}" if fr and fr != name else "")
        return Markup('<a href="{0}" title="{1}"{2}>{3}</a>').format(href, title, attrs, name)
    if t.kind == "bnode":
        return Markup("<span class=bnode>(blank node)</span>")
    return show_literal(t)


def alternate_links(alternates: list[tuple[str, str]]) -> str:
    """The ``Link:`` header value advertising a page's other representations."""
    return ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media in alternates)


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    env.filters["curie"] = curie
    env.filters["local_name"] = local_name
    env.globals["ns"] = ns
    env.globals["asset_version"] = _asset_version()
    return env


def _asset_version() -> str:
    stamp = max((p.stat().st_mtime_ns for p in STATIC.iterdir()), default=0)
    return format(stamp % 0xFFFFFF, "x")


def render(template: str, **context) -> str:
    context.setdefault("base_path", "/")
    context.setdefault("alternates", [])
    return environment().get_template(template).render(**context)


def html_escape(text: str) -> Markup:
    return escape(text)
