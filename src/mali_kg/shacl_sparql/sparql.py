"""SHACL-SPARQL constraints (sh:sparql with sh:select, SHACL §5) for all focus nodes at once.

SHACL runs a constraint's SELECT once per focus node with ``$this`` pre-bound (§5.3.1). Here it
runs once: the focus nodes are joined at the start of the query's WHERE group — what Oxigraph's
own pre-binding (``substitutions``) does for one node, and what pySHACL does through it — and
every result row names its ``?this``.

The query is read twice, never with regular expressions:

- rdflib's SPARQL parser checks it and gives its structure: the form, the projection, and what
  SHACL forbids in a constraint (MINUS, VALUES, SERVICE, subqueries that do not select
  ``$this``). rdflib's algebra cannot be written back to SPARQL faithfully (its serialiser fails
  on ``IN`` lists), and pyoxigraph 0.5 has no parser API, so the query is not regenerated;
- the project's SPARQL tokenizer (:mod:`mali_kg.gate.lexer`) gives the exact place of each
  token — strings, IRIs and comments are single tokens, so braces inside them never count —
  and the edits are made there: the focus nodes after the ``{`` that opens the WHERE group
  (the WHERE keyword is optional), ``$PATH`` and ``$currentShape`` replaced, DISTINCT added
  (pySHACL reports identical rows once).

Inside another shape (sh:node, sh:or…) a constraint is a group pattern: its WHERE group with
``$this`` renamed to the node being checked, every other variable renamed apart, and prefixed
names written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import SH

from ..gate.lexer import LexError, Token, TokenKind, decode_escapes, tokenize, unescape_local
from .shapes import Refused, Shape, show

if TYPE_CHECKING:
    from .translate import Context, Translator

__all__ = ["nested", "top"]


@dataclass
class Parsed:
    """A constraint's query: its text (escapes decoded), tokens and structure."""

    constraint: object
    shape: Shape
    prefixes: dict[str, str]
    text: str
    tokens: list[Token]
    select: int  # index of the SELECT token
    where_open: int  # index of the "{" that opens the WHERE group
    where_close: int  # index of the "}" that closes it
    grouped: bool  # aggregates, GROUP BY or HAVING at the top level
    sliced: bool  # LIMIT or OFFSET at the top level
    projected: set[str]

    @property
    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(self.prefixes.items()))


def top(tr: Translator, shape: Shape, constraint, ctx: Context) -> tuple[str, list[Literal]]:
    """The query of a constraint for every focus node of ``ctx``, and its messages."""
    parsed = _parse(tr, shape, constraint)
    if parsed is None:
        return "", []
    if parsed.sliced:
        raise Refused(f"{_where(parsed)} has LIMIT or OFFSET: SHACL applies them to each focus "
                      "node, one query for all focus nodes cannot.")
    substitutions = _substitutions(tr, parsed)
    edits, moved = _minus_for_not_exists(parsed, substitutions)
    edits += [e for e in substitutions if not any(a <= e[0] < b for a, b in moved)]
    toks = parsed.tokens
    edits.append((toks[parsed.where_open].offset + 1, toks[parsed.where_open].offset + 1,
                  f" {ctx.focus('?this')}\n"))
    # DISTINCT: pySHACL reports identical rows once. The keys: the same node reached from two
    # parents (a property shape of a property shape) is validated twice.
    after = toks[parsed.select + 1]
    modifier = after.kind is TokenKind.WORD and after.text.upper() in ("DISTINCT", "REDUCED")
    last = parsed.select + 1 if modifier else parsed.select
    keys = ""
    if ctx.keys:
        if parsed.grouped:
            raise Refused(f"{_where(parsed)} groups its results, and its shape is a property "
                          "shape of a property shape: the SPARQL engine cannot keep the "
                          "focus nodes of different parents apart.")
        if toks[last + 1].text != "*":
            keys = ctx.key_text
    if modifier:
        edits.append((after.offset, after.offset + len(after.text), "DISTINCT" + keys))
    else:
        end = toks[last].offset + len(toks[last].text)
        edits.append((end, end, " DISTINCT" + keys))
    query = parsed.prologue + _apply(parsed.text, edits)
    messages = [m for m in tr.shapes.graph.objects(constraint, SH.message)
                if isinstance(m, Literal)]
    return query, sorted(messages, key=str)


