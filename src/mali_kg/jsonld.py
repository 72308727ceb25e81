"""JSON-LD: the project's context and the compacted documents written against it.

The context (published at ``https://w3id.org/mali-kg/context.jsonld``) is built when first
needed, from two sources and nothing typed by hand:

* every prefix of :data:`mali_kg.namespaces.PREFIXES`, and
* a short term for each class and property the ontology (``ontology/mali-kg.ttl``) defines
  in the ``mk:`` namespace: ``"Resolution": "mk:Resolution"``; an object property is
  ``{"@id": "mk:adoptedBy", "@type": "@id"}``; a datatype property is typed with the XSD
  datatype its values have: the one the shapes (``shapes/mali-kg.shapes.ttl``) require for
  it, else its range in the ontology. The shapes come first because they state the exact
  datatype of the data where the ontology cannot (OWL 2 has no ``xsd:date``, so dates range
  over ``rdfs:Literal``; offsets are stored as ``xsd:integer`` within an
  ``xsd:nonNegativeInteger`` range). ``xsd:string`` is never a coercion: plain strings stay
  plain, and language-tagged strings keep their ``@language``.

:func:`write` writes triples as a compacted JSON-LD document that references the context by
its IRI (or embeds it): one flat node object per subject under ``@graph``, short terms where a
term's coercion fits the value, compact IRIs (``id:minusma``, ``rdfs:label``) elsewhere. Values
are exactly the RDF terms (lexical forms as strings, never native JSON numbers), so the
document reads back to the same triples with any JSON-LD processor that is given the context.
The engine (pyoxigraph) writes the expanded form. Nothing here needs more than pyoxigraph, so
it runs in the worker processes too.
"""

from __future__ import annotations

import json
from functools import cache

import pyoxigraph as ox

from . import namespaces as ns
from . import resources

CONTEXT_IRI = ns.BASE + "context.jsonld"

JSONLD = "http://www.w3.org/ns/json-ld#"
EXPANDED = JSONLD + "expanded"
COMPACTED = JSONLD + "compacted"
FLATTENED = JSONLD + "flattened"
CONTEXT_REL = JSONLD + "context"  # the Link relation naming a JSON-LD context

_RDF_TYPE = ns.RDF + "type"
_OWL = ns.OWL
_SH = ns.PREFIXES["sh"]


def _objects(graph: ox.Store, subject, predicate: str) -> list:
    return [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _subjects_of_type(graph: ox.Store, cls: str) -> list[str]:
    return sorted(q.subject.value for q in graph.quads_for_pattern(
        None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(cls))
        if isinstance(q.subject, ox.NamedNode))


def _load(path) -> ox.Store:
    graph = ox.Store()
    graph.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=ns.BASE)
    return graph


