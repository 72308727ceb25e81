"""RDF serialisations and SPARQL result formats: the names and aliases clients use for
pyoxigraph's formats, whose media types, extensions and writers they are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pyoxigraph as ox

from .errors import UnsupportedFormatError


@dataclass(frozen=True)
class _Spec:
    name: str
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat  # media type and extension come from it
    aliases: tuple[str, ...] = ()


class _Format(Enum):
    """Shared behaviour of the format enums (members hold a :class:`_Spec`): the names and
    aliases clients use, over pyoxigraph's own format (its media type, extension, writer)."""

    @property
    def media_type(self) -> str:
        return self.value.oxigraph.media_type.split(";")[0]

    @property
    def extension(self) -> str:
        return self.value.oxigraph.file_extension

    @property
    def oxigraph(self):
        return self.value.oxigraph

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
    TURTLE = _Spec("turtle", ox.RdfFormat.TURTLE, ("application/x-turtle", "n3", "text/n3",
                                                   "text/rdf+n3"))
    NTRIPLES = _Spec("ntriples", ox.RdfFormat.N_TRIPLES, ("text/plain",))
    JSONLD = _Spec("jsonld", ox.RdfFormat.JSON_LD, ("json-ld", "json", "application/x-json+ld"))
    RDFXML = _Spec("rdfxml", ox.RdfFormat.RDF_XML, ("xml", "owl", "rdf+xml"))
    TRIG = _Spec("trig", ox.RdfFormat.TRIG)
    NQUADS = _Spec("nquads", ox.RdfFormat.N_QUADS)

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

    JSON = _Spec("json", ox.QueryResultsFormat.JSON, ("application/json",))
    XML = _Spec("xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"))
    CSV = _Spec("csv", ox.QueryResultsFormat.CSV)
    TSV = _Spec("tsv", ox.QueryResultsFormat.TSV)


def _find(enum: type[_Format], key: str):
    index = _INDEX.get(enum)
    if index is None:  # every name, alias, media type and extension; earlier members first
        index = _INDEX[enum] = {}
        for member in reversed(list(enum)):
            for k in (member.value.name, member.media_type, member.extension,
                      *member.value.aliases):
                index[k] = member
    return index.get(key.strip().lower())


_INDEX: dict[type, dict[str, _Format]] = {}
