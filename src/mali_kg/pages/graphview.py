"""The neighbourhood of a resource as a diagram: server-side SVG, no library.

The resource sits in the middle; the resources it links to and those linking to it sit on a
circle around it, each a link to its own page. Structure (reified facts, text anchors,
selectors) is left out: the entity page shows it as evidence instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from .. import namespaces as ns
from .common import Labels
from .sparql import Query, iri, select

MAX_NODES = 24
# Edges read at most: a hub has thousands; the diagram shows MAX_NODES neighbours.
MAX_EDGES = 200

NEIGHBOURS_QUERY = """
SELECT DISTINCT ?dir ?p ?n WHERE {{
  {{ {s} ?p ?n . BIND("out" AS ?dir) }} UNION {{ ?n ?p {s} . BIND("in" AS ?dir) }}
  FILTER(isIRI(?n) && ?n != {s})
  FILTER(?p NOT IN (rdf:type, rdf:subject, rdf:object, rdf:predicate, mk:statedIn,
                    mk:inferredFrom, mk:mentions, oa:hasSource, oa:hasSelector, owl:sameAs,
                    rdfs:isDefinedBy, prov:wasDerivedFrom, mk:basis, mk:dateBasis))
  FILTER NOT EXISTS {{ ?n a mk:Fact }}
  FILTER NOT EXISTS {{ ?n a mk:Anchor }}
  FILTER NOT EXISTS {{ ?n a owl:Class }}
  FILTER NOT EXISTS {{ ?n a owl:Ontology }}
  FILTER(STRSTARTS(STR(?n), "{base}"))
}}
"""


@dataclass
class Edge:
    direction: str  # "out" or "in"
    prop: str
    node: str


def neighbours(query: Query, resource: str, limit: int = MAX_EDGES) -> list[Edge]:
    """The edges between ``resource`` and its neighbours, at most ``limit`` of them, ordered
    by direction, property and neighbour (here: an order by IRI in the query would read every
    edge of a hub)."""
    rows = select(query, NEIGHBOURS_QUERY.format(s=iri(resource), base=ns.ID)
                  + f"LIMIT {limit}")
    edges = [Edge(r["dir"].value, r["p"].value, r["n"].value) for r in rows]
    return sorted(edges, key=lambda e: (e.direction, e.prop, e.node))


def render_svg(resource: str, edges: list[Edge], labels: Labels, *, size: int = 640) -> Markup:
    """A radial diagram; edges to the same neighbour are merged into one line."""
    nodes: dict[str, list[Edge]] = {}
    for e in edges:
        nodes.setdefault(e.node, []).append(e)
    shown = list(nodes.items())[:MAX_NODES]
    labels.want([resource, *(n for n, _ in shown), *(e.prop for e in edges)])
    width, height = size * 1.4, size
    cx, cy = width / 2, height / 2
    rx, ry = (width / 2 - 200, height / 2 - 60) if len(shown) > 6 else (180, 150)
    out: list[str] = []
    centre_label = labels.en(resource)
    for i, (node, node_edges) in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / max(len(shown), 1)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        props = ", ".join(dict.fromkeys(
            ("← " if e.direction == "in" else "") + labels.en(e.prop) for e in node_edges))
        name = labels.en(node)
        anchor = "start" if math.cos(angle) > 0.1 else "end" if math.cos(angle) < -0.1 \
            else "middle"
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        dy = 20 if math.sin(angle) > 0 and anchor == "middle" else \
            -12 if anchor == "middle" else 4
        # Edge labels sit two thirds of the way out, where the lines are far apart.
        mx, my = cx + (x - cx) * 0.66, cy + (y - cy) * 0.66
        direction = "in" if all(e.direction == "in" for e in node_edges) else "out"
        out.append(
            f'<g class="edge {direction}"><line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" '
            f'y2="{y:.1f}"/><text class="prop" x="{mx:.1f}" y="{my - 3:.1f}" '
            f'text-anchor="middle">{_esc(_clip(props, 26))}</text></g>')
        out.append(
            f'<a class="node" href="{_esc(labels.href(node))}"><title>{_esc(name)} '
            f'({_esc(props)})</title><circle cx="{x:.1f}" cy="{y:.1f}" r="7"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
            f'{_esc(_clip(name, 26))}</text></a>')
    more = len(nodes) - len(shown)
    # With MAX_EDGES edges read, there may be more neighbours than were counted.
    cut = len(edges) >= MAX_EDGES
    count = "" if cut and more <= 0 else f"at least {more} " if cut else f"{more} "
    note = (f'<text class="more" x="{width - 10}" y="{height - 10}" text-anchor="end">'
            f'and {count}more</text>') if more > 0 or cut else ""
    title = f"Neighbourhood of {centre_label}"
    desc = "; ".join(f"{labels.en(n)}" for n, _ in shown) or "no linked resources"
    return Markup(
        # A group, not an image: the resources inside are links a keyboard reaches.
        f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'viewBox="0 0 {width:.0f} {height}" width="100%" aria-labelledby="g-title" '
        f'aria-describedby="g-desc" '
        f'data-nodes="{len(shown)}"><title id="g-title">{_esc(title)}</title>'
        f'<desc id="g-desc">Linked resources: {_esc(desc)}</desc>'
        + "".join(o for o in out if 'class="edge' in o)
        + "".join(o for o in out if 'class="node' in o)
        + f'<a class="node centre" href="{_esc(labels.href(resource))}"><circle cx="{cx}" '
        f'cy="{cy}" r="11"/><text x="{cx}" y="{cy + 28}" text-anchor="middle">'
        f'{_esc(_clip(centre_label, 34))}</text></a>{note}</svg>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _esc(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
