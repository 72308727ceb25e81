"""What every page needs: labels, links and the Jinja environment."""

from __future__ import annotations

import datetime as dt
import threading
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from .. import namespaces as ns
from ..lru import ByteLRU
from ..namespaces import curie
from .sparql import XSD, Query, Term, iri, iris, local_name, local_path, select

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# What a person sees for a few external namespaces' IRIs.
_EXTERNAL = {
    "http://www.wikidata.org/entity/": "Wikidata",
    "https://sws.geonames.org/": "GeoNames",
}


_LOCK = threading.Lock()  # the kept labels are shared by the threads serving pages
_BATCH = 100  # IRIs per look-up


class Labels:
    """The labels (English, French, any) of the IRIs a page shows: the cost grows with what
    the page shows, not with the graph (a page reading every label in the graph took seconds
    at 10^6 triples). :meth:`want` looks up many IRIs in a few queries, before a page shows
    them; any other is looked up when the page first asks for it. Labels are kept for the
    rest of the page, and, over a served store (:func:`~.sparql.served_query`), in its
    bounded cache for later pages."""

    def __init__(self, query: Query, base_path: str = "/"):
        self.base_path = base_path
        self.query = query
        self.by_iri: dict[str, dict[str, str]] = {}
        self.kept: ByteLRU | None = getattr(query, "labels", None)

    def want(self, values) -> None:
        """Look up the labels of ``values`` (IRIs) not known yet, ``_BATCH`` at a time."""
        missing = []
        for v in dict.fromkeys(values):
            if v and v not in self.by_iri and self._kept(v) is None:
                try:
                    iri(v)
                except ValueError:  # not an IRI: no label
                    self.by_iri[v] = {}
                    continue
                missing.append(v)
        for i in range(0, len(missing), _BATCH):
            chunk = missing[i:i + _BATCH]
            found: dict[str, dict[str, str]] = {v: {} for v in chunk}
            for r in select(self.query, f"""SELECT ?s ?l WHERE {{ VALUES ?s {{ {iris(chunk)} }}
                    {{ ?s rdfs:label ?l }} UNION {{ ?s skos:prefLabel ?l }} }}"""):
                if r["l"] is not None and r["s"].value in found:
                    found[r["s"].value].setdefault(r["l"].lang or "", r["l"].value)
            for v, labels in found.items():
                self._keep(v, labels)

    def _kept(self, value: str) -> dict[str, str] | None:
        found = self.by_iri.get(value)
        if found is None and self.kept is not None:
            with _LOCK:
                found = self.kept.get(value)
            if found is not None:
                self.by_iri[value] = found
        return found

    def _keep(self, value: str, labels: dict[str, str]) -> None:
        self.by_iri[value] = labels
        if self.kept is not None:
            cost = 200 + 2 * (len(value) + sum(len(k) + len(v) for k, v in labels.items()))
            with _LOCK:
                self.kept.put(value, labels, cost)

    def _labels(self, value: str) -> dict[str, str]:
        found = self._kept(value)
        if found is None:
            self.want([value])
            found = self.by_iri.get(value, {})
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
