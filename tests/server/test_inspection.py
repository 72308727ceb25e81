"""The query gate in-process: escapes, tokens, SERVICE/FROM extraction, limits."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from mali_kg.gate.inspection import InspectionError, inspect_query
from mali_kg.gate.lexer import LexError, TokenKind, decode_escapes, tokenize
from mali_kg.negotiation import choose, parse_accept

LIMITS = {"max_bytes": 128 * 1024, "max_depth": 100}


def inspect(query: str, **kw):
    return inspect_query(query, **{**LIMITS, **kw})


def test_decode_escapes():
    assert decode_escapes(r"\u0053ERVICE") == "SERVICE"
    assert decode_escapes(r"\U0001F600") == "\U0001f600"
    with pytest.raises(LexError):
        decode_escapes(r"\uD800")
    with pytest.raises(LexError):
        decode_escapes(r"\u005Cu0053")  # an escape left after decoding once


def test_tokens_keep_strings_iris_and_comments_apart():
    kinds = [(t.kind, t.text) for t in tokenize(
        'SELECT ?x WHERE { ?x <http://a#b> "SERVICE # not a comment" . } # SERVICE')]
    assert (TokenKind.IRI, "<http://a#b>") in kinds
    assert (TokenKind.STRING, '"SERVICE # not a comment"') in kinds
    assert all(text != "SERVICE" for kind, text in kinds if kind is TokenKind.WORD)


def test_prefixed_name_escapes_are_not_comments_or_strings():
    tokens = tokenize(r"ex:a\#b ex:c\'d ?o")
    assert [t.kind for t in tokens] == [TokenKind.PNAME, TokenKind.PNAME, TokenKind.VAR]


def test_tokenizer_handles_hostile_shapes():
    # Inputs that make a naive tokenizer quadratic; these finish at once here.
    assert len(tokenize("a." * 50_000)) == 100_000
    assert len(tokenize("<" + "a" * 100_000)) == 2
    with pytest.raises(LexError):
        tokenize('"' + "a" * 100_000)


@pytest.mark.parametrize("query,form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX a: <http://a/> BASE <http://b/> ask { ?s ?p ?o }", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# comment\nDESCRIBE <http://x>", "DESCRIBE"),
])
def test_query_form(query, form):
    assert inspect(query).form == form


def test_services_and_graphs_are_resolved():
    found = inspect("BASE <http://b/> PREFIX p: <http://p/> SELECT * FROM <g1> FROM NAMED p:g2 "
                    "WHERE { SERVICE SILENT p:svc { ?s ?p ?o } }",
                    allowed_services=frozenset({"http://p/svc"}))
    assert found.services == ("http://p/svc",)
    assert found.from_graphs == ("http://b/g1",)
    assert found.from_named_graphs == ("http://p/g2",)


@pytest.mark.parametrize("query,status", [
    ("SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }", 403),
    (r"SELECT * WHERE { \u0053ERVICE <http://evil/> { ?s ?p ?o } }", 403),
    ("SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }", 403),
    ("SELECT * WHERE { SERVICE q:x { ?s ?p ?o } }", 400),
    ("INSERT DATA { <a> <b> <c> }", 403),
    ("", 400),
    ("LIMIT 3", 400),
    ("SELECT * WHERE { ?s ?p 'unterminated }", 400),
    ("SELECT * WHERE " + "{" * 101 + "}" * 101, 400),
    ("SELECT * WHERE {} #" + "x" * (128 * 1024), 413),
])
def test_refusals(query, status):
    with pytest.raises(InspectionError) as e:
        inspect(query)
    assert e.value.status == status


def test_syntax_error_position():
    with pytest.raises(InspectionError) as e:
        inspect("SELECT *\nWHERE {\n  ?s ?p 'oops\n}")
    assert (e.value.line, e.value.column) == (3, 9)


def test_accept_parsing():
    assert choose(["a/b", "c/d"], "c/d;q=0.5, a/b;q=0.4") == "c/d"
    assert choose(["a/b", "c/d"], "*/*") == "a/b"
    assert choose(["a/b", "c/d"], "c/*") == "c/d"
    assert choose(["a/b"], "x/y") is None
    assert choose(["a/b"], "a/b;q=0") is None
    assert choose(["a/b"], "a/b;q=nonsense, */*;q=0.1") == "a/b"
    assert choose(["a/b"], None) == "a/b"
    assert choose(["a/b"], "x/json", {"x/json": "a/b"}) == "a/b"
    assert parse_accept(";;;,,,/") == ()


def test_runs_of_unary_not_count_as_nesting():
    with pytest.raises(InspectionError) as e:
        inspect("ASK { FILTER(" + "!" * 101 + "true) }")
    assert e.value.status == 400
    inspect("ASK { FILTER(" + "!" * 98 + "true) }")  # with { and ( : 100 deep
    inspect("ASK { FILTER(!?a && !?b && !?c) " + "FILTER(!true) " * 200 + "}")
    inspect("SELECT * { ?s !(<p>|!<q>) ?o }")


def test_a_string_that_never_closes_is_read_once():
    """The short path stops at the first quote that starts no string: trying again one
    character further on would scan an unclosed string to the end of its line at every
    character (quadratic: minutes for these, where one pass takes milliseconds)."""
    from mali_kg.gate.lexer import structure

    for hostile in ("'\\" * 65536, '"\\' * 65536, "ASK { '" + "\\'" * 65536 + " }",
                    '"""' + 'a\\"' * 40000):
        started = time.perf_counter()
        assert structure(hostile) is None
        assert time.perf_counter() - started < 5, hostile[:20]


