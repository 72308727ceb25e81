"""RDF serialisations and SPARQL result formats: names, media types and file extensions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pyoxigraph as ox

from .errors import UnsupportedFormatError


@dataclass(frozen=True)
class _Spec:
    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()


class _Format(Enum):
    """Shared behaviour of the format enums (members hold a :class:`_Spec`)."""

    @property
    def media_type(self) -> str:
        return self.value.media_type

    @property
    def extension(self) -> str:
        return self.value.extension

    @property
    def oxigraph(self):
        return _OXIGRAPH[self]

    @classmethod
    def lookup(cls, key: str):
        """Find a format by name, alias, extension or media type (case-insensitive)."""
        found = _find(cls, key)
        if found is None:
            names = ", ".join(f.value.name for f in cls)
            kind = "RDF format" if cls is RdfFormat else "results format"
            raise UnsupportedFormatError(f"Unknown {kind} {key!r}; use one of: {names}.")
        return found


class RdfFormat(_Format):
    """RDF serialisations, in order of preference for content negotiation."""

    # N3 is asked for by clients that mean Turtle (its subset): they get Turtle.
    TURTLE = _Spec("turtle", "text/turtle", "ttl", ("ttl", "application/x-turtle", "n3",
                                                    "text/n3", "text/rdf+n3"))
    NTRIPLES = _Spec("ntriples", "application/n-triples", "nt", ("nt", "text/plain"))
    JSONLD = _Spec("jsonld", "application/ld+json", "jsonld", ("json-ld", "json",
                                                               "application/x-json+ld"))
    RDFXML = _Spec("rdfxml", "application/rdf+xml", "rdf", ("xml", "rdf", "owl", "rdf+xml"))
    TRIG = _Spec("trig", "application/trig", "trig")
    NQUADS = _Spec("nquads", "application/n-quads", "nq", ("nq",))

    @property
    def is_dataset(self) -> bool:
        """True when the format carries named graphs (TriG, N-Quads)."""
        return self in (RdfFormat.TRIG, RdfFormat.NQUADS)

    @classmethod
    def from_path(cls, path: str) -> RdfFormat:
        """The format a file name's extension stands for."""
        suffix = path.rsplit(".", 1)[-1] if "." in path else ""
        try:
            return cls.lookup(suffix)
        except UnsupportedFormatError:
            raise UnsupportedFormatError(
                f"Cannot tell the RDF format of {path!r} from its extension; "
                "name it .ttl, .nt, .jsonld, .rdf, .trig or .nq."
            ) from None


class ResultFormat(_Format):
    """SPARQL query results formats for SELECT and ASK."""

    JSON = _Spec("json", "application/sparql-results+json", "srj", ("srj", "application/json"))
    XML = _Spec("xml", "application/sparql-results+xml", "srx", ("srx", "application/xml",
                                                              "text/xml"))
    CSV = _Spec("csv", "text/csv", "csv")
    TSV = _Spec("tsv", "text/tab-separated-values", "tsv")


def _find(enum: type[Enum], key: str):
    key = key.strip().lower()
    for member in enum:
        spec: _Spec = member.value
        if key in (spec.name, spec.media_type, spec.extension, *spec.aliases):
            return member
    return None


_OXIGRAPH = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,

    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}
