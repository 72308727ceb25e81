"""The annotated article: the text with every anchored span, and what each span supports.

Spans overlap, so the text is cut at every span boundary into segments; each segment knows
the spans covering it (:func:`segments`). Notes shown beside the article's wording
(primary-source corrections, resolved relative dates, paraphrases) are inserted at offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .. import namespaces as ns
from .common import Labels, format_date, show_term
from .sparql import Query, Term, iri, iris, select, slug_of

MK = ns.MK
_CHUNK = 200  # IRIs per VALUES block
DATE_PROPERTIES = {MK + "date", MK + "startDate", MK + "endDate", MK + "deadline",
                   MK + "establishedOn"}


@dataclass
class Fact:
    iri: str
    label: str
    subject: Term
    predicate: Term
    object: Term
    basis: str | None = None
    note: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Note:
    """Words shown beside the article's wording at ``offset``."""

    offset: int
    kind: str  # "correction", "paraphrase", "resolved"
    text: str
    anchor: str  # slug of the span the note is about
    href: str | None = None


@dataclass
class Claim:
    iri: str
    label: str
    value: Term
    according_to: Term | None
    stated_as: str | None
    conflicts_with: list[str] = field(default_factory=list)
    contradicted_by: list[str] = field(default_factory=list)
    from_source: bool = False


@dataclass
class Anchor:
    iri: str
    slug: str  # "span/x"
    key: str  # "x": the HTML id
    start: int
    end: int
    exact: str
    label: str
    paragraph: int | None
    notes: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    inferred: list[Fact] = field(default_factory=list)
    mentions: list[Term] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  # claim IRIs this span states
    side_notes: list[Note] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return bool(self.claims)


@dataclass
class Article:
    iri: str
    text: str
    anchors: dict[str, Anchor]  # by key
    claims: dict[str, Claim]
    notes: list[Note]


def anchor_key(iri: str) -> str:
    """The HTML id for a span: ``…/id/span/mandate-end-july-1`` → ``mandate-end-july-1``."""
    slug = slug_of(iri)
    return slug.split("/", 1)[1] if slug.startswith("span/") else slug.replace("/", "-")