def nested(tr: Translator, shape: Shape, constraint, x: str) -> list[str]:
    """A group pattern with a solution when the focus node ``x`` violates the constraint."""
    parsed = _parse(tr, shape, constraint)
    if parsed is None:
        return []
    if parsed.grouped or parsed.sliced:
        raise Refused(f"{_where(parsed)} uses aggregates, GROUP BY, HAVING, LIMIT or OFFSET, "
                      "and its shape is used inside another (sh:node, sh:or…): the SPARQL "
                      "engine checks such constraints only at the top level.")
    if "failure" in parsed.projected:
        raise Refused(f"{_where(parsed)} selects ?failure, which the SPARQL engine reports "
                      "only at the top level.")
    edits = _substitutions(tr, parsed)
    suffix = f"_q{tr.counter + 1}_"
    tr.counter += 1
    toks = parsed.tokens
    for t in toks[parsed.where_open + 1:parsed.where_close]:
        if t.kind is TokenKind.VAR:
            name = t.text[1:]
            if name in ("PATH", "currentShape"):
                continue  # replaced by _substitutions
            new = x if name == "this" else f"?{suffix}{name}"
            edits.append((t.offset, t.offset + len(t.text), new))
        elif t.kind is TokenKind.PNAME:
            edits.append((t.offset, t.offset + len(t.text), _expand(parsed, t.text)))
    start = toks[parsed.where_open].offset + 1
    end = toks[parsed.where_close].offset
    inner = [e for e in edits if start <= e[0] and e[1] <= end]
    body = _apply(parsed.text, [(a - start, b - start, r) for a, b, r in inner],
                  parsed.text[start:end])
    return [body + "\n"]


# --- reading the query -------------------------------------------------------------------------

def _where(parsed: Parsed) -> str:
    return f"the SPARQL constraint {show(parsed.constraint)} of {show(parsed.shape.node)}"


def _parse(tr: Translator, shape: Shape, constraint) -> Parsed | None:
    deactivated = tr.shapes.one(constraint, SH.deactivated)
    if deactivated is not None and isinstance(deactivated, Literal) and deactivated.toPython():
        return None
    select = tr.shapes.one(constraint, SH.select)
    where = f"the SPARQL constraint {show(constraint)} of {show(shape.node)}"
    if not isinstance(select, Literal):
        raise Refused(f"{where} has no sh:select (sh:ask and other forms are for constraint "
                      "components, which the SPARQL engine does not translate).")
    prefixes = tr.shapes.prefixes(constraint)
    try:
        text = decode_escapes(str(select))
        tokens = tokenize(text)
    except LexError as e:
        raise Refused(f"{where}: {e}") from None
    algebra = _algebra(prefixes, text, where)
    _check_forbidden(algebra, where)
    i = 0
    while i < len(tokens) and tokens[i].kind is TokenKind.WORD and tokens[i].text.upper() in (
            "PREFIX", "BASE"):
        i += 3 if tokens[i].text.upper() == "PREFIX" else 2
    if i >= len(tokens) or tokens[i].text.upper() != "SELECT":
        raise Refused(f"{where}: sh:select holds no SELECT query.")
    select_at, depth, where_open = i, 0, None
    for j in range(i + 1, len(tokens)):
        t = tokens[j]
        if t.kind is TokenKind.PUNCT and t.text == "(":
            depth += 1
        elif t.kind is TokenKind.PUNCT and t.text == ")":
            depth -= 1
        elif t.kind is TokenKind.PUNCT and t.text == "{" and depth == 0:
            where_open = j
            break
    if where_open is None:
        raise Refused(f"{where}: sh:select has no WHERE group.")
    where_close = _closing(tokens, where_open)
    for j, t in enumerate(tokens[select_at:], select_at):
        if (t.kind is TokenKind.WORD and t.text.upper() == "AS" and j + 1 < len(tokens)
                and tokens[j + 1].kind is TokenKind.VAR and tokens[j + 1].text[1:] == "this"):
            raise Refused(f"{where} binds $this with AS; SHACL pre-binds it.")
    for t in tokens:
        if t.kind is TokenKind.VAR and t.text[1:] == "shapesGraph":
            raise Refused(f"{where} uses $shapesGraph, which the SPARQL engine does not "
                          "provide.")
        if t.kind is TokenKind.VAR and t.text[1:] == "PATH" and not shape.is_property:
            raise Refused(f"{where} uses $PATH in a node shape.")
        if (t.kind is TokenKind.VAR and t.text[1:] == "currentShape"
                and not isinstance(shape.node, URIRef)):
            raise Refused(f"{where} uses $currentShape in a blank-node shape.")
    root = algebra.p
    sliced = root.name == "Slice"
    while root.name in ("Slice", "Distinct", "Reduced", "OrderBy"):
        root = root.p
    projected = {str(v) for v in root.get("PV") or []}
    if "this" not in projected:
        raise Refused(f"{where} does not select $this.")
    grouped = any(n == "AggregateJoin" for n in _names(root.p, stop_at_subqueries=True))
    return Parsed(constraint, shape, prefixes, text, tokens, select_at, where_open,
                  where_close, grouped, sliced, projected)


