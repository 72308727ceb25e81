"""Entity pages: one resource, its names, facts with the words that support them, the
resources linking to it, the claims about it side by side, and its neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup

from .. import namespaces as ns
from . import graphview
from .article import anchor_key, load_claims
from .common import Labels, render, show_term
from .sparql import (
    OWL,
    RDF,
    RDFS,
    SKOS,
    Query,
    Term,
    as_query,
    iri,
    iris,
    select,
    slug_of,
    term_order,
)

MK, OA, PROV = ns.MK, ns.OA, ns.PROV

# Rows each list of the page shows at most; a longer list links to its query. A hub (the
# Security Council, in a graph of many articles) has thousands of links and mentions.
MAX_VALUES = 200  # values of the resource's properties
MAX_FACTS = 200  # reified facts about it (evidence)
MAX_INCOMING = 200  # resources linking to it
MAX_MENTIONS = 100  # spans naming it
MAX_CLAIMS = 50  # claims about it

# Shown in the page header, not in the table of facts.
_HEADER = {RDF + "type", OWL + "sameAs", SKOS + "definition", RDFS + "comment", SKOS + "note"}
# Structure that the evidence column shows instead.
_INCOMING_SKIP = {RDF + "subject", RDF + "object", MK + "statedIn", MK + "inferredFrom",
                  MK + "mentions", OA + "hasSource", RDF + "type", MK + "claimSubject"}


@dataclass
class Evidence:
    fact: str
    basis: str | None = None
    note: str | None = None
    spans: list[tuple[str, str]] = field(default_factory=list)  # (key, exact words)
    sources: list[str] = field(default_factory=list)
    inferred_from: list[Term] = field(default_factory=list)


@dataclass
class Row:
    value: Markup
    evidence: list[Evidence]
    lang: str | None = None


def render_entity(source, resource: str, *, base_path: str = "/",
                  alternates: list[tuple[str, str]] | None = None) -> str:
    """The HTML page of one resource. ``source`` is a pyoxigraph Store or a query callable.

    ``alternates`` are (href, media type) pairs of the resource's other representations;
    by default its own path in Turtle, JSON-LD and N-Triples (served by content negotiation).
    """
    query = as_query(source)
    labels = Labels(query, base_path)
    node = iri(resource)
    href = labels.href(resource)
    if alternates is None:
        alternates = [(href, "text/turtle"), (href, "application/ld+json"),
                      (href, "application/n-triples")]

    # Every list on the page is in an order made here (term_order) or given by an ORDER BY
    # that every engine reads alike: an engine returns rows in an order of its own, orders
    # literals of different languages as it likes, and Virtuoso refuses to sort by a long
    # text (decision 18).
    types = sorted((r["t"] for r in select(query, f"SELECT DISTINCT ?t WHERE {{ {node} a ?t }}")),
                   key=term_order)
    type_set = {t.value for t in types}
    described = sorted(select(query, f"""
        SELECT ?p ?o WHERE {{ {node} ?p ?o
          FILTER(?p IN (skos:definition, rdfs:comment, skos:note, skos:altLabel)) }}"""),
                       key=lambda r: (r["p"].value, term_order(r["o"])))
    descriptions = [r["o"] for r in described if r["p"].value != SKOS + "altLabel"]
    alt_labels = [r["o"] for r in described if r["p"].value == SKOS + "altLabel"]
    external = [r["o"].value for r in select(query, f"""
        SELECT ?o WHERE {{ {node} owl:sameAs ?o }} ORDER BY ?o""")]

    evidence = _evidence(query, node)
    groups: dict[str, list[Row]] = {}
    article_text = None
    more: dict[str, str] = {}
    outgoing = select(query, f"SELECT ?p ?o WHERE {{ {node} ?p ?o }} LIMIT {MAX_VALUES + 1}")
    if len(outgoing) > MAX_VALUES:
        more["properties"] = _sparql_href(base_path, f"SELECT ?p ?o WHERE {{ {node} ?p ?o }}")
    outgoing = sorted(outgoing, key=lambda r: (r["p"].value, term_order(r["o"])))[:MAX_VALUES]
    labels.want([r["p"].value for r in outgoing]
                + [r["o"].value for r in outgoing if r["o"].is_iri])
    for r in outgoing:
        p, o = r["p"], r["o"]
        if p.value in _HEADER:
            continue
        if p.value == MK + "text":
            article_text = o.value
            continue
        ev = evidence.get((p.value, o.key), [])
        groups.setdefault(p.value, []).append(
            Row(show_term(o, labels), ev, o.lang if o.is_literal else None))
    properties = sorted(groups.items(), key=lambda kv: labels.en(kv[0]).lower())

    skip = ", ".join(iri(p) for p in sorted(_INCOMING_SKIP))
    incoming_query = f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} FILTER(isIRI(?s))
          FILTER(?p NOT IN ({skip})) FILTER NOT EXISTS {{ ?s a mk:Fact }} }}"""
    found = select(query, f"{incoming_query} LIMIT {MAX_INCOMING + 1}")
    if len(found) > MAX_INCOMING:
        more["incoming"] = _sparql_href(base_path, incoming_query)
    found = sorted(found, key=lambda r: (r["p"].value, r["s"].value))[:MAX_INCOMING]
    labels.want([r["p"].value for r in found] + [r["s"].value for r in found])
    incoming: dict[str, list[Term]] = {}
    for r in found:
        incoming.setdefault(r["p"].value, []).append(r["s"])

    mentions_query = f"""SELECT ?a ?exact ?para ?start WHERE {{
          ?a mk:mentions {node} ; oa:hasSelector ?q, ?ps .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          ?ps a oa:TextPositionSelector ; oa:start ?start .
          OPTIONAL {{ ?a mk:paragraph ?para }} }}"""
    mentions = select(query, f"{mentions_query} LIMIT {MAX_MENTIONS + 1}")
    if len(mentions) > MAX_MENTIONS:
        more["mentions"] = _sparql_href(base_path, mentions_query + " ORDER BY ?start ?a")
    mentions = sorted(mentions, key=lambda r: (term_order(r["start"]), r["a"].value))
    mentions = mentions[:MAX_MENTIONS]

    claim_sets = _claim_sets(query, node, resource, MK + "Claim" in type_set, labels)

    span = None
    if MK + "Anchor" in type_set:
        span = _span_view(query, node, resource)
    fact = None
    if MK + "Fact" in type_set:
        fact = _fact_view(query, node, labels)

    edges = graphview.neighbours(query, resource)
    diagram = graphview.render_svg(resource, edges, labels) if edges else None

    name = labels.en(resource)
    return render(
        "entity.html", base_path=base_path, alternates=alternates, title=name,
        resource=resource, name=name, fr=labels.fr(resource), labels=labels,
        types=types, descriptions=descriptions, alt_labels=alt_labels, external=external,
        properties=properties, incoming=sorted(incoming.items(),
                                               key=lambda kv: labels.en(kv[0]).lower()),
        mentions=mentions, claim_sets=claim_sets, span=span, fact=fact, more=more,
        max_values=MAX_VALUES, max_incoming=MAX_INCOMING, max_mentions=MAX_MENTIONS,
        article_text=article_text, diagram=diagram, show=lambda t: show_term(t, labels),
        anchor_key=anchor_key, slug=slug_of(resource), graph_href=_graph_href(resource,
                                                                               base_path))