def load_article(query: Query, labels: Labels) -> Article:
    """The first article (by IRI) and what its spans support. Every query starts from the
    article (its spans, their facts, the claims those facts are about), so the cost grows
    with the article, not with the graph."""
    rows = select(query, "SELECT ?a WHERE { ?a a mk:Article ; mk:text [] } ORDER BY ?a LIMIT 1")
    if not rows:
        raise LookupError("The graph holds no mk:Article with mk:text.")
    article_iri = rows[0]["a"].value
    art = iri(article_iri)
    text = select(query, f"SELECT ?text WHERE {{ {art} mk:text ?text }} LIMIT 1")[0]["text"].value
    # Offsets are code points; Python strings index by code point too.
    exact = {r["a"].value: r["exact"].value for r in select(query, f"""
        SELECT ?a ?exact WHERE {{ ?a oa:hasSource {art} ; oa:hasSelector ?q .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact }}""")}
    paragraph = {r["a"].value: r["para"].value for r in select(query, f"""
        SELECT ?a ?para WHERE {{ ?a oa:hasSource {art} ; mk:paragraph ?para }}""")}
    found = select(query, f"""
        SELECT ?a ?start ?end WHERE {{
          ?a oa:hasSource {art} ; a mk:Anchor ; oa:hasSelector ?p .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }} ORDER BY ?start DESC(?end)""")
    labels.want([r["a"].value for r in found])
    anchors: dict[str, Anchor] = {}
    for r in found:
        a_iri = r["a"].value
        start, end = int(r["start"].value), int(r["end"].value)
        if not 0 <= start < end <= len(text):
            continue  # a selector outside the text: shown nowhere rather than wrongly
        key = anchor_key(a_iri)
        para = paragraph.get(a_iri)
        anchors.setdefault(key, Anchor(
            iri=a_iri, slug=slug_of(a_iri), key=key, start=start, end=end,
            exact=exact.get(a_iri, text[start:end]), label=labels.en(a_iri),
            paragraph=int(para) if para is not None else None))
    by_iri = {a.iri: a for a in anchors.values()}

    for r in select(query, f"""SELECT ?a ?note WHERE {{ ?a oa:hasSource {art} ; a mk:Anchor ;
            skos:note ?note }}"""):
        if r["a"].value in by_iri:
            by_iri[r["a"].value].notes.append(r["note"].value)
    for r in select(query, f"""SELECT ?a ?e WHERE {{ ?a oa:hasSource {art} ; a mk:Anchor ;
            mk:mentions ?e }}"""):
        if r["a"].value in by_iri:
            by_iri[r["a"].value].mentions.append(r["e"])

    links = select(query, f"""
        SELECT ?f ?a ?how WHERE {{ ?a oa:hasSource {art} .
          {{ ?f mk:statedIn ?a BIND("stated" AS ?how) }} UNION
          {{ ?f mk:inferredFrom ?a BIND("inferred" AS ?how) }} }}""")
    facts = _facts(query, [r["f"].value for r in links])
    for r in links:
        a, f = by_iri.get(r["a"].value), facts.get(r["f"].value)
        if a and f:
            (a.facts if r["how"].value == "stated" else a.inferred).append(f)

    claims = load_claims(query, labels, [f.subject.value for f in facts.values()])
    labels.want([t.value for a in anchors.values() for t in a.mentions])
    notes: list[Note] = []
    for a in anchors.values():
        a.mentions.sort(key=lambda t: labels.en(t.value).lower())
        a.facts.sort(key=lambda f: f.label.lower())
        a.inferred.sort(key=lambda f: f.label.lower())
        for f in a.facts:
            c = claims.get(f.subject.value)
            if c and (c.conflicts_with or c.contradicted_by) and c.iri not in a.claims:
                a.claims.append(c.iri)
        a.side_notes = _side_notes(a, text, claims, labels)
        notes.extend(a.side_notes)
    notes.sort(key=lambda n: n.offset)
    return Article(article_iri, text, anchors, claims, notes)


def _facts(query: Query, fact_iris: list[str]) -> dict[str, Fact]:
    """The facts among ``fact_iris``, with their triple, basis, note, label and sources."""
    facts: dict[str, Fact] = {}
    fact_iris = list(dict.fromkeys(fact_iris))
    for i in range(0, len(fact_iris), _CHUNK):
        chunk = iris(fact_iris[i:i + _CHUNK])
        labels = {}
        for r in select(query, f"""SELECT ?f ?label WHERE {{ VALUES ?f {{ {chunk} }}
                ?f rdfs:label ?label FILTER(LANG(?label) = "en") }}"""):
            labels.setdefault(r["f"].value, r["label"].value)
        for r in select(query, f"""
            SELECT ?f ?s ?p ?o ?basis ?note WHERE {{ VALUES ?f {{ {chunk} }}
              ?f a mk:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
              OPTIONAL {{ ?f mk:basis ?basis }} OPTIONAL {{ ?f skos:note ?note }}
            }}"""):
            f = r["f"].value
            if f not in facts:
                facts[f] = Fact(iri=f, label=labels.get(f, f), subject=r["s"], predicate=r["p"],
                                object=r["o"], basis=r["basis"].value if r["basis"] else None,
                                note=r["note"].value if r["note"] else None)
        for r in select(query, f"""SELECT ?f ?src WHERE {{ VALUES ?f {{ {chunk} }}
                ?f prov:wasDerivedFrom ?src }}"""):
            if r["f"].value in facts:
                facts[r["f"].value].sources.append(r["src"].value)
    return facts


def load_claims(query: Query, labels: Labels, about: list[str] | None = None) -> dict[str, Claim]:
    """The claims among ``about`` (IRIs; every claim in the graph if None), and the claims
    they conflict with or are contradicted by."""
    if about is None:
        return _claims(query, labels, None)
    claims = _claims(query, labels, about)
    others = [o for c in claims.values() for o in (*c.conflicts_with, *c.contradicted_by)
              if o not in claims]
    if others:
        claims.update(_claims(query, labels, others))
    return claims