def _algebra(prefixes: dict[str, str], text: str, where: str):
    try:
        return _parsed(tuple(sorted(prefixes.items())), text)
    except Refused as e:
        raise Refused(f"{where}: {e}") from None


@lru_cache(maxsize=512)
def _parsed(prefixes: tuple[tuple[str, str], ...], text: str):
    """rdflib's algebra of a query (about 10 ms each with pyparsing: kept per process)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in prefixes)
    try:
        return translateQuery(parseQuery(prologue + text)).algebra
    except ParseException as e:
        raise Refused(f"sh:select does not parse ({e.msg}, line "
                      f"{max(1, e.lineno - len(prefixes))}).") from None
    except Exception as e:  # rdflib raises several kinds for an unknown prefix and the like
        raise Refused(f"sh:select cannot be read ({e}).") from None


def _check_forbidden(algebra, where: str) -> None:
    """SHACL §5.3.1: no MINUS, VALUES or SERVICE, and every subquery selects $this. (rdflib
    leaves the patterns of EXISTS in parse-tree form, hence two names for each.)"""
    for name, node in _nodes(algebra):
        if name in ("Minus", "MinusGraphPattern"):
            raise Refused(f"{where} uses MINUS, which SHACL forbids in a constraint.")
        if name in ("values", "InlineData"):
            raise Refused(f"{where} uses VALUES, which SHACL forbids in a constraint.")
        if name == "ServiceGraphPattern":
            raise Refused(f"{where} uses SERVICE, which SHACL forbids in a constraint.")
        selected = None
        if name == "ToMultiSet" and node.p.name != "values":
            project = node.p
            while project.name in ("Slice", "Distinct", "Reduced", "OrderBy"):
                project = project.p
            selected = {str(v) for v in project.get("PV") or []}
        elif name == "SubSelect":
            selected = {str(v.get("var") or v.get("evar")) for v in node.get("projection")
                        or []}
            selected |= set() if node.get("projection") else {"this"}  # SELECT *
        if selected is not None and "this" not in selected:
            raise Refused(f"{where} has a subquery that does not select $this; SHACL "
                          "requires every subquery to select it.")


def _nodes(node, stop_at_subqueries: bool = False):
    """(name, node) for every algebra or parse-tree node under ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n.name, n
            if stop_at_subqueries and n.name == "ToMultiSet":
                continue
            stack.extend(v for k, v in n.items() if not k.startswith("_"))
        elif isinstance(n, list | tuple):
            stack.extend(n)


def _names(node, stop_at_subqueries: bool = False):
    return [name for name, _ in _nodes(node, stop_at_subqueries)]


def _variables(node) -> set[str]:
    from rdflib.plugins.sparql.parserutils import CompValue

    out, stack = set(), [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Variable):
            out.add(str(n))
        elif isinstance(n, CompValue):
            stack.extend(v for k, v in n.items() if not k.startswith("_"))
        elif isinstance(n, list | tuple | set):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.keys())
            stack.extend(n.values())
    return out


def _closing(tokens: list[Token], open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(tokens)):
        t = tokens[j]
        if t.kind is TokenKind.PUNCT and t.text == "{":
            depth += 1
        elif t.kind is TokenKind.PUNCT and t.text == "}":
            depth -= 1
            if depth == 0:
                return j
    raise Refused("unbalanced braces")  # the parser accepted it: cannot happen


# --- editing -------------------------------------------------------------------------------------

def _substitutions(tr: Translator, parsed: Parsed) -> list[tuple[int, int, str]]:
    edits = []
    for t in parsed.tokens:
        if t.kind is not TokenKind.VAR:
            continue
        if t.text[1:] == "PATH":
            edits.append((t.offset, t.offset + len(t.text), parsed.shape.sparql_path))
        elif t.text[1:] == "currentShape":
            edits.append((t.offset, t.offset + len(t.text), f"<{parsed.shape.node}>"))
    return edits


def _apply(text: str, edits: list[tuple[int, int, str]], base: str | None = None) -> str:
    out = text if base is None else base
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + replacement + out[end:]
    return out


def _expand(parsed: Parsed, pname: str) -> str:
    prefix, _, local = pname.partition(":")
    if prefix not in parsed.prefixes:
        raise Refused(f"{_where(parsed)} uses the undeclared prefix {prefix}:.")
    return f"<{parsed.prefixes[prefix]}{unescape_local(local)}>"


# --- FILTER NOT EXISTS → MINUS -------------------------------------------------------------------