def _shape_datatypes(shapes: ox.Store) -> dict[str, str]:
    """Property IRI → the one datatype every shape that constrains it requires."""
    found: dict[str, set[str]] = {}
    for q in shapes.quads_for_pattern(None, ox.NamedNode(_SH + "datatype"), None):
        for path in _objects(shapes, q.subject, _SH + "path"):
            if isinstance(path, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                found.setdefault(path.value, set()).add(q.object.value)
    return {p: next(iter(d)) for p, d in found.items() if len(d) == 1}


def _term_name(iri: str) -> str | None:
    """The short name for an ``mk:`` IRI, or None when it would clash with a prefix."""
    if not iri.startswith(ns.MK):
        return None
    name = iri[len(ns.MK):]
    if not name or name in ns.PREFIXES or name.startswith("@") or \
            not all(c.isalnum() or c in "-_" for c in name):
        return None
    return name


def _coercion(datatype: str | None) -> str | None:
    """The ``@type`` a datatype property's term gets: an XSD datatype other than xsd:string."""
    if datatype and datatype.startswith(ns.XSD) and datatype != ns.XSD_STRING:
        return "xsd:" + datatype[len(ns.XSD):]
    return None


@cache
def context() -> dict:
    """The context document: ``{"@context": {prefix: IRI, …, term: definition, …}}``."""
    ontology = _load(resources.ontology_file())
    shapes = _shape_datatypes(_load(resources.shapes_file()))
    definitions: dict[str, object] = dict(ns.PREFIXES)
    terms: dict[str, object] = {}
    for cls in _subjects_of_type(ontology, _OWL + "Class"):
        name = _term_name(cls)
        if name:
            terms[name] = "mk:" + name
    for kind in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty"):
        for prop in _subjects_of_type(ontology, _OWL + kind):
            name = _term_name(prop)
            if not name or name in terms:
                continue
            if kind == "ObjectProperty":
                terms[name] = {"@id": "mk:" + name, "@type": "@id"}
                continue
            ranges = [r.value for r in _objects(ontology, ox.NamedNode(prop),
                                                ns.RDFS + "range")
                      if isinstance(r, ox.NamedNode)]
            datatype = shapes.get(prop) or next((r for r in ranges if r.startswith(ns.XSD)),
                                                None)
            coerced = _coercion(datatype) if kind == "DatatypeProperty" else None
            terms[name] = {"@id": "mk:" + name, "@type": coerced} if coerced \
                else "mk:" + name
    definitions.update(sorted(terms.items()))
    return {"@context": definitions}


@cache
def context_bytes() -> bytes:
    """The context document as served: indented, stable from one start to the next."""
    return (json.dumps(context(), ensure_ascii=False, indent=2) + "\n").encode()


class _Writer:
    """Compacts RDF terms against :func:`context` (built once per process)."""

    def __init__(self, definitions: dict):
        self.prefixes = sorted(ns.PREFIXES.items(), key=lambda pair: -len(pair[1]))
        self.names = set(definitions)
        self.terms: dict[str, tuple[str, str | None]] = {}  # IRI → (term, @type)
        self.vocab_terms: dict[str, str] = {}  # IRI → term, for @type values
        for name, d in definitions.items():
            if name in ns.PREFIXES:
                continue
            if isinstance(d, str):
                iri = self.expand(d)
                self.terms.setdefault(iri, (name, None))
                self.vocab_terms.setdefault(iri, name)
            else:
                datatype = d["@type"]
                self.terms[self.expand(d["@id"])] = (
                    name, datatype if datatype == "@id" else self.expand(datatype))

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return ns.PREFIXES[prefix] + local

    def safe(self, iri: str) -> bool:
        """False for an absolute IRI whose scheme a processor would take for a prefix."""
        return iri.partition(":")[0] not in self.names

    def iri(self, iri: str) -> str:
        """A compact IRI (``id:minusma``) when a prefix covers ``iri``, else ``iri``."""
        for prefix, base in self.prefixes:
            if iri.startswith(base):
                local = iri[len(base):]
                if local and not local.startswith("//"):
                    return f"{prefix}:{local}"
                break
        if not self.safe(iri):
            raise _NotCompactable
        return iri

    def node_id(self, term) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        raise _NotCompactable  # a triple term: the engine's writer refuses it

    def vocab(self, iri: str) -> str:
        """A type or property: its term, else a compact IRI, else the IRI."""
        return self.vocab_terms.get(iri) or self.iri(iri)

    def value(self, term) -> object:
        """The value object for ``term`` under a key that coerces nothing."""
        if isinstance(term, ox.Literal):
            if term.language:
                obj = {"@value": term.value, "@language": term.language}
                if term.direction:
                    obj["@direction"] = term.direction
                return obj
            if term.datatype.value == ns.XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.vocab(term.datatype.value)}
        return {"@id": self.node_id(term)}

    def entry(self, predicate: str, term) -> tuple[str, object]:
        """The key and value for one triple's predicate and object."""
        found = self.terms.get(predicate)
        if found is not None:
            name, datatype = found
            if datatype is None:
                return name, self.value(term)
            if datatype == "@id" and isinstance(term, ox.NamedNode | ox.BlankNode):
                return name, self.node_id(term)
            if isinstance(term, ox.Literal) and not term.language and \
                    term.datatype.value == datatype:
                return name, term.value
        # No term fits this value: a compact IRI key carries no coercion.
        return self.iri(predicate), self.value(term)