def _sparql_href(base_path: str, text: str) -> str:
    """The query editor with ``text`` (and the prefixes it may use)."""
    return f"{base_path}sparql?query={quote(ns.sparql_prologue() + text)}"


def _graph_href(resource: str, base_path: str) -> str | None:
    slug = slug_of(resource)
    return None if slug == resource else f"{base_path}diagram/{slug}"


def _evidence(query: Query, node: str) -> dict[tuple[str, tuple], list[Evidence]]:
    """The reified facts about ``node`` (at most :data:`MAX_FACTS`), keyed by the (property,
    value) they state. One query per part, each starting from ``node``: an OPTIONAL of
    several patterns would be joined with every match in the graph."""
    out: dict[str, Evidence] = {}
    keys: dict[str, tuple[str, tuple]] = {}
    for r in select(query, f"""
        SELECT ?f ?p ?o ?basis ?note WHERE {{
          ?f rdf:subject {node} ; a mk:Fact ; rdf:predicate ?p ; rdf:object ?o .
          OPTIONAL {{ ?f mk:basis ?basis }} OPTIONAL {{ ?f skos:note ?note }}
        }} LIMIT {MAX_FACTS}"""):
        f = r["f"].value
        out.setdefault(f, Evidence(f, r["basis"].value if r["basis"] else None,
                                   r["note"].value if r["note"] else None))
        keys[f] = (r["p"].value, r["o"].key)
    if out:
        facts = f"VALUES ?f {{ {iris(out)} }}"
        for r in select(query, f"""SELECT ?f ?a ?exact WHERE {{ {facts} ?f mk:statedIn ?a .
                ?a oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }}"""):
            ev = out[r["f"].value]
            if (anchor_key(r["a"].value), r["exact"].value) not in ev.spans:
                ev.spans.append((anchor_key(r["a"].value), r["exact"].value))
        for r in select(query, f"""SELECT ?f ?src WHERE {{ {facts}
                ?f prov:wasDerivedFrom ?src }}"""):
            ev = out[r["f"].value]
            if r["src"].value not in ev.sources:
                ev.sources.append(r["src"].value)
        for r in select(query, f"SELECT ?f ?inf WHERE {{ {facts} ?f mk:inferredFrom ?inf }}"):
            ev = out[r["f"].value]
            if r["inf"] not in ev.inferred_from:
                ev.inferred_from.append(r["inf"])
    grouped: dict[tuple[str, tuple], list[Evidence]] = {}
    for f, ev in sorted(out.items()):
        ev.spans.sort()
        ev.sources.sort()
        ev.inferred_from.sort(key=lambda t: t.key)
        grouped.setdefault(keys[f], []).append(ev)
    return grouped


