"""The timeline: every dated thing in the data graph, drawn as SVG on the server.

Time runs down the page, so labels stay horizontal and readable at phone width. Dates far
apart (2013 and 2023) go in separate panels with a break between them; events on the same
day are stacked, each label pushed down just enough not to overlap the one above.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .. import namespaces as ns
from ..namespaces import curie
from .common import _BATCH, Labels, format_date
from .sparql import Query, iris, select

MK = ns.MK
# The properties whose values are dates (xsd:date, as the shapes require). Naming them lets
# the engine read them from its index instead of every triple of the graph; a test checks
# that every date-valued property of the bundled graph is here.
DATE_VALUED = (MK + "date", MK + "startDate", MK + "endDate", MK + "deadline",
               MK + "establishedOn", MK + "claimedValue")
_DATED = f"""GRAPH <{ns.GRAPH_DATA}> {{
    VALUES ?p {{ {" ".join(f"<{p}>" for p in DATE_VALUED)} }}
    ?s ?p ?date .
    FILTER(DATATYPE(?date) = xsd:date)"""

# Every (resource, property, date) of the data graph that is not a reified fact's copy.
EVENTS_QUERY = f"""
SELECT DISTINCT ?s ?p ?date WHERE {{
  {_DATED}
    FILTER NOT EXISTS {{ ?s a mk:Fact }}
    FILTER NOT EXISTS {{ ?s a rdf:Statement }}
  }}
}} ORDER BY ?date ?s ?p"""

# Events shown at most: the earliest, in the order of EVENTS_QUERY; the page links to the
# query for the rest.
MAX_EVENTS = 200

# How a (type of thing, property) reads on the timeline.
_VERBS = {
    MK + "establishedOn": "established",
    MK + "startDate": "begins",
    MK + "endDate": "ends",
    MK + "deadline": "deadline",
    MK + "claimedValue": "claimed date",
}

GAP_DAYS = 730  # a longer gap between consecutive dates breaks the axis


@dataclass
class Event:
    iri: str
    prop: str
    date: dt.date
    label: str
    verb: str
    kind: str  # "event", "claim", "conflict", "period"
    detail: str = ""


def load_events(query: Query, labels: Labels, *,
                limit: int = MAX_EVENTS) -> tuple[list[Event], bool]:
    """The first ``limit`` events of :data:`EVENTS_QUERY`, and whether there are more. The
    dates are read first, ordered by the engine (dates only: cheap to compare), so that only
    the rows up to the last date shown are read and put in order here."""
    cut = select(query, f"SELECT ?date WHERE {{ {_DATED} }} }} ORDER BY ?date "
                        f"OFFSET {limit} LIMIT 1")
    bound = f"FILTER(?date <= {_date_literal(cut[0]['date'].value)})" if cut else ""
    rows = {(r["s"].value, r["p"].value, r["date"].value): r
            for r in select(query, f"SELECT ?s ?p ?date WHERE {{ {_DATED} {bound} }} }}")}
    ordered = [rows[k] for k in sorted(rows, key=lambda k: (k[2], k[0], k[1]))][:limit]
    subjects = list(dict.fromkeys(r["s"].value for r in ordered))
    types = _types(query, subjects)
    ordered = [r for r in ordered
               if not types.get(r["s"].value, set()) & {MK + "Fact", ns.RDF + "Statement"}]
    claim_iris = [s for s in subjects if MK + "Claim" in types.get(s, set())]
    claims = {r["c"].value: r for r in select(query, f"""
        SELECT ?c ?subject ?prop ?by WHERE {{ VALUES ?c {{ {iris(claim_iris)} }}
          OPTIONAL {{ ?c mk:claimSubject ?subject }} OPTIONAL {{ ?c mk:claimProperty ?prop }}
          OPTIONAL {{ ?c mk:accordingTo ?by }} }}""")} if claim_iris else {}
    conflicting = {r["c"].value for r in select(query, f"""
        SELECT DISTINCT ?c WHERE {{ VALUES ?c {{ {iris(claim_iris)} }}
          ?c mk:conflictsWith|^mk:conflictsWith ?d }}""")} if claim_iris else set()
    by = [c["by"].value for c in claims.values() if c["by"] and c["by"].is_iri]
    articles = {s for s, t in _types(query, by).items() if MK + "Article" in t}
    labels.want([*subjects, *(r["p"].value for r in ordered), *by,
                 *(c[k].value for c in claims.values() for k in ("subject", "prop")
                   if c[k] is not None)])
    events = []
    for r in ordered:
        s, p, value = r["s"].value, r["p"].value, r["date"].value
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            continue
        label = labels.en(s)
        verb = _VERBS.get(p, "")
        kind = "event"
        detail = ""
        if s in claims:
            c = claims[s]
            kind = "conflict" if s in conflicting else "claim"
            what = labels.en(c["prop"].value) if c["prop"] else "value"
            subject = labels.en(c["subject"].value) if c["subject"] else ""
            by = labels.en(c["by"].value) if c["by"] else "someone"
            if c["by"] and c["by"].value in articles:
                by = "the article"
            verb = f"{subject} {what}" if subject else what
            detail = f"according to {by}"
            label = f"{subject}: {what} — according to {by}" if subject else label
        elif MK + "Period" in types.get(s, set()):
            kind = "period"
        elif not verb:
            verb = labels.en(p) if p != MK + "date" else ""
        events.append(Event(s, p, date, label, verb, kind, detail))
    return events, bool(cut)


def _date_literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"^^xsd:date'


def _types(query: Query, values: list[str]) -> dict[str, set[str]]:
    """The types of ``values`` (IRIs), ``_BATCH`` at a time."""
    out: dict[str, set[str]] = {}
    values = list(dict.fromkeys(values))
    for i in range(0, len(values), _BATCH):
        chunk = iris(values[i:i + _BATCH])
        for r in select(query, f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {chunk} }} ?s a ?t }}"):
            out.setdefault(r["s"].value, set()).add(r["t"].value)
    return out


def panels(events: list[Event]) -> list[list[Event]]:
    """Consecutive events split wherever two dates are more than ``GAP_DAYS`` apart."""
    out: list[list[Event]] = []
    for e in sorted(events, key=lambda e: (e.date, e.label)):
        if out and (e.date - out[-1][-1].date).days <= GAP_DAYS:
            out[-1].append(e)
        else:
            out.append([e])
    return out


def render_svg(events: list[Event], labels: Labels, *, width: int = 720) -> Markup:
    """The timeline as an inline SVG document, each event a link to its page."""
    if not events:
        return Markup('<p class="empty">The graph holds no dated events.</p>')
    axis_x, line_h, pad = 150, 22, 18
    y = 40
    parts: list[str] = []
    row_y: list[float] = []
    period_bars: list[str] = []
    for i, panel in enumerate(panels(events)):
        first, last = panel[0].date, panel[-1].date
        span_days = max((last - first).days, 1)
        # Scale: a few pixels a day, but at least one line per event.
        scale = max(line_h * len(panel) / span_days * 0.6, 0.9) if span_days > 1 else 0
        top = y
        positions: dict[dt.date, float] = {}
        prev_label_y = top - line_h
        for e in panel:
            point = top + (e.date - first).days * scale
            positions.setdefault(e.date, point)
            label_y = max(point, prev_label_y + line_h)
            prev_label_y = label_y
            row_y.append(label_y)
            parts.append(_event_svg(e, axis_x, positions[e.date], label_y, labels))
        bottom = prev_label_y + pad
        year = first.year if first.year == last.year else f"{first.year}–{last.year}"
        parts.insert(0, (
            f'<g class="panel"><text class="year" x="{axis_x - 14}" y="{top - 18}" '
            f'text-anchor="end">{year}</text>'
            f'<line class="axis" x1="{axis_x}" y1="{top - pad}" x2="{axis_x}" y2="{bottom}"/>'
            f'</g>'))
        # Periods: a bar beside the axis from start to end.
        for e in panel:
            if e.prop == MK + "startDate":
                end = next((f for f in panel if f.iri == e.iri and f.prop == MK + "endDate"),
                           None)
                if end:
                    y1, y2 = positions[e.date], positions[end.date]
                    period_bars.append(
                        f'<a href="{_esc(labels.href(e.iri))}"><rect class="period-bar" '
                        f'x="{axis_x - 9}" y="{y1:.1f}" width="6" height="{max(y2 - y1, 4):.1f}"'
                        f' rx="3"><title>{_esc(e.label)}: {format_date(e.date.isoformat())} – '
                        f'{format_date(end.date.isoformat())}</title></rect></a>')
        y = bottom + 46
        if i < len(panels(events)) - 1:
            # The break in the axis: two slanted strokes.
            parts.append(
                f'<g class="break" aria-hidden="true"><path d="M{axis_x - 10} {bottom + 8} '
                f'l20 -6 M{axis_x - 10} {bottom + 16} l20 -6"/></g>'
                f'<text class="gap" x="{axis_x + 18}" y="{bottom + 18}">'
                f'… {(panels(events)[i + 1][0].date - last).days // 365} years later</text>')
    height = y - 20
    title = "Timeline of the events in the graph"
    desc = "; ".join(f"{format_date(e.date.isoformat())}: {e.label} {e.verb}".strip()
                     for e in sorted(events, key=lambda e: e.date))
    svg = (
        # A group, not an image: the events inside are links a keyboard reaches.
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'aria-labelledby="tl-title" aria-describedby="tl-desc" data-events="{len(events)}">'
        f'<title id="tl-title">{title}</title><desc id="tl-desc">{_esc(desc)}</desc>'
        + "".join(period_bars) + "".join(parts) + "</svg>")
    return Markup(svg)


def _event_svg(e: Event, axis_x: int, point_y: float, label_y: float, labels: Labels) -> str:
    date = format_date(e.date.isoformat())
    text = e.label if e.kind in ("claim", "conflict") else \
        (f"{e.label} — {e.verb}" if e.verb else e.label)
    marker = {"conflict": "◆ ", "claim": "◇ "}.get(e.kind, "")
    title = f"{date}: {text}" + (" (conflicting claim)" if e.kind == "conflict" else "")
    return (
        f'<a class="event {e.kind}" href="{_esc(labels.href(e.iri))}" '
        f'data-iri="{_esc(e.iri)}" data-property="{_esc(curie(e.prop))}" '
        f'data-date="{e.date.isoformat()}"><title>{_esc(title)}</title>'
        f'<line class="leader" x1="{axis_x}" y1="{point_y:.1f}" x2="{axis_x + 14}" '
        f'y2="{label_y:.1f}"/>'
        f'<circle cx="{axis_x}" cy="{point_y:.1f}" r="5"/>'
        f'<text class="date" x="{axis_x - 14}" y="{label_y + 4:.1f}" text-anchor="end">'
        f'{_esc(_short_date(e.date))}</text>'
        f'<text class="label" x="{axis_x + 18}" y="{label_y + 4:.1f}">{_esc(marker + text)}'
        f'</text></a>')


def _short_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}"


def _esc(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