def _claims(query: Query, labels: Labels, about: list[str] | None) -> dict[str, Claim]:
    claims: dict[str, Claim] = {}
    chunks = [None] if about is None else [
        list(dict.fromkeys(about))[i:i + _CHUNK] for i in range(0, len(about), _CHUNK)]
    for chunk in chunks:
        values = f"VALUES ?c {{ {iris(chunk)} }}" if chunk is not None else ""
        # Claims made by a source, as rows rather than a boolean in each row: engines write a
        # computed boolean their own way (Virtuoso: "1"^^xsd:integer).
        from_sources = {r["c"].value for r in select(query, f"""
            SELECT DISTINCT ?c WHERE {{ {values} ?c a mk:Claim ; mk:accordingTo/a mk:Source }}""")}
        found = select(query, f"""
            SELECT ?c ?v ?by ?words WHERE {{ {values}
              ?c a mk:Claim ; mk:claimedValue ?v .
              OPTIONAL {{ ?c mk:accordingTo ?by }}
              OPTIONAL {{ ?c mk:statedAs ?words }}
            }} ORDER BY ?v ?c""")
        labels.want([r["c"].value for r in found])
        for r in found:
            c = r["c"].value
            claims.setdefault(c, Claim(iri=c, label=labels.en(c), value=r["v"],
                                       according_to=r["by"],
                                       stated_as=r["words"].value if r["words"] else None,
                                       from_source=c in from_sources))
        for r in select(query, f"""
            SELECT ?c ?d WHERE {{ {values} ?c mk:conflictsWith|^mk:conflictsWith ?d }}"""):
            c = claims.get(r["c"].value)
            if c and r["d"].value not in c.conflicts_with:
                c.conflicts_with.append(r["d"].value)
        for r in select(query, f"SELECT ?c ?d WHERE {{ {values} ?c mk:contradictedBy ?d }}"):
            c = claims.get(r["c"].value)
            if c:
                c.contradicted_by.append(r["d"].value)
    for c in claims.values():  # in the same order whatever order the engine gave the rows in
        c.conflicts_with.sort()
        c.contradicted_by.sort()
    return claims


def _side_notes(a: Anchor, text: str, claims: dict[str, Claim], labels: Labels) -> list[Note]:
    notes: list[Note] = []
    for f in a.facts:
        p = f.predicate.value
        c = claims.get(f.subject.value)
        if c and p in (MK + "statedAs", MK + "claimedValue"):
            for other in c.contradicted_by:
                d = claims.get(other)
                if d:
                    who = labels.en(d.according_to.value) if d.according_to else d.label
                    notes.append(Note(a.end, "correction",
                                      f"{who}: {format_date(d.value.value)}", a.key,
                                      labels.href(d.iri)))
        if p == MK + "wordsAsPrinted" and f.object.is_literal:
            words = f.object.value
            at = text.find(words, a.start, a.end)
            if at >= 0:
                end = at + len(words)
                if end < len(text) and text[end] in "»”\"":
                    end += 1
                notes.append(Note(end, "paraphrase", "a paraphrase", a.key,
                                  labels.href(f.subject.value)))
    seen: set[str] = set()
    for f in a.inferred:
        if f.predicate.value in DATE_PROPERTIES and f.object.is_literal \
                and f.object.value not in seen and _names_date(a.exact):
            seen.add(f.object.value)
            notes.append(Note(a.end, "resolved", format_date(f.object.value), a.key,
                              labels.href(f.subject.value)))
    return notes


def _names_date(words: str) -> bool:
    """Only short spans that are themselves a date expression get a resolved date beside them."""
    return len(words) <= 40


# --- segments ------------------------------------------------------------------------------


@dataclass
class Segment:
    start: int
    end: int
    text: str
    anchors: list[str]  # keys, innermost (shortest) first


