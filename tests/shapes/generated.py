"""Random shapes and data for the differential tests (``test_differential.py``).

The strategy :func:`scenarios` draws a small data graph and a shapes graph over a fixed
vocabulary: every constraint component the SPARQL engine translates, nested through sh:node,
sh:not, sh:and, sh:or, sh:xone, sh:property and qualified value shapes, on property paths of
every kind, with severities, deactivation and targets of every kind (sh:targetClass,
sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, implicit class targets), and a few
SHACL-SPARQL constraints.

What the generator leaves out on purpose are the known differences between the engines
(``KNOWN_DIFFERENCES`` in ``test_differential.py``): literals are written in Oxigraph's
canonical form with lower-case language tags, sh:lessThan compares literals only, language
ranges have one subtag, and the comparisons of sh:minInclusive & co. never mix strings with
language-tagged strings or booleans with numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

EX = Namespace("http://example.org/")
CLASSES = [EX.C0, EX.C1, EX.C2]
PREDICATES = [EX.p0, EX.p1, EX.p2]
LITERAL_PREDICATES = [EX.q, EX.r]  # literal values only (sh:lessThan compares them)
NODES = [EX.n0, EX.n1, EX.n2, EX.n3]
BLANKS = [BNode("b0"), BNode("b1")]
OUTSIDE = EX.n9  # a node that is in no triple of the data
STRINGS = [Literal("a"), Literal("abc"), Literal("A1"), Literal("b")]
TAGGED = [Literal("x", lang="en"), Literal("y", lang="en"), Literal("z", lang="fr"),
          Literal("w", lang="en-us")]
NUMBERS = [Literal(1), Literal(5), Literal(-3), Literal(Decimal("2.5"))]
OTHERS = [Literal(True), Literal(date(2023, 6, 30)),
          Literal("2023-02-30", datatype=XSD.date),  # ill-typed: no such day
          Literal("abc", datatype=XSD.integer)]  # ill-typed
LITERALS = STRINGS + TAGGED + NUMBERS + OTHERS
TERMS = NODES + BLANKS + LITERALS
# pySHACL compares numbers with dates, booleans and ill-typed literals by their Python values;
# SPARQL cannot compare them. A scenario with range constraints has no such literals.
RANGE_SAFE_TERMS = NODES + BLANKS + STRINGS + TAGGED + NUMBERS
COMPARABLE = STRINGS + NUMBERS  # what sh:lessThan compares
DATATYPES = [XSD.string, XSD.integer, XSD.decimal, XSD.date, XSD.boolean, RDF.langString,
             XSD.anyURI]
NODE_KINDS = [SH.IRI, SH.BlankNode, SH.Literal, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral,
              SH.IRIOrLiteral]
BOUNDS = [Literal(1), Literal(3), Literal(Decimal("2.5"))]
PATTERNS = ["^a", "b", "^[0-9-]+$", "^A", "n[0-2]$"]
SEVERITIES = [SH.Violation, SH.Warning, SH.Info]

# Every component the generator writes, by its local name; test_differential checks that
# the generated examples reach each of them.
COMPONENT_NAMES = (
    "Class", "Datatype", "NodeKind", "MinCount", "MaxCount", "MinExclusive", "MinInclusive",
    "MaxExclusive", "MaxInclusive", "MinLength", "MaxLength", "Pattern", "LanguageIn",
    "UniqueLang", "Equals", "Disjoint", "LessThan", "LessThanOrEquals", "Not", "And", "Or",
    "Xone", "Node", "Property", "QualifiedMinCount", "QualifiedMaxCount", "Closed", "HasValue",
    "In", "SPARQL")


@dataclass
class Scenario:
    data: Graph
    shapes: Graph
    range_safe: bool = False  # the data has only literals pySHACL and SPARQL compare alike
    components: set[str] = field(default_factory=set)  # what the shapes use
    features: set[str] = field(default_factory=set)  # targets, paths, nesting…

    def describe(self) -> str:
        return ("# shapes\n" + self.shapes.serialize(format="turtle")
                + "\n# data\n" + self.data.serialize(format="nt"))


class _Builder:
    """Adds shapes to a graph, recording what it used."""

    def __init__(self, draw, shapes: Graph, scenario: Scenario) -> None:
        self.draw = draw
        self.g = shapes
        self.s = scenario
        self.count = 0

    def new(self, named: bool) -> URIRef | BNode:
        self.count += 1
        return EX[f"S{self.count}"] if named else BNode()

    def lst(self, items) -> BNode | URIRef:
        items = list(items)
        if not items:
            return RDF.nil
        head = BNode()
        Collection(self.g, head, items)
        return head

    # --- shapes -------------------------------------------------------------------------

    def node_shape(self, depth: int, node=None) -> URIRef | BNode:
        d = self.draw
        s = node or self.new(d(st.booleans()))
        self.g.add((s, RDF.type, SH.NodeShape))
        self.common(s)
        for _ in range(d(st.integers(0, 3 if depth > 0 else 2))):
            self.constraint(s, depth, property_shape=False, path=None)
        for _ in range(d(st.integers(0, 2 if depth > 0 else 1))):
            p = self.property_shape(depth - 1)
            self.g.add((s, SH.property, p))
            self.s.components.add("Property")
        if d(st.integers(0, 9)) == 0:
            self.closed(s)
        return s

    def property_shape(self, depth: int) -> URIRef | BNode:
        d = self.draw
        s = self.new(d(st.integers(0, 3)) == 0)
        if d(st.booleans()):
            self.g.add((s, RDF.type, SH.PropertyShape))
        path, simple = self.path(2)
        self.g.add((s, SH.path, path))
        self.common(s)
        for _ in range(d(st.integers(1, 3))):
            self.constraint(s, depth, property_shape=True, path=path if simple else None)
        if depth > 0 and d(st.integers(0, 5)) == 0:
            child = self.property_shape(depth - 1)
            self.g.add((s, SH.property, child))
            self.s.components.add("Property")
            self.s.features.add("property of a property shape")
        return s

    def shape(self, depth: int) -> URIRef | BNode:
        """A shape to nest (sh:node takes node shapes; the others take either)."""
        if self.draw(st.booleans()):
            return self.node_shape(depth)
        return self.property_shape(depth)

    def common(self, s) -> None:
        d = self.draw
        if d(st.integers(0, 2)) == 0:
            self.g.add((s, SH.severity, d(st.sampled_from(SEVERITIES))))
            self.s.features.add("severity")
        if d(st.integers(0, 11)) == 0:
            self.g.add((s, SH.deactivated, Literal(d(st.booleans()))))
            self.s.features.add("deactivated")

    def closed(self, s) -> None:
        d = self.draw
        self.g.add((s, SH.closed, Literal(True)))
        if d(st.booleans()):
            ignored = d(st.lists(st.sampled_from([RDF.type, *PREDICATES]), max_size=2,
                                 unique=True))
            self.g.add((s, SH.ignoredProperties, self.lst(ignored)))
        self.s.components.add("Closed")

    # --- paths --------------------------------------------------------------------------

    def path(self, depth: int, inverted: bool = False):
        """(path node, is the path the literal-valued ex:q); no sequence under an inverse path
        (a known difference: pySHACL keeps the order of its steps)."""
        d = self.draw
        kinds = ["iri", "iri", "iri", "literal", "literal", "inverse", "sequence",
                 "alternative", "zeroOrMore", "oneOrMore", "zeroOrOne"
                 ] if depth > 0 else ["iri", "literal"]
        if inverted:
            kinds = [k for k in kinds if k != "sequence"]
        kind = d(st.sampled_from(kinds))
        if kind == "iri":
            return d(st.sampled_from(PREDICATES)), False
        if kind == "literal":
            return EX.q, True
        self.s.features.add(f"path {kind}")
        node = BNode()
        if kind == "sequence":
            Collection(self.g, node, [self.path(depth - 1)[0], self.path(depth - 1)[0]])
        elif kind == "alternative":
            members = [self.path(depth - 1, inverted)[0], self.path(depth - 1, inverted)[0]]
            self.g.add((node, SH.alternativePath, self.lst(members)))
        elif kind == "inverse":
            self.g.add((node, SH.inversePath, self.path(depth - 1, True)[0]))
        else:
            self.g.add((node, SH[kind + "Path"], d(st.sampled_from(PREDICATES))))
        return node, False

    # --- constraints ----------------------------------------------------------------------

    def constraint(self, s, depth: int, *, property_shape: bool, path) -> None:
        d = self.draw
        names = ["Class", "Datatype", "NodeKind", "MinLength", "MaxLength", "Pattern",
                 "LanguageIn", "In", "HasValue", "Equals", "Disjoint", "SPARQL"]
        if self.s.range_safe:
            names += ["MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"] * 2
        if depth > 0:
            names += ["Node", "Not", "And", "Or", "Xone"]
        if property_shape:
            names += ["MinCount", "MaxCount", "UniqueLang", "MinCount", "MaxCount"]
            if depth > 0:
                names += ["Qualified"]
            if path == EX.q:
                names += ["LessThan", "LessThanOrEquals"] * 4
        name = d(st.sampled_from(names))
        g = self.g
        add = lambda p, o: g.add((s, p, o))  # noqa: E731
        if name == "Class":
            add(SH["class"], d(st.sampled_from(CLASSES)))
        elif name == "Datatype":
            add(SH.datatype, d(st.sampled_from(DATATYPES)))
        elif name == "NodeKind":
            add(SH.nodeKind, d(st.sampled_from(NODE_KINDS)))
        elif name in ("MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"):
            add(SH[name[0].lower() + name[1:]], d(st.sampled_from(BOUNDS)))
        elif name in ("MinLength", "MaxLength"):
            add(SH[name[0].lower() + name[1:]], Literal(d(st.integers(1, 4))))
        elif name == "Pattern":
            add(SH.pattern, Literal(d(st.sampled_from(PATTERNS))))
            if d(st.booleans()):
                add(SH.flags, Literal("i"))
        elif name == "LanguageIn":
            tags = d(st.lists(st.sampled_from(["en", "fr", "*"]), min_size=1, max_size=2,
                              unique=True))
            add(SH.languageIn, self.lst(Literal(t) for t in tags))
        elif name == "In":
            members = d(st.lists(st.sampled_from(NODES + LITERALS), min_size=1, max_size=3,
                                 unique=True))
            add(SH["in"], self.lst(members))
        elif name == "HasValue":
            add(SH.hasValue, d(st.sampled_from(NODES + STRINGS + NUMBERS + TAGGED)))
        elif name in ("Equals", "Disjoint"):
            add(SH[name[0].lower() + name[1:]], d(st.sampled_from(PREDICATES + [EX.q])))
        elif name in ("LessThan", "LessThanOrEquals"):
            add(SH[name[0].lower() + name[1:]], EX.r)
        elif name in ("MinCount", "MaxCount"):
            if (s, SH[name[0].lower() + name[1:]], None) in g:
                return
            add(SH[name[0].lower() + name[1:]], Literal(d(st.integers(0, 3))))
        elif name == "UniqueLang":
            if (s, SH.uniqueLang, None) in g:
                return
            add(SH.uniqueLang, Literal(True))
        elif name == "Node":
            add(SH.node, self.node_shape(depth - 1))
        elif name == "Not":
            add(SH["not"], self.shape(depth - 1))
        elif name in ("And", "Or", "Xone"):
            members = [self.shape(depth - 1) for _ in range(d(st.integers(1, 3)))]
            add(SH[name.lower()], self.lst(members))
        elif name == "Qualified":
            if (s, SH.qualifiedValueShape, None) in g:
                return
            add(SH.qualifiedValueShape, self.shape(depth - 1))
            which = d(st.sampled_from(["min", "max", "both"]))
            if which in ("min", "both"):
                add(SH.qualifiedMinCount, Literal(d(st.integers(0, 2))))
                self.s.components.add("QualifiedMinCount")
            if which in ("max", "both"):
                add(SH.qualifiedMaxCount, Literal(d(st.integers(0, 2))))
                self.s.components.add("QualifiedMaxCount")
            if d(st.booleans()):
                add(SH.qualifiedValueShapesDisjoint, Literal(True))
                self.s.features.add("qualified value shapes disjoint")
            return
        elif name == "SPARQL":
            self.sparql(s, property_shape, simple_path=path is not None or isinstance(
                self.g.value(s, SH.path), URIRef))
        if name in ("Datatype", "NodeKind", "MinLength", "MaxLength", "LanguageIn", "In"):
            # SHACL allows one value of these: keep the first one drawn.
            p = {"Datatype": SH.datatype, "NodeKind": SH.nodeKind, "MinLength": SH.minLength,
                 "MaxLength": SH.maxLength, "LanguageIn": SH.languageIn, "In": SH["in"]}[name]
            values = list(g.objects(s, p))
            for extra in values[1:]:
                g.remove((s, p, extra))
        self.s.components.add(name)

    def sparql(self, s, property_shape: bool, simple_path: bool) -> None:
        d = self.draw
        if property_shape and not simple_path:
            # pySHACL writes some complex paths into $PATH as SPARQL it cannot parse.
            select = ("SELECT $this WHERE { $this <http://example.org/p1> ?o . "
                      "FILTER (isIRI(?o)) }")
        elif property_shape:
            select = d(st.sampled_from([
                "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (isBlank(?value)) }",
                "SELECT $this ?value WHERE { $this $PATH ?value . "
                "FILTER NOT EXISTS { ?value a <http://example.org/C0> } }",
            ]))
        else:
            select = d(st.sampled_from([
                "SELECT $this WHERE { FILTER NOT EXISTS { $this <http://example.org/p0> ?o } }",
                "SELECT $this ?value WHERE { $this <http://example.org/p1> ?value . "
                "FILTER (isLiteral(?value) && STRLEN(STR(?value)) > 2) }",
                "SELECT $this ?value\n{ $this <http://example.org/p2> ?value\n"
                "  # a comment with a brace }\n  FILTER (?value != \"}\") }",
            ]))
        c = BNode()
        self.g.add((s, SH.sparql, c))
        self.g.add((c, RDF.type, SH.SPARQLConstraint))
        self.g.add((c, SH.select, Literal(select)))


@st.composite
def scenarios(draw) -> Scenario:
    scenario = Scenario(Graph(), Graph(), range_safe=draw(st.booleans()))
    data, shapes = scenario.data, scenario.shapes
    terms = RANGE_SAFE_TERMS if scenario.range_safe else TERMS
    # The data: a few triples between nodes, literal-valued ex:q and ex:r, types, subclasses.
    subjects = NODES + BLANKS
    for _ in range(draw(st.integers(0, 14))):
        data.add((draw(st.sampled_from(subjects)), draw(st.sampled_from(PREDICATES)),
                  draw(st.sampled_from(terms))))
    for _ in range(draw(st.integers(0, 5))):
        data.add((draw(st.sampled_from(subjects)), draw(st.sampled_from(LITERAL_PREDICATES)),
                  draw(st.sampled_from(COMPARABLE))))
    for _ in range(draw(st.integers(0, 5))):
        data.add((draw(st.sampled_from(subjects)), RDF.type, draw(st.sampled_from(CLASSES))))
    for i, c in enumerate(CLASSES[1:], 1):
        if draw(st.booleans()):
            data.add((c, RDFS.subClassOf, CLASSES[draw(st.integers(0, i - 1))]))
    # The shapes: one to three shapes with targets.
    b = _Builder(draw, shapes, scenario)
    for _ in range(draw(st.integers(1, 3))):
        implicit = draw(st.integers(0, 5)) == 0
        if implicit:
            root = draw(st.sampled_from(CLASSES))
            if (root, RDF.type, SH.NodeShape) in shapes:
                continue
            shapes.add((root, RDF.type, RDFS.Class))
            b.node_shape(2, node=root)
            scenario.features.add("target implicit class")
            continue
        root = b.node_shape(2) if draw(st.integers(0, 4)) else b.property_shape(2)
        for _ in range(draw(st.integers(1, 2))):
            kind = draw(st.sampled_from(["targetClass", "targetNode", "targetSubjectsOf",
                                         "targetObjectsOf"]))
            scenario.features.add(f"target {kind}")
            value = {
                "targetClass": lambda: draw(st.sampled_from(CLASSES)),
                "targetNode": lambda: draw(st.sampled_from(NODES + [OUTSIDE, Literal("a")])),
                "targetSubjectsOf": lambda: draw(st.sampled_from(PREDICATES + [EX.q])),
                "targetObjectsOf": lambda: draw(st.sampled_from(PREDICATES + [EX.q])),
            }[kind]()
            shapes.add((root, SH[kind], value))
    return scenario
