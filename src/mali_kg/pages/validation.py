"""Validation of submitted RDF against the published shapes. Nothing submitted is stored.

The input is parsed with Oxigraph (no remote JSON-LD contexts are ever fetched), copied into
an rdflib graph and handed to :func:`mali_kg.validate.validate_graph`.

The server runs all of it — form decoding, the nesting check, parsing and validation — in a
validation worker process (:func:`run_job`), under the worker's time and memory limits; the
serving process only moves the bytes.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from dataclasses import dataclass

from rdflib import Graph

from ..errors import DataSyntaxError
from ..formats import RdfFormat

MAX_BYTES = 1024 * 1024
MAX_TRIPLES = 20_000
MAX_DEPTH = 100  # brackets nested deeper than this are refused before any parser runs
MAX_PARTS = 20  # form parts: the page's form has three (data, file, format)

FORMATS = {
    "turtle": (RdfFormat.TURTLE, "Turtle"),
    "jsonld": (RdfFormat.JSONLD, "JSON-LD"),
    "ntriples": (RdfFormat.NTRIPLES, "N-Triples"),
    "trig": (RdfFormat.TRIG, "TriG"),
}
_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/n-triples": "ntriples", "application/trig": "trig",
}
_EXTENSIONS = {"ttl": "turtle", "jsonld": "jsonld", "json": "jsonld", "nt": "ntriples",
               "trig": "trig"}


class InputError(ValueError):
    """The submission cannot be validated; the message says what to do."""


class TooLarge(InputError):
    pass


@dataclass
class Submission:
    data: bytes
    fmt: str  # a key of FORMATS
    filename: str | None = None


def format_for(media_type: str | None = None, filename: str | None = None,
               data: bytes = b"") -> str:
    """The format from a media type, a file name, or a sniff of the data."""
    if media_type:
        key = _MEDIA.get(media_type.split(";")[0].strip().lower())
        if key:
            return key
    if filename and "." in filename:
        key = _EXTENSIONS.get(filename.rsplit(".", 1)[1].lower())
        if key:
            return key
    head = data.lstrip()[:1]
    return "jsonld" if head in (b"{", b"[") else "turtle"


def parse_form(body: bytes, content_type: str) -> Submission:
    """A browser form (urlencoded or multipart): ``data`` text and/or ``file`` upload, with
    an optional ``format`` (auto, turtle, jsonld, ntriples, trig)."""
    fields: dict[str, str] = {}
    upload: tuple[bytes, str | None, str | None] | None = None
    if content_type.startswith("multipart/form-data"):
        boundary = content_type.partition("boundary=")[2].split(";")[0].strip().strip('"')
        if boundary and body.count(b"--" + boundary.encode("latin-1")) > MAX_PARTS + 1:
            raise InputError(f"The form has more than {MAX_PARTS} parts: send the RDF in "
                             "the 'data' field or as a 'file'.")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
        if not msg.is_multipart():
            raise InputError("The form could not be read: send it as multipart/form-data.")
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name == "file" and part.get_filename():
                if payload:
                    upload = (payload, part.get_filename(), part.get_content_type())
            elif name:
                fields[name] = payload.decode("utf-8", "replace")
    else:
        from urllib.parse import parse_qs

        for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
            fields[k] = v[0]
    chosen = fields.get("format", "auto")
    if upload:
        data, filename, media = upload
        fmt = chosen if chosen in FORMATS else format_for(
            media if media != "application/octet-stream" else None, filename, data)
        return Submission(data, fmt, filename)
    text = fields.get("data", "")
    if not text.strip():
        raise InputError("Nothing to validate: paste Turtle or JSON-LD, or choose a file.")
    data = text.encode("utf-8")
    return Submission(data, chosen if chosen in FORMATS else format_for(data=data))


def to_graph(sub: Submission) -> Graph:
    from ..validate import TooManyTriples, parse_rdf  # pySHACL is heavy: import on first use

    if len(sub.data) > MAX_BYTES:
        raise TooLarge(f"The input is larger than {MAX_BYTES // 1024} KiB; validate a smaller "
                       "file, or run `mali-kg validate` locally.")
    fmt, name = FORMATS[sub.fmt]
    try:
        graph = parse_rdf(sub.data, fmt, source=f"The {name}", max_triples=MAX_TRIPLES)
    except TooManyTriples as e:
        raise TooLarge(str(e)) from None
    except DataSyntaxError as e:
        detail = str(e).removeprefix(f"The {name}: syntax error")
        raise InputError(f"The {name} does not parse{detail}. Fix the syntax, or choose the "
                         "right format.") from None
    if len(graph) == 0:
        raise InputError("The input holds no triples: paste some RDF to validate.")
    return graph


def validate(sub: Submission):
    """The SHACL report for a submission; nothing submitted is kept."""
    from ..validate import validate_graph

    return validate_graph(to_graph(sub))


def check_depth(sub: Submission, max_depth: int = MAX_DEPTH) -> None:
    """Refuse input whose brackets nest deeper than ``max_depth`` (JSON objects and arrays,
    Turtle blank nodes and lists): recursive parsers overflow their stack on such input."""
    pattern = _JSON_SKIP if sub.fmt == "jsonld" else _TURTLE_SKIP
    brackets = pattern.sub(b"", sub.data).translate(None, _NOT_BRACKETS)
    depth = 0
    for byte in brackets:
        if byte in _OPENERS:
            depth += 1
            if depth > max_depth:
                raise InputError(f"The {FORMATS[sub.fmt][1]} nests brackets more than "
                                 f"{max_depth} levels deep; flatten it.")
        else:
            depth -= 1


_JSON_SKIP = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_TURTLE_SKIP = re.compile(rb'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                          rb"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_OPENERS = frozenset(b"[{(")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}()")


@dataclass(frozen=True, slots=True)
class Job:
    """A submission as it arrived: the raw body, its Content-Type, and the report type the
    client wants (one of the report media types, or text/html)."""
    body: bytes
    content_type: str
    want: str
    max_results: int


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def read(body: bytes, content_type: str) -> Submission:
    """The submission in a request body: a browser form, or RDF with its Content-Type."""
    if content_type.startswith(FORM_TYPES):
        return parse_form(body, content_type)
    if not body.strip():
        raise InputError("The request body is empty: POST Turtle or JSON-LD with its "
                         "Content-Type.")
    return Submission(body, format_for(content_type, None, body))


def run_job(job: Job) -> tuple:
    """Decode, check, parse and validate a submission; the reply for the serving process:
    ``("ok", media_type, body)``, ``("report", report, submitted, filename)`` for an HTML
    page, or ``("input", status, message)`` when the input cannot be validated."""
    try:
        sub = read(job.body, job.content_type)
        check_depth(sub)
        report = validate(sub).limited(job.max_results)
    except TooLarge as e:
        return ("input", 413, str(e))
    except InputError as e:
        return ("input", 400, str(e))
    except (MemoryError, RecursionError):
        raise MemoryError from None
    except Exception as e:  # a malformed form or document the checks above did not foresee
        return ("input", 400, f"The input could not be read ({type(e).__name__}); check "
                "that it is one RDF document or a form with a 'data' field or a 'file'.")
    if job.want == "text/turtle":
        return ("ok", "text/turtle; charset=utf-8", report.to_turtle().encode())
    if job.want == "application/ld+json":
        from rdflib import Graph

        graph = Graph().parse(data=report.to_turtle(), format="turtle")
        return ("ok", "application/ld+json", graph.serialize(format="json-ld", indent=2).encode())
    if job.want == "application/json":
        return ("ok", "application/json", report.to_json().encode())
    report.graph, report.nodes = None, []  # not needed to render the page
    submitted = sub.data.decode("utf-8", "replace") if sub.filename is None else ""
    return ("report", report, submitted, sub.filename)


def warm_up() -> None:
    """Import pySHACL and load the shapes now, so the first submission is not slower."""
    from ..validate import validate_graph

    validate_graph(Graph())