def segments(text: str, spans: list[tuple[str, int, int]],
             cuts: list[int] = ()) -> list[Segment]:
    """Cut ``text`` at every span start and end (and at ``cuts``); each piece lists the spans
    covering it, shortest first. Spans may overlap or nest; uncovered text is a segment
    with no spans."""
    bounds = sorted({0, len(text), *cuts, *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    bounds = [b for b in bounds if 0 <= b <= len(text)]
    out: list[Segment] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo == hi:
            continue
        covering = sorted((e - s, s, k) for k, s, e in spans if s <= lo and hi <= e)
        out.append(Segment(lo, hi, text[lo:hi], [k for _, _, k in covering]))
    return out


def render_text(article: Article, selected: str | None = None) -> Markup:
    """The article as HTML paragraphs of segments; every covered segment is a link to the
    innermost span covering it and names all its spans in ``data-spans``."""
    text = article.text
    spans = [(a.key, a.start, a.end) for a in article.anchors.values()]
    breaks = []
    i = text.find("\n\n")
    while i >= 0:
        breaks += [i, i + 2]
        i = text.find("\n\n", i + 2)
    notes_at: dict[int, list[Note]] = {}
    for n in article.notes:
        notes_at.setdefault(n.offset, []).append(n)
    segs = segments(text, spans, cuts=breaks + list(notes_at))
    first_seen: set[str] = set()
    paragraphs: list[list[Markup]] = [[]]
    for seg in segs:
        if seg.text.strip("\n") == "" and "\n\n" in seg.text:
            paragraphs.append([])
            continue
        paragraphs[-1].append(_segment_html(seg, article, selected, first_seen))
        for n in notes_at.pop(seg.end, []):
            paragraphs[-1].append(_note_html(n))
    html = []
    for n, parts in enumerate(p for p in paragraphs if p):
        tag = "h1" if n == 0 else "p"
        html.append(Markup('<{0} class="para" data-paragraph="{1}">').format(tag, n)
                    + Markup("").join(parts) + Markup("</{0}>").format(tag))
    return Markup("\n").join(html)


def _segment_html(seg: Segment, article: Article, selected: str | None,
                  first_seen: set[str]) -> Markup:
    if not seg.anchors:
        return Markup("{0}").format(seg.text)
    inner = article.anchors[seg.anchors[0]]
    classes = ["seg", f"d{min(len(seg.anchors), 4)}"]
    if any(article.anchors[k].conflict for k in seg.anchors):
        classes.append("conflict")
    if selected and selected in seg.anchors:
        classes.append("hl")
    ids = [k for k in seg.anchors if k not in first_seen]
    first_seen.update(ids)
    # An id per span on the segment where it starts, so /article#at-<span> scrolls there.
    id_attr = Markup(' id="at-{0}"').format(ids[0]) if ids else Markup("")
    extra = Markup("").join(Markup('<span id="at-{0}" class="target"></span>').format(k)
                            for k in ids[1:])
    title = "; ".join(article.anchors[k].label for k in seg.anchors)
    return extra + Markup(
        '<a class="{0}" href="?span={1}#at-{1}"{2} data-spans="{3}" title="{4}">{5}</a>'
    ).format(" ".join(classes), inner.key, id_attr, " ".join(seg.anchors), title, seg.text)


def _note_html(n: Note) -> Markup:
    label = {"correction": "Primary source", "paraphrase": "Note",
             "resolved": "Date"}[n.kind]
    symbol = {"correction": "≠", "paraphrase": "≈", "resolved": "="}[n.kind]
    return Markup(
        ' <a class="side {0}" href="{1}" data-for="{2}" title="{3}: {4}">'
        '<span aria-hidden="true">{5}</span> <span class="visually-hidden">{3}:</span>{4}</a>'
    ).format(n.kind, n.href or f"?span={n.anchor}#{n.anchor}", n.anchor, label, n.text, symbol)


def anchor_view(a: Anchor, article: Article, labels: Labels) -> dict:
    """What the annotation of one span shows."""
    def claim_view(claim: str) -> dict:
        c = article.claims[claim]
        return {"claim": c, "value": show_term(c.value, labels),
                "by": show_term(c.according_to, labels), "href": labels.href(c.iri)}

    conflicts = []
    for claim in a.claims:
        c = article.claims[claim]
        conflicts.append({"this": claim_view(claim),
                          "others": [claim_view(o) for o in c.conflicts_with
                                     if o in article.claims]})
    return {"anchor": a, "conflicts": conflicts}