def _claim_sets(query: Query, node: str, resource: str, is_claim: bool,
                labels: Labels) -> list[dict]:
    """Claims about this resource (at most :data:`MAX_CLAIMS`; or, for a claim, it and those
    it conflicts with), grouped by the property they give a value for, to be shown side by
    side."""
    claims = load_claims(query, labels, [resource]) if is_claim else {}
    if resource in claims:
        members = [resource, *claims[resource].conflicts_with]
        prop_rows = select(query, f"SELECT ?p WHERE {{ {node} mk:claimProperty ?p }}")
        groups = {prop_rows[0]["p"].value if prop_rows else "": members}
    else:
        groups = {}
        about = sorted(select(query, f"""
            SELECT ?c ?p WHERE {{ ?c mk:claimSubject {node} .
              OPTIONAL {{ ?c mk:claimProperty ?p }} }} LIMIT {MAX_CLAIMS}"""),
                       key=lambda r: r["c"].value)
        for r in about:
            groups.setdefault(r["p"].value if r["p"] else "", []).append(r["c"].value)
        claims = load_claims(query, labels, [r["c"].value for r in about]) if about else {}
    if not claims:
        return []
    values = f"VALUES ?c {{ {iris(claims)} }}"
    spans = {}
    for r in select(query, f"""
        SELECT ?c ?a ?exact WHERE {{ {values} ?f rdf:subject ?c ; a mk:Fact ; mk:statedIn ?a .
          ?a oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          FILTER EXISTS {{ ?f rdf:predicate ?p FILTER(?p IN (mk:statedAs, mk:claimedValue)) }}
        }}"""):
        pair = (anchor_key(r["a"].value), r["exact"].value)
        if pair not in spans.setdefault(r["c"].value, []):
            spans[r["c"].value].append(pair)
    sources = {}
    # Two queries, not a UNION: a UNION of joins is joined with every match in the graph.
    for where in ("?c prov:wasDerivedFrom ?src", "?c mk:accordingTo ?src . ?src a mk:Source"):
        for r in select(query, f"SELECT DISTINCT ?c ?src WHERE {{ {values} {where} }}"):
            if r["src"].value not in sources.setdefault(r["c"].value, []):
                sources[r["c"].value].append(r["src"].value)
    for found in (*spans.values(), *sources.values()):
        found.sort()
    labels.want([t.value for c in claims.values() for t in (c.value, c.according_to)
                 if t is not None and t.is_iri])
    out = []
    for prop, members in groups.items():
        cards = []
        for c in dict.fromkeys(members):
            if c not in claims:
                continue
            claim = claims[c]
            cards.append({"claim": claim, "value": show_term(claim.value, labels),
                          "by": show_term(claim.according_to, labels),
                          "spans": spans.get(c, []), "sources": sources.get(c, []),
                          "conflict": bool(claim.conflicts_with),
                          "contradicted": [labels.en(d) for d in claim.contradicted_by]})
        if cards:
            out.append({"property": prop, "cards": cards,
                        "conflict": any(c["conflict"] for c in cards)})
    return out


