"""Serialise query results to bytes, cutting them at a row limit.

Runs inside the worker processes. SELECT and ASK results are written here (SPARQL 1.1 JSON,
XML, CSV and TSV) because the engine's own writers cannot stop at a row limit; graphs go
through :func:`pyoxigraph.serialize` after the cut.

When the limit cuts a result, JSON gets ``"truncated": true`` at the top level and XML a
``<link href="urn:mali-kg:truncated"/>`` in its head (the SPARQL results formats allow
links there); the HTTP layer adds the ``X-Mali-KG-Truncated: true`` header for every format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from .. import jsonld
from .. import namespaces as ns
from ..formats import RdfFormat, ResultFormat

TRUNCATED_LINK = "urn:mali-kg:truncated"


def take(items: Iterable, limit: int, max_bytes: int | None = None,
         size: Callable[[object], int] | None = None) -> tuple[list, bool]:
    """The first ``limit`` items, and whether there were more. With ``max_bytes``, also stop
    before the item whose ``size`` would take the running total past it."""
    if max_bytes is None or size is None:
        got = list(islice(items, limit + 1))
        return (got[:limit], True) if len(got) > limit else (got, False)
    got, total = [], 0
    for item in items:
        total += size(item)
        if len(got) == limit or total > max_bytes:
            return got, True
        got.append(item)
    return got, False


def term_bytes(term) -> int:
    """About what a term takes in any of the formats (its text plus markup)."""
    if term is None:
        return 0
    if isinstance(term, ox.Triple):
        return term_bytes(term.subject) + term_bytes(term.predicate) + term_bytes(term.object)
    if isinstance(term, ox.Literal):
        return len(term.value) + len(term.datatype.value) + 40
    return len(term.value) + 30


def fit(write: Callable[[list], bytes], rows: list, max_bytes: int,
        body: bytes | None = None) -> tuple[bytes, bool]:
    """``write(rows)`` (or ``body``, already written from them), dropping rows from the end
    until the bytes fit in ``max_bytes`` (escaping can make a body longer than
    :func:`term_bytes` foresaw); True if any were."""
    body, cut = (write(rows) if body is None else body), False
    while len(body) > max_bytes and rows:
        keep = min(len(rows) - 1, int(len(rows) * max_bytes / len(body) * 0.9))
        rows, cut = rows[:max(keep, 0)], True
        body = write(rows)
    return body, cut


def write_solutions(fmt: ResultFormat, variables: Sequence[str], rows: list,
                    truncated: bool) -> bytes:
    if fmt is ResultFormat.JSON:
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc: dict = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        if truncated:
            doc["head"]["link"] = [TRUNCATED_LINK]
            doc["truncated"] = True
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt is ResultFormat.XML:
        out = [_XML_HEAD]
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        if truncated:
            out.append(f'<link href="{TRUNCATED_LINK}"/>')
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            for v, t in zip(variables, row, strict=True):
                if t is not None:
                    out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt is ResultFormat.CSV:
        lines = [",".join(_csv_field(v) for v in variables)]
        lines.extend(",".join("" if t is None else _csv_field(_csv_value(t)) for t in row)
                     for row in rows)
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()


def write_boolean(fmt: ResultFormat, value: bool) -> bytes:
    word = "true" if value else "false"
    if fmt is ResultFormat.JSON:
        return f'{{"head":{{}},"boolean":{word}}}'.encode()
    if fmt is ResultFormat.XML:
        return f"{_XML_HEAD}</head><boolean>{word}</boolean></sparql>\n".encode()
    if fmt is ResultFormat.CSV:
        return f"_askResult\r\n{word}\r\n".encode()
    return f"?_askResult\n{word}\n".encode()


def write_triples(fmt: RdfFormat, triples: list, *, jsonld_form: str | None = None) -> bytes:
    """A graph in ``fmt``. JSON-LD is the engine's expanded form unless ``jsonld_form`` is
    :data:`mali_kg.jsonld.COMPACTED` (compacted against the project's context; see
    :func:`mali_kg.jsonld.write` for the little it cannot carry)."""
    if fmt is RdfFormat.JSONLD and jsonld_form is not None:
        return jsonld.write(triples, jsonld_form)[0]
    prefixes = None if fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS) else _used_prefixes(triples)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)


def _used_prefixes(triples: list) -> dict[str, str]:
    """Only the project prefixes the triples use, so small documents stay small."""
    iris = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns_iri for p, ns_iri in ns.PREFIXES.items()
            if any(i.startswith(ns_iri) for i in iris)}


class NotRepresentable(ValueError):
    """The answer holds text the requested format cannot carry."""


# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    if _NOT_XML.search(text):
        raise NotRepresentable(
            "The results hold a control character that XML 1.0 cannot carry; ask for "
            "application/sparql-results+json (or format=json) instead.")
    return _escape(text)


_XML_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != ns.XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _json_term(t.subject),
                                        "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != ns.XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject>"
            f"<predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_value(t) -> str:
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    return str(t)


def _csv_field(value: str) -> str:
    if any(c in value for c in '",\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