class _NotCompactable(ValueError):
    """A term the compacted form cannot carry faithfully (the expanded form is written)."""


@cache
def _writer() -> _Writer:
    return _Writer(context()["@context"])


def choose_form(profiles: tuple[str, ...], default: str = COMPACTED) -> str:
    """:data:`EXPANDED` or :data:`COMPACTED`: the first of them the client's ``profile``
    names, else ``default``. (Both forms are written flat, so ``#flattened`` is met either
    way.)"""
    return next((p for p in profiles if p in (EXPANDED, COMPACTED)), default)


def media_type(form: str, profiles: tuple[str, ...] = ()) -> str:
    """``application/ld+json`` with the profile of what is served: the form, after
    ``#flattened`` when the client asked for it."""
    served = ([FLATTENED] if FLATTENED in profiles else []) + [form]
    return f'application/ld+json; profile="{" ".join(served)}"'


def context_link(href: str) -> str:
    """A Link header naming the context of a compacted document at ``href`` (where this
    server serves it; the document itself references the published :data:`CONTEXT_IRI`)."""
    return f'<{href}>; rel="{CONTEXT_REL}"; type="application/ld+json"'


def write(triples, form: str = COMPACTED, *, embed: bool = False) -> tuple[bytes, str]:
    """Triples as JSON-LD in ``form``, and the form written.

    The compacted form references :data:`CONTEXT_IRI`, or with ``embed`` carries the context
    itself (a file that reads offline). What it cannot carry faithfully (an IRI whose scheme
    is one of the context's names) is written in the engine's expanded form instead, and
    :data:`EXPANDED` is returned; triple terms are refused as the engine refuses them.
    """
    triples = list(triples)
    if form == COMPACTED:
        try:
            return _compact(_writer(), triples, embed), COMPACTED
        except _NotCompactable:
            pass
    return ox.serialize(triples, format=ox.RdfFormat.JSON_LD), EXPANDED


def compact(triples) -> bytes:
    """Triples as a compacted JSON-LD document (see :func:`write`)."""
    return write(triples, COMPACTED)[0]


def _compact(w: _Writer, triples: list, embed: bool) -> bytes:
    nodes: dict = {}
    for t in triples:
        node = nodes.get(t.subject)
        if node is None:
            node = nodes[t.subject] = {"@id": w.node_id(t.subject)}
        if t.predicate.value == _RDF_TYPE and not isinstance(t.object, ox.Literal):
            key, value = "@type", (w.vocab(t.object.value) if isinstance(t.object, ox.NamedNode)
                                   else w.node_id(t.object))
        else:
            key, value = w.entry(t.predicate.value, t.object)
        old = node.get(key)
        if old is None:
            node[key] = value
        elif isinstance(old, list):
            old.append(value)
        else:
            node[key] = [old, value]
    graph = [{"@id": n["@id"], "@type": n["@type"], **n} if "@type" in n else n
             for n in nodes.values()]  # "@id" and "@type" first, for people reading it
    doc = {"@context": context()["@context"] if embed else CONTEXT_IRI, "@graph": graph}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def inline_context(data: bytes) -> bytes:
    """JSON-LD text with each reference to :data:`CONTEXT_IRI` replaced by the context itself,
    so that a parser that never fetches anything (the engine's) reads the documents this
    project publishes. Other remote contexts are left as they are (the parser refuses them);
    text that is not JSON is returned unchanged, for the parser to report."""
    if CONTEXT_IRI.encode() not in data:
        return data
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return data
    inline = context()["@context"]
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            found = node.get("@context")
            if found == CONTEXT_IRI:
                node["@context"] = inline
            elif isinstance(found, list):
                node["@context"] = [inline if c == CONTEXT_IRI else c for c in found]
            stack.extend(v for k, v in node.items() if k != "@context")
    try:
        return json.dumps(doc, ensure_ascii=False).encode()
    except RecursionError:
        return data