def _minus_for_not_exists(parsed: Parsed, substitutions: list[tuple[int, int, str]]
                          ) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Move ``FILTER NOT EXISTS { B }`` blocks of the WHERE group to ``MINUS { B }`` at its end,
    where the two are equivalent and MINUS is faster.

    Oxigraph plans the inside of NOT EXISTS without knowing which variables the row binds, so
    a block that joins several patterns is evaluated from its most selective constant for every
    focus node: quadratic in the graph. MINUS evaluates the block once and subtracts. For each
    row μ of the group, ``NOT EXISTS`` asks whether B has a solution with μ's values put in;
    ``MINUS`` removes μ if B has a solution compatible with μ that shares a variable. They agree
    when (1) ``$this``, bound in every row, is bound in every solution of B; (2) every other
    variable B shares with the rest of the query is bound in every solution of B; and (3) no
    expression inside B (a FILTER, BIND or OPTIONAL condition, including nested EXISTS) reads a
    shared variable its own pattern does not bind — NOT EXISTS would read the row's value there.
    Blocks of a single triple pattern keep NOT EXISTS: an index look-up, where MINUS would scan
    every match. Returns the edits and the spans of text moved (``substitutions`` inside them
    are applied to the moved text).
    """
    toks = parsed.tokens
    edits, moved, spans = [], [], []
    depth, paren = 0, 0
    j = parsed.where_open + 1
    blocks = []
    while j < parsed.where_close:
        t = toks[j]
        if t.kind is TokenKind.PUNCT and t.text in "{}":
            depth += 1 if t.text == "{" else -1
        elif t.kind is TokenKind.PUNCT and t.text in "()":
            paren += 1 if t.text == "(" else -1
        elif (depth == 0 and paren == 0 and _words(toks, j, ("FILTER", "NOT", "EXISTS"))
              and toks[j + 3].text == "{"):
            close = _closing(toks, j + 3)
            blocks.append((j, j + 3, close))
            j = close + 1
            continue
        j += 1
    for first, open_at, close in blocks:
        inside = {t.text[1:] for t in toks[open_at:close] if t.kind is TokenKind.VAR}
        outside = {t.text[1:] for k, t in enumerate(toks)
                   if t.kind is TokenKind.VAR and not first <= k <= close} - {"PATH"}
        block = parsed.text[toks[open_at].offset + 1:toks[close].offset]
        try:
            pattern = _algebra(parsed.prefixes, f"SELECT * WHERE {{\n{block}\n}}", "").p.p
        except Refused:
            continue
        if not _minus_is_equivalent(pattern, (inside & outside) | {"this"}):
            continue
        start, end = toks[first].offset, toks[close].offset + 1
        edits.append((start, end, ""))
        spans.append((start, end))
        base = toks[open_at].offset + 1
        inner = [(a - base, b - base, r) for a, b, r in substitutions if start <= a < end]
        moved.append(f"\nMINUS {{{_apply(block, inner)}\n}}")
    if moved:
        at = toks[parsed.where_close].offset
        edits.append((at, at, "".join(moved) + "\n"))
    return edits, spans


def _words(tokens: list[Token], j: int, words: tuple[str, ...]) -> bool:
    if j + len(words) >= len(tokens):
        return False
    return all(tokens[j + k].kind is TokenKind.WORD and tokens[j + k].text.upper() == w
               for k, w in enumerate(words))


def _minus_is_equivalent(pattern, shared: set[str]) -> bool:
    if _triples(pattern) < 2 and "Union" not in _names(pattern):
        return False  # a single pattern: NOT EXISTS is an index look-up
    if any(n in ("ToMultiSet", "Minus", "Graph", "Group", "AggregateJoin", "values",
                 "ServiceGraphPattern") for n in _names(pattern)):
        return False
    if not shared <= _certain(pattern):
        return False
    return _expressions_read_bound(pattern, shared)


def _triples(node) -> int:
    return sum(len(n.triples) for name, n in _nodes(node) if name == "BGP")


def _certain(node) -> set[str]:
    """The variables bound in every solution of an algebra pattern."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _certain(node.p1) | _certain(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _certain(node.p1)
    if name == "Union":
        return _certain(node.p1) & _certain(node.p2)
    if name in ("Filter", "Extend"):
        return _certain(node.p)
    return set()


def _expressions_read_bound(node, shared: set[str]) -> bool:
    """Every shared variable an expression reads is bound by the pattern it applies to."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return True
    name = node.name
    if name == "Filter":
        reads = _variables(node.expr) & shared
        return reads <= _certain(node.p) and _expressions_read_bound(node.p, shared)
    if name == "Extend":
        reads = _variables(node.expr) & shared
        return reads <= _certain(node.p) and _expressions_read_bound(node.p, shared)
    if name == "LeftJoin":
        reads = _variables(node.get("expr")) & shared if node.get("expr") is not None else set()
        return (reads <= _certain(node.p1) | _certain(node.p2)
                and _expressions_read_bound(node.p1, shared)
                and _expressions_read_bound(node.p2, shared))
    if name in ("Join", "Union"):
        return (_expressions_read_bound(node.p1, shared)
                and _expressions_read_bound(node.p2, shared))
    return name == "BGP"