def _span_view(query: Query, node: str, resource: str) -> dict | None:
    rows = select(query, f"""
        SELECT ?exact ?prefix ?suffix ?start ?end ?sentence WHERE {{
          {node} oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          OPTIONAL {{ ?q oa:prefix ?prefix }} OPTIONAL {{ ?q oa:suffix ?suffix }}
          OPTIONAL {{ {node} oa:hasSelector ?p . ?p a oa:TextPositionSelector ;
                      oa:start ?start ; oa:end ?end }}
          OPTIONAL {{ {node} mk:sentence ?sentence }} }} LIMIT 1""")
    if not rows:
        return None
    r = rows[0]
    facts = select(query, f"""
        SELECT ?f ?label WHERE {{ ?f mk:statedIn {node} ; rdfs:label ?label }}
        ORDER BY STR(?label) LANG(?label) STR(?f)""")
    inferred = select(query, f"""
        SELECT ?f ?label WHERE {{ ?f mk:inferredFrom {node} ; rdfs:label ?label }}
        ORDER BY STR(?label) LANG(?label) STR(?f)""")
    return {"key": anchor_key(resource), "exact": r["exact"].value,
            "prefix": r["prefix"].value if r["prefix"] else "",
            "suffix": r["suffix"].value if r["suffix"] else "",
            "start": r["start"].value if r["start"] else None,
            "end": r["end"].value if r["end"] else None,
            "facts": facts, "inferred": inferred}


def _fact_view(query: Query, node: str, labels: Labels) -> dict | None:
    rows = select(query, f"""
        SELECT ?s ?p ?o ?basis WHERE {{ {node} rdf:subject ?s ; rdf:predicate ?p ;
          rdf:object ?o . OPTIONAL {{ {node} mk:basis ?basis }} }} LIMIT 1""")
    if not rows:
        return None
    r = rows[0]
    spans = sorted((anchor_key(x["a"].value), x["exact"].value) for x in select(query, f"""
        SELECT ?a ?exact WHERE {{ {node} mk:statedIn ?a . ?a oa:hasSelector ?q .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact }}"""))
    return {"s": show_term(r["s"], labels), "p": show_term(r["p"], labels),
            "o": show_term(r["o"], labels), "basis": r["basis"], "spans": spans}


def entity_exists(source, resource: str) -> bool:
    query = as_query(source)
    node = iri(resource)
    return bool(query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))