def test_structure_is_the_tokenizers_brackets_or_none():
    """Where the short path reads brackets off the text with IRIs, strings and comments taken
    out, they are the tokenizer's, the tokenizer accepts the text, and no token is the word
    SERVICE or FROM; anything it cannot be sure of is None (and tokenized)."""
    import json
    import random

    from mali_kg.gate.lexer import LexError, TokenKind, structure, tokenize

    examples = sorted((Path(__file__).parents[2] / "queries" / "examples").glob("*.rq"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    pieces = list("a:._-%\\#<>\"'{}()[]!?$ \n\t\r0123456789&|^@*+=,;/`~") + [
        "FROM ", " from", "Service", "ſervice ", "SERVİCE ", "é" * 70, "\u00b7", "\u0301",
        "\x01", "\x0b", '"""', "'''", "!=", "&&", "1from", "?from", "$service", ":from",
        "_x", "a_", "1_", "?_", "_:", "_:b", "ex:a\\'", "\\#", "%20", "<a b>", '"a\\"b"',
        "'\\", '"\n"', "e5_", "1e5", ".5", "<http://x/>"]
    rng = random.Random(11)
    read = 0
    for _ in range(4000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            cut = rng.randint(0, len(text))
            text = text[:cut] + "".join(rng.choice(pieces) for _ in range(
                rng.randint(0, 8))) + text[cut + rng.choice((0, 0, 1, 2)):]
        brackets = structure(text)
        if brackets is None:
            continue
        read += 1
        try:
            tokens = tokenize(text)
        except LexError:
            raise AssertionError(f"brackets for a text the tokenizer refuses: "
                                 f"{json.dumps(text)}") from None
        assert brackets == "".join(t.text for t in tokens if t.kind is TokenKind.PUNCT
                                   and t.text in "{}()[]!"), json.dumps(text)
        assert not any(t.kind is TokenKind.WORD and t.text.upper() in ("SERVICE", "FROM")
                       for t in tokens), json.dumps(text)
    assert read > 500  # the short path still reads most edited queries


def test_the_short_path_inspects_as_the_tokenizer_does(monkeypatch):
    """Queries with no SERVICE or FROM and few brackets are read without tokenizing them
    whole; the answer (or the refusal) must be the one full tokenization gives."""
    import json
    import random

    from mali_kg.gate import inspection
    from mali_kg.gate.lexer import structure

    examples = sorted((Path(__file__).parents[2] / "queries" / "examples").glob("*.rq"))
    assert examples
    texts = [p.read_text(encoding="utf-8") for p in examples]
    assert all(structure(t) is not None for t in texts)
    pieces = list("a:._-%\\#<>\"'{}()[]!?$ \n0123456789") + [
        "PREFIX ", "BASE ", "SELECT", "FROM ", " from", "Service", "ſervice ", "SERVİCE ",
        "ıf ", "é" * 70, "NAMED",
        "<http://x/>", "\x01", '"""', "INSERT", "ASK", "x:", "_:b"]
    # For the prologue and the form, read a declaration at a time: keywords in other cases
    # and spellings, a keyword running into a name, IRIs a base cannot resolve.
    head_pieces = pieces + [
        "prefix", "PREFIX:", "PREFIX ex:a", "BaSe<http://q/>", "baſe ", "prefıx ", "\u212a",
        "<http://[::1/>", "#c\n", "\t", "\r", "select", "ask", "Construct", "DESCRIBE",
        "SELECT-", "SELECT.", "ASKx", "\u00b7", "\u0301", "WITH", "<>"]
    rng = random.Random(3)

    def outcome(text: str, *, short: bool):
        if not short:
            monkeypatch.setattr(inspection, "structure", lambda t: None)
        try:
            r = inspection._inspect(text, 100, "https://w3id.org/mali-kg/")
            return (r.text, r.form, r.services, r.from_graphs, r.from_named_graphs)
        except InspectionError as e:
            return (e.status, e.message, e.line, e.column)
        finally:
            monkeypatch.undo()

    for _ in range(3000):
        base = rng.choice(texts)
        cut = rng.randint(0, len(base))
        text = base[:cut] + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) + \
            base[cut:]
        assert outcome(text, short=True) == outcome(text, short=False), json.dumps(text)
    for text in ("PREFIX: <x> ASK {}", "PREFİX : <x> ASK {}", "prefıx : <x> ASK {}",
                 "PREFIX ex:a <x> ASK {}", "PREFIX.ex: <x> ASK {}", "PREFIX·: <x> ASK {}",
                 "baſe <http://a/> ASK {}", "BASE <http://[::1/> ASK {}", "as\u212a {}",
                 "SELECT:x {}", "# c\nprefix x:<a>#d\nBase<b/>ask{}", "ASK- {}"):
        assert outcome(text, short=True) == outcome(text, short=False), json.dumps(text)
    for _ in range(2000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            cut = rng.randint(0, min(len(text), 400))
            text = text[:cut] + "".join(rng.choice(head_pieces) for _ in range(
                rng.randint(0, 6))) + text[cut + rng.choice((0, 0, 1, 3)):]
        assert outcome(text, short=True) == outcome(text, short=False), json.dumps(text)


GEOSPARQL = "http://www.opengis.net/def/function/geosparql/"


def test_a_built_in_extension_is_found_however_its_iri_is_written():
    """A call of a function pyoxigraph has built in is found whether its IRI is written out,
    relative to a BASE, or as a prefixed name whose prefix stops anywhere short of it (even
    inside the authority): each way checked against the function pyoxigraph itself calls."""
    import random

    import pyoxigraph as ox

    from mali_kg.remote import NotStandard, standard_only

    base_iri = "https://w3id.org/mali-kg/"
    full = GEOSPARQL + "sfIntersects"
    wkt = '"POINT(0 0)"'  # no IRI of the namespace's authority but the one tried

    def refused(text: str) -> bool:
        try:
            standard_only(text, base_iri, frozenset())
        except NotStandard as e:
            assert f"<{full}>" in str(e)
            return True
        return False

    def called(text: str) -> bool | None:
        """Whether pyoxigraph calls the function; None if it refuses the query."""
        seen = []
        try:
            list(ox.Store().query(text, base_iri=base_iri, custom_functions={
                ox.NamedNode(full): lambda *args: seen.append(args)}))
        except (SyntaxError, RuntimeError):  # RuntimeError: a function it does not know
            return None
        return bool(seen)

    def local(part: str) -> str:
        return "".join(c if c.isalnum() or c == ":" else "\\" + c for c in part)

    rng = random.Random(5)
    ways = [("", f"<{full}>"), ("BASE <http://www.opengis.net/a/b>\n", "<../def/function/"
                                "geosparql/sfIntersects>"),
            ("BASE <http://example.org/>\n", "<//www.opengis.net/def/function/geosparql/"
             "sfIntersects>"), ("", "<HTTP://www.opengis.net/def/function/geosparql/"
                                "sfIntersects>"), ("", "<http://www.opengis.net/def/function/"
                                                   "geoSPARQL/sfIntersects>")]
    for _ in range(300):
        k = rng.randint(1, len(full))
        ways.append((f"PREFIX g: <{full[:k]}>\n", "g:" + local(full[k:])))
        ways.append((f"BASE <http://www.opengis.net/x>\nPREFIX g: <{full[22:k]}>\n",
                     "g:" + local(full[k:])))
        k = rng.randint(7, 22)  # a reference of its own authority, cut short in it
        ways.append((f"BASE <http://example.org/>\nPREFIX g: <{full[5:k]}>\n",
                     "g:" + local(full[k:])))
    found = 0
    for prologue, callee in ways:
        text = f"{prologue}SELECT ({callee}({wkt}, {wkt}) AS ?x) WHERE {{}}"
        truth = called(text)
        found += bool(truth)
        if truth is None:  # a query pyoxigraph refuses does not go on to this check
            continue
        assert refused(text) is truth, text
        mention = f"{prologue}SELECT * WHERE {{ ?s ?p {callee} }}"
        assert not refused(mention), mention
    assert found > 300  # most ways do reach the function


BEYOND = [  # what pyoxigraph reads beyond SPARQL 1.1, and what a check must find
    ("SELECT * WHERE { << ?s ?p ?o >> ?q ?r }", "<<"),
    ("SELECT * WHERE { ?s ?p <<( ?a ?b ?c )>> }", "<<"),
    ("SELECT * WHERE { ?s ?p ?o {| ?a ?b |} }", "{|"),
    ("SELECT (TRIPLE(<http://a>, <http://b>, <http://c>) AS ?t) {}", "TRIPLE"),
    ("SELECT (isTriple(?x) AS ?t) {}", "isTriple"),
    ("SELECT (subject#c\n(?t) AS ?x) {}", "subject"),
    ("SELECT (-OBJECT(?t) AS ?x) {}", "OBJECT"),
    ("SELECT * WHERE { ?s ?p ?o LATERAL{ SELECT ?x { ?x ?y ?z } LIMIT 1 } }", "LATERAL"),
    ('SELECT (LANGDIR("a"@en--ltr) AS ?d) {}', "LANGDIR"),
    ('SELECT ("a"@en--rtl AS ?d) {}', "@en--rtl"),
    ('SELECT (hasLANG("a"@en) AS ?d) {}', "hasLANG"),
    ('SELECT (hasLangDir("a"@en) AS ?d) {}', "hasLangDir"),
    ('SELECT (STRLANGDIR("a", "en", "ltr") AS ?d) {}', "STRLANGDIR"),
    ("SELECT (PREDICATE(?t) AS ?d) {}", "PREDICATE"),
    ('VERSION "1.2" SELECT * {}', "VERSION"),
    ('SELECT (ADJUST("2020-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>, '
     '"PT1H"^^<http://www.w3.org/2001/XMLSchema#dayTimeDuration>) AS ?d) {}', "ADJUST"),
]
ONLY_11 = [  # their SPARQL 1.1 neighbours
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "SELECT * { ?s rdf:subject ?o ; rdf:object ?lateral } # -- << {| subject",
    'SELECT ("<< {| LATERAL -- TRIPLE(" AS ?x) {}',
    'SELECT ("x"@subject AS ?x) ?version { ?s <http://x/object> ?version }',
    "SELECT ?s { ?s ?p ?o FILTER(?o < <http://x>) }",
]


def test_what_pyoxigraph_reads_beyond_sparql_11_is_found(monkeypatch):
    import random

    import pyoxigraph as ox

    from mali_kg.gate import beyond_sparql_11, inspection

    for text, construct in BEYOND:
        list(ox.Store().query(text))  # pyoxigraph reads it
        assert beyond_sparql_11(text) == construct, text
    for text in ONLY_11:
        list(ox.Store().query(text))
        assert beyond_sparql_11(text) is None, text
    # Queries not tokenized answer as tokenized ones do.
    examples = sorted((Path(__file__).parents[2] / "queries" / "examples").glob("*.rq"))
    texts = [p.read_text(encoding="utf-8") for p in examples] + ONLY_11
    # Group patterns of either kind, put after a "{" of an example query.
    fragments = [" << ?a0 ?b0 ?c0 >> ?d0 ?e0 . ", " ?a1 ?b1 <<( ?c1 ?d1 ?e1 )>> . ",
                 " ?a2 ?b2 ?c2 {| ?d2 ?e2 |} . ", " BIND(TRIPLE(?a3, ?b3, ?c3) AS ?t3) ",
                 " LATERAL { SELECT ?x4 { ?x4 ?y4 ?z4 } LIMIT 1 } ", ' BIND("a"@en--ltr AS ?l5) ',
                 " FILTER(!isTRIPLE(?q6)) ", " BIND(SUBJECT#\n(?t7) AS ?s7) ",
                 " ?subject <http://x/object> ?lateral . ", ' BIND("<< {| --" AS ?t8) ',
                 " # LATERAL << subject\n", ' BIND("b"@en-gb AS ?l9) ', " ?version ?p10 ?o10 . "]
    rng = random.Random(11)
    edited = []
    for _ in range(1500):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 2)):
            opens = [i for i, c in enumerate(text) if c == "{"]
            cut = rng.choice(opens) + 1
            fragment = rng.choice(fragments)
            fragment = fragment.upper() if rng.random() < 0.2 else fragment
            text = text[:cut] + fragment + text[cut:]
        try:
            list(ox.Store().query(text))
        except (SyntaxError, RuntimeError):
            continue
        edited.append((text, beyond_sparql_11(text)))
    assert len(edited) > 500 and sum(found is not None for _, found in edited) > 300
    monkeypatch.setattr(inspection, "_MAY_BE_BEYOND", re.compile(""))
    for text, found in edited:
        assert beyond_sparql_11(text) == found, text


def test_the_example_queries_are_checked_without_tokens(monkeypatch):
    """What cannot name an IRI in the namespace, or hold something beyond SPARQL 1.1, is
    answered without tokenizing the query."""
    from mali_kg.gate import beyond_sparql_11, calls_written, inspection

    monkeypatch.setattr(inspection, "tokenize", lambda text: pytest.fail(text))
    examples = sorted((Path(__file__).parents[2] / "queries" / "examples").glob("*.rq"))
    for path in examples:
        text = path.read_text(encoding="utf-8")
        assert calls_written(text, GEOSPARQL, "https://w3id.org/mali-kg/") is None
        assert beyond_sparql_11(text) is None


def _calls_by_name(text: str) -> bool:
    """Whether the tokens of ``text`` hold a call by IRI or prefixed name."""
    tokens = tokenize(text)
    return any(tok.kind in (TokenKind.IRI, TokenKind.PNAME) and after.kind is TokenKind.PUNCT
               and after.text == "(" for tok, after in zip(tokens, tokens[1:], strict=False))


def test_a_call_by_name_is_never_missed():
    """may_call_by_name says False only where the tokens hold no call by IRI or prefixed name:
    over the example queries (which call none, and so are only parsed on their way to an
    engine) edited with calls and their near misses."""
    import random

    import pyoxigraph as ox

    from mali_kg.gate import may_call_by_name

    examples = sorted((Path(__file__).parents[2] / "queries" / "examples").glob("*.rq"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    assert not any(may_call_by_name(t) for t in texts)
    fragments = [" FILTER(xsd:integer(?a0) > 1) ", " BIND(<http://x/f> #c\n (?b1) AS ?c1) ",
                 " BIND(ex:f\t(1) AS ?d2) ", " FILTER(!:g(?e3)) ", " BIND(<f>(2) AS ?f4) ",
                 " FILTER(?g5=ex:h(1)) ", " BIND(ex:(1) AS ?h6) ", " FILTER(-<http://x/f>(1)) ",
                 " ?i7 ex:p (1 2) . ", " ?j8 <http://x/p> (3) . ", ' BIND("ex:f(" AS ?k9) ',
                 " # ex:f(\n", " BIND(STR(?l10) AS ?m10) ", " FILTER(?n11 < (1)) ",
                 " ?o12 ex:p ?p12 . ", " BIND(ex:a.b\r\n(1) AS ?q13) ",
                 " BIND(ex:a\\-b (1) AS ?r14) "]
    prologue = "PREFIX ex: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    known = {ox.NamedNode(f"http://{name}"): lambda *args: None for name in (
        "x/f", "example.org/f", "example.org/g", "example.org/h", "example.org/",
        "example.org/a.b", "example.org/a-b")}
    rng = random.Random(13)
    seen = {True: 0, False: 0}
    for _ in range(1500):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 2)):
            opens = [i for i, c in enumerate(text) if c == "{"]
            cut = rng.choice(opens) + 1
            text = text[:cut] + rng.choice(fragments) + text[cut:]
        text = prologue + text
        try:  # the fragments' functions known, so that only a query that parses is kept
            ox.Store().query(text, custom_functions=known)
        except (SyntaxError, RuntimeError):
            continue
        truth = _calls_by_name(text)
        seen[truth] += 1
        if truth:
            assert may_call_by_name(text), text
    assert seen[True] > 300 and seen[False] > 100


def test_calls_by_name_are_looked_for_in_linear_time():
    from mali_kg.gate import may_call_by_name

    for text in (":" * 120_000, "a:" * 60_000, "<" * 120_000, "<a" * 60_000, "<a>#" * 30_000,
                 "<a> " * 30_000, "?x " + "ex:a." * 24_000, "a:\n" * 40_000):
        started = time.perf_counter()
        may_call_by_name(f"SELECT * {{ {text} }}")
        assert time.perf_counter() - started < 5, text[:20]
