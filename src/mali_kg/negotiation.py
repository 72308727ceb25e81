"""Content negotiation: parse ``Accept`` (with q-values) and pick one of the server's offers.

Pure functions over strings; nothing here raises on malformed headers (a malformed entry is
ignored, as RFC 9110 allows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .formats import RdfFormat, ResultFormat
from .lru import ByteLRU


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    profiles: tuple[str, ...] = ()  # the ``profile`` parameter's IRIs (JSON-LD forms)

    def specificity(self, media_type: str) -> int:
        """How precisely this range matches ``media_type``: 3 exact … 1 ``*/*``; 0 no match."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 1
        if self.type != t:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == s else 0


def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The media ranges of an Accept header; an absent or empty header accepts anything.
    Headers of ordinary length are parsed once and kept (bounded in bytes)."""
    if header is None or len(header) > _CACHED_HEADER_MAX:
        return _parse_accept(header)
    ranges = _ACCEPT_CACHE.get(header)
    if ranges is None:
        ranges = _parse_accept(header)
        _ACCEPT_CACHE.put(header, ranges, 2 * len(header) + 100 * len(ranges) + 200)
    return ranges


_CACHED_HEADER_MAX = 1024
_ACCEPT_CACHE = ByteLRU(max_bytes=4 * 2**20, max_entry=4 * _CACHED_HEADER_MAX)
_DECISIONS = ByteLRU(max_bytes=4 * 2**20, max_entry=8 * _CACHED_HEADER_MAX)


def _parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    if not header or not header.strip():
        return (MediaRange("*", "*", 1.0),)
    ranges: list[MediaRange] = []
    for part in header.split(",")[:64]:
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if media.count("/") != 1:
            continue
        t, s = (x.strip() for x in media.split("/"))
        if not t or not s or (t == "*" and s != "*"):
            continue
        q, profiles = 1.0, ()
        for param in fields[1:]:
            key, _, value = param.partition("=")
            key = key.strip().lower()
            if key == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
                if not 0.0 <= q <= 1.0:
                    q = -1.0
            elif key == "profile":
                profiles = tuple(value.strip().strip('"').split())
        if q >= 0:
            ranges.append(MediaRange(t, s, q, profiles))
    return tuple(ranges)


def _decided(function):
    """Keep the answers for ordinary ``Accept`` headers: most clients send the same few, and
    weighing every offer against every range is most of what negotiation costs."""
    def decide(offers, accept, aliases=None, **flags):
        if accept is None or len(accept) > _CACHED_HEADER_MAX:
            return function(offers, accept, aliases, **flags)
        key = (function.__name__, accept, tuple(offers or ()),
               tuple(aliases.items()) if aliases else (), tuple(flags.items()))
        found = _DECISIONS.get(key)
        if found is None:
            found = (function(offers, accept, aliases, **flags),)
            _DECISIONS.put(key, found, 2 * len(accept) + 64 * len(key[2]) + 300)
        return found[0]

    decide.__doc__, decide.__name__ = function.__doc__, function.__name__
    return decide


@_decided
def choose(offers: Sequence[str], accept: str | None,
           aliases: dict[str, str] | None = None) -> str | None:
    """The offer the client prefers most, ties going to the earlier offer; None if none.

    ``aliases`` maps other media types a client may ask for (``application/json``) to one of
    the offers; an alias matches only exactly, never through a wildcard.
    """
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    for alias, target in (aliases or {}).items():
        for r in ranges:
            if r.type != "*" and r.subtype != "*" and f"{r.type}/{r.subtype}" == alias \
                    and r.q > best_q:
                best, best_q = target, r.q
    return best


JSONLD_MEDIA = RdfFormat.JSONLD.media_type


def jsonld_profiles(accept: str | None) -> tuple[str, ...]:
    """The profile IRIs (``profile="http://www.w3.org/ns/json-ld#compacted"``) of the
    ``application/ld+json`` range the client ranks highest (the first on a tie), in the order
    given; () when that range names none, or the client names no ``application/ld+json``."""
    best: tuple[str, ...] = ()
    best_q = 0.0
    for r in parse_accept(accept) if accept else ():
        if f"{r.type}/{r.subtype}" == JSONLD_MEDIA and r.q > best_q:
            best, best_q = r.profiles, r.q
    return best


def prefers_html(accept: str | None, offers: Sequence[str] | None = None,
                 aliases: dict[str, str] | None = None, *, ties_to_html: bool = True) -> bool:
    """True when a client (a browser) ranks text/html above the data formats ``offers``
    (default: the RDF formats) and their exact ``aliases``; on a tie, ``ties_to_html``."""
    if not accept:
        return False
    return _prefers_html(offers, accept, aliases, ties_to_html=ties_to_html)


@_decided
def _prefers_html(offers: Sequence[str] | None, accept: str, aliases: dict[str, str] | None,
                  *, ties_to_html: bool) -> bool:
    ranges = parse_accept(accept)
    html = _quality("text/html", ranges, exact=True)
    data = max(_quality(o, ranges) for o in (offers or [f.media_type for f in RdfFormat]))
    for r in ranges:
        if f"{r.type}/{r.subtype}" in (aliases or {}):
            data = max(data, r.q)
    return html > 0 and (html >= data if ties_to_html else html > data)


def _quality(offer: str, ranges: Sequence[MediaRange], exact: bool = False) -> float:
    best_spec, q = 0, 0.0
    for r in ranges:
        spec = r.specificity(offer)
        if exact and spec != 3:
            continue
        if spec > best_spec:
            best_spec, q = spec, r.q
    return q


RESULT_OFFERS = tuple(f.media_type for f in ResultFormat)
RESULT_ALIASES = {
    "application/json": ResultFormat.JSON.media_type,
    "application/xml": ResultFormat.XML.media_type,
    "text/xml": ResultFormat.XML.media_type,
}
RDF_OFFERS = tuple(f.media_type for f in RdfFormat)
RDF_ALIASES = {
    "application/x-turtle": RdfFormat.TURTLE.media_type,
    "text/n3": RdfFormat.TURTLE.media_type,
    "text/rdf+n3": RdfFormat.TURTLE.media_type,
    "application/x-json+ld": RdfFormat.JSONLD.media_type,
    "text/plain": RdfFormat.NTRIPLES.media_type,
    "application/json": RdfFormat.JSONLD.media_type,
    "application/xml": RdfFormat.RDFXML.media_type,
    "text/xml": RdfFormat.RDFXML.media_type,
}
TEXTUAL = "; charset=utf-8"


def content_type(media_type: str) -> str:
    """The Content-Type header for one of our media types (all are UTF-8 text)."""
    return media_type + TEXTUAL
