"""Inspect a query before the engine sees it: size, nesting, form, SERVICE, FROM.

:func:`inspect_query` is the one gate every query passes. It decodes codepoint escapes, checks
the size (413) and the bracket nesting (400; pyoxigraph's recursive parser crashes the process
on about 2,200 nested braces), tokenizes the text (:mod:`.lexer`), and reads off what the
policy needs: the query form, the IRIs after ``SERVICE`` and the graphs named by ``FROM`` /
``FROM NAMED``. The decoded text it returns is the text the engine runs.

Results are cached per query text (bounded in bytes), so repeated queries cost a dictionary
look-up.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..lru import ByteLRU
from .lexer import (
    IRIREF,
    LexError,
    Token,
    TokenKind,
    bare_text,
    decode_escapes,
    iter_tokens,
    line_column,
    plain_head,
    structure,
    tokenize,
    unescape_local,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
# What makes an engine's parser and planner recurse once more: operators, path steps, and the
# keywords that chain one more element onto a group (counted in Inspection.operators).
_OPERATOR_PUNCT = frozenset({"+", "-", "*", "/", "|", "^", "&&", "||", "=", "!=", "<", ">",
                             "<=", ">=", "{"})
_OPERATOR_WORDS = frozenset({"MINUS", "BIND", "OPTIONAL", "UNION", "FILTER", "AS", "GRAPH",
                             "SERVICE", "EXISTS", "VALUES"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")
# Every byte but those of the operators' characters (counted by _operator_bound).
_NOT_OPERATOR = bytes(b for b in range(256) if chr(b) not in "+-*/|^=<>{&")
# The longest chain of operators, groups and clauses (Inspection.operators) sent to another
# engine. Oxigraph server 0.5 died (SIGABRT, its stack overflowing) on 1,000 MINUS, BIND or
# projected expressions, and on 2,000 UNION, OPTIONAL, "+" or path steps; it survived 500 of
# each. Our own workers parse on a large stack and need no such limit.
ENGINE_MAX_OPERATORS = 400


class InspectionError(Exception):
    """The query is refused before it runs; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str, *, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Inspection:
    text: str  # decoded query text: what the engine runs
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    services: tuple[str, ...]
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    depth: int  # the deepest nesting; for a query not tokenized whole, a bound on it
    # Operators, path steps, groups and chaining keywords: the query's length as a recursive
    # parser sees it (engines other than ours overflow their stacks on it); for a query not
    # tokenized whole, a bound on it.
    operators: int


def inspect_query(
    query: str,
    *,
    max_bytes: int,
    max_depth: int,
    allowed_services: frozenset[str] = frozenset(),
    base_iri: str | None = None,
) -> Inspection:
    """Check ``query`` against the limits and the SERVICE allow-list; raise InspectionError.

    Graph names are returned, not checked: the caller knows which graphs exist.
    """
    if len(query) > max_bytes or len(query.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InspectionError(
            413, f"The query is larger than {max_bytes} bytes; shorten it (move long VALUES "
            "lists into several queries).")
    key = (query, max_depth, base_iri)
    result = _CACHE.get(key)
    if result is None:
        result = _inspect(query, max_depth, base_iri)
        _CACHE.put(key, result, 3 * len(query) + 500)  # the query, its decoded text, the rest
    for iri in result.services:
        if iri not in allowed_services:
            allowed = ", ".join(sorted(allowed_services)) or "none"
            raise InspectionError(
                403, f"SERVICE <{iri}> is not allowed: this endpoint does not call other "
                f"endpoints unless they are on its allow-list (allowed: {allowed}).")
    return result


_CACHE = ByteLRU(max_bytes=16 * 2**20, max_entry=64 * 1024)


def _inspect(query: str, max_depth: int, base_iri: str | None) -> Inspection:
    try:
        text = decode_escapes(query)
    except LexError as e:
        raise _error(400, f"SPARQL syntax error: {e}", query, e.offset) from None
    if not text.strip():
        raise InspectionError(400, "The query is empty; send a SPARQL query in the 'query' "
                              "parameter or as the request body.")
    operators = _operator_bound(text)
    if operators <= ENGINE_MAX_OPERATORS and (punctuation := structure(text)) is not None:
        depth = _nesting_of(punctuation)
        if depth <= max_depth:
            # Nothing here can be refused past the query form: no SERVICE or FROM, nesting
            # within the limit. Only the prologue and the form are read.
            if (head := plain_head(text)) is None:
                return _read(text, _head(text), base_iri, depth, operators)
            declarations, form = head
            base = base_iri
            for is_base, iri in declarations:
                resolved = _resolve(iri, base)  # as _prologue does: an IRI may be refused
                base = resolved if is_base else base
            return Inspection(text, form, (), (), (), depth, operators)
    try:
        tokens = tokenize(text)
    except LexError as e:
        raise _error(400, f"SPARQL syntax error: {e}", text, e.offset) from None
    return _read(text, tokens, base_iri, *_depth(text, tokens, max_depth))


def _nesting_of(punctuation: str) -> int:
    """A bound on the nesting :func:`_depth` finds, from the query's brackets and '!' alone:
    a run of '!' is counted until the next bracket (where :func:`_depth` ends it at the next
    token), so the bound is never below the nesting."""
    depth = deepest = nots = 0
    for c in punctuation:
        if c == "!":
            nots += 1
            deepest = max(deepest, depth + nots)
            continue
        nots = 0
        if c in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _head(text: str) -> list[Token]:
    """The prologue's tokens and the one after them (the query form), for lexical text."""
    head: list[Token] = []
    for tok in iter_tokens(text):
        head.append(tok)
        if not (tok.kind is TokenKind.PNAME or tok.kind is TokenKind.IRI or
                (tok.kind is TokenKind.WORD and tok.text.upper() in ("BASE", "PREFIX"))):
            break
    return head


def _operator_bound(text: str) -> int:
    """A bound on :attr:`Inspection.operators`: every operator character and every word that
    could be a chaining keyword."""
    operators = len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_OPERATOR))
    return operators + sum(map(text.upper().count, _OPERATOR_WORDS))


def _depth(text: str, tokens: list[Token], max_depth: int) -> tuple[int, int]:
    """The deepest bracket nesting, refused past ``max_depth`` (a run of '!' counts too), and
    the operators (:attr:`Inspection.operators`)."""
    depth = max_seen = nots = operators = 0
    for tok in tokens:
        if (tok.kind is TokenKind.PUNCT and tok.text in _OPERATOR_PUNCT) or \
                (tok.kind is TokenKind.WORD and tok.text.upper() in _OPERATOR_WORDS):
            operators += 1
        # Each "!" in a run (!!!x) is one more level of the engine's recursive parser.
        nots = nots + 1 if tok.text == "!" and tok.kind is TokenKind.PUNCT else 0
        if tok.kind is TokenKind.PUNCT:
            if depth + nots > max_depth:
                raise _error(400, f"The query nests brackets or '!' more than {max_depth} "
                             "deep; flatten it.", text, tok.offset)
            if tok.text in _OPEN:
                depth += 1
                if depth > max_depth:
                    raise _error(400, f"The query nests brackets more than {max_depth} deep; "
                                 "flatten it.", text, tok.offset)
                max_seen = max(max_seen, depth)
            elif tok.text in _CLOSE:
                depth -= 1
    return max_seen, operators


def _read(text: str, tokens: list[Token], base_iri: str | None, depth: int,
          operators: int) -> Inspection:
    """The form, SERVICE IRIs and FROM graphs of a tokenized query within its limits."""
    prefixes, base, form_index = _prologue(tokens, text, base_iri)
    if form_index >= len(tokens):
        raise InspectionError(400, "The query has no SELECT, CONSTRUCT, DESCRIBE or ASK; "
                              "send a SPARQL query.")
    first = tokens[form_index]
    keyword = first.text.upper() if first.kind is TokenKind.WORD else ""
    if keyword in UPDATE_KEYWORDS:
        raise InspectionError(403, "This endpoint is read-only: SPARQL Update "
                              f"({keyword}) is not accepted. Send a query instead.")
    if keyword not in QUERY_FORMS:
        line, column = line_column(text, first.offset)
        raise InspectionError(
            400, f"SPARQL syntax error at {line}:{column}: expected SELECT, CONSTRUCT, DESCRIBE "
            f"or ASK, found {first.text[:40]!r}", line=line, column=column)

    services: list[str] = []
    from_graphs: list[str] = []
    from_named: list[str] = []
    n = len(tokens)
    for i in range(form_index, n):
        tok = tokens[i]
        if tok.kind is not TokenKind.WORD:
            continue
        word = tok.text.upper()
        if word == "SERVICE":
            j = i + 1
            if j < n and tokens[j].kind is TokenKind.WORD and tokens[j].text.upper() == "SILENT":
                j += 1
            services.append(_iri_at(tokens, j, prefixes, base, text, "SERVICE"))
        elif word == "FROM":
            j = i + 1
            named = (j < n and tokens[j].kind is TokenKind.WORD
                     and tokens[j].text.upper() == "NAMED")
            if named:
                j += 1
            iri = _iri_at(tokens, j, prefixes, base, text, "FROM")
            (from_named if named else from_graphs).append(iri)
    return Inspection(text, keyword, tuple(services), tuple(from_graphs), tuple(from_named),
                      depth, operators)


def without_dataset_clauses(text: str) -> str:
    """``text`` (a decoded, inspected query) without its FROM and FROM NAMED clauses: for an
    engine that is given the dataset by the protocol's parameters, which must win over them
    (SPARQL 1.1 Protocol, 2.1.4) but do not on every engine."""
    if "from" not in text.lower():
        return text
    tokens = tokenize(text)
    cuts: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if tok.kind is TokenKind.WORD and tok.text.upper() == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j].kind is TokenKind.WORD and \
                    tokens[j].text.upper() == "NAMED":
                j += 1
            if j < len(tokens) and tokens[j].kind in (TokenKind.IRI, TokenKind.PNAME):
                cuts.append((tok.offset, tokens[j].offset + len(tokens[j].text)))
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text


def services_as_graphs(text: str) -> str:
    """``text`` (a decoded query that parses) with each ``SERVICE [SILENT]`` written as
    ``GRAPH``, padded to the same length: the same query for a planner that would otherwise
    ask the services while it plans. ``text`` itself where it has none."""
    if "service" not in text.lower():
        return text
    tokens = tokenize(text)
    for tok, after in zip(tokens, [*tokens[1:], None], strict=True):
        if tok.kind is TokenKind.WORD and tok.text.upper() == "SERVICE":
            end = tok.offset + len(tok.text)
            if after is not None and after.kind is TokenKind.WORD and \
                    after.text.upper() == "SILENT":
                end = after.offset + len(after.text)
            text = text[:tok.offset] + "GRAPH".ljust(end - tok.offset) + text[end:]
    return text


def calls_written(text: str, namespace: str,
                  base_iri: str | None = None) -> tuple[str, list[str]] | None:
    """The prologue of ``text`` and the functions it calls (IRIs and prefixed names, as
    written), where one of them may resolve into ``namespace`` (an absolute IRI that names an
    authority); else None, and a query that cannot name an IRI there is not tokenized (see
    :func:`_may_name`). ``text`` is a query that parses, as :func:`inspect_query` returns it
    (escapes decoded). Resolving what is written is left to the engine's parser: it alone
    knows how it resolves (Python's ``urljoin`` differs, on ``<//>`` for one)."""
    if not _may_name(text, namespace, base_iri):
        return None
    tokens = tokenize(text)
    start = _prologue(tokens, text, base_iri)[2]
    callees = [tok.text for tok, after in zip(tokens[start:], tokens[start + 1:], strict=False)
               if tok.kind in (TokenKind.IRI, TokenKind.PNAME)
               and after.kind is TokenKind.PUNCT and after.text == "("]
    if not callees:
        return None
    return text[:tokens[start].offset], callees


def may_call_by_name(text: str) -> bool:
    """False only where ``text`` calls no function by IRI or prefixed name, only SPARQL's own
    by keyword (``STR(…)``, ``COUNT(…)``), so that no engine's extension can be among its
    calls. ``text`` is a query that parses, as :func:`inspect_query` returns it. Read in C:
    a prefixed name and then "(" in the bare text (without IRIs, strings and comments), an
    IRI and then "(" in the text itself. A false match only costs a slower check."""
    bare = bare_text(text)
    return bare is None or _NAME_CALL.search(" " + bare) is not None or \
        _IRI_CALL.search(text) is not None


# A prefixed name and then "(": a run of characters other than white space and "(" that holds
# a ":" (a name's escapes put a backslash in the text, for which bare_text gives None). The
# run is read from the white space or "(" before it only, and without going back, so the scan
# stays linear.
_NAME_CALL = re.compile(r"[\x20\t\r\n(][^\x20\t\r\n(:]*+:[^\x20\t\r\n(]*+[\x20\t\r\n]*+\(")
# An IRI, then white space and comments, then "(". A comment that holds a "<" (or ends the
# text) counts as a "(": reading a comment no further than the next "<" keeps the scan
# linear, each one read once.
_IRI_CALL = re.compile(IRIREF.pattern + r"(?:[\x20\t\r\n]|#[^\r\n<]*+[\r\n])*+[(#]")


def beyond_sparql_11(text: str) -> str | None:
    """The first thing in ``text`` that is not SPARQL 1.1 but that pyoxigraph's parser
    accepts (the SPARQL 1.2 drafts' triple terms, annotations, functions, base directions and
    VERSION, and Oxigraph's LATERAL and ADJUST), as written; else None. ``text`` is a query
    that parses, as :func:`inspect_query` returns it. A query with no word or mark that could
    be one outside its IRIs, strings and comments is not tokenized."""
    bare = bare_text(text)
    if bare is not None and _MAY_BE_BEYOND.search(bare.lower()) is None:
        return None
    tokens = tokenize(text)
    for before, tok, after in zip([None, *tokens[:-1]], tokens, [*tokens[1:], None], strict=True):
        if tok.kind is TokenKind.WORD:
            if before is not None and before.kind is TokenKind.PUNCT and before.text == "@":
                if not _LANGTAG.fullmatch(tok.text):
                    return f"@{tok.text}"
            elif tok.text.upper() in _BEYOND_WORDS:
                return tok.text
        elif tok.kind is TokenKind.PUNCT and after is not None and \
                after.kind is TokenKind.PUNCT and after.offset == tok.offset + 1 and \
                tok.text + after.text in ("<<", "{|"):
            return tok.text + after.text
    return None


_BEYOND_WORDS = frozenset({"LATERAL", "VERSION", "TRIPLE", "ISTRIPLE", "SUBJECT", "PREDICATE",
                           "OBJECT", "ADJUST", "LANGDIR", "HASLANG", "HASLANGDIR",
                           "STRLANGDIR"})
# Where one of them may be: a word not inside a name or a variable, "<<", "{|", or "--" (in a
# language tag with a base direction, "@en--ltr"). Each word's look-behind follows its first
# letter, so that the regular expression engine skips to the letters that can start one.
_MAY_BE_BEYOND = re.compile(r"<<|\{\||--|" + "|".join(
    rf"{w[0]}(?<![\w?$:]{w[0]}){w[1:]}(?!\w)" for w in sorted(w.lower() for w in _BEYOND_WORDS)))
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")  # SPARQL 1.1's, after the "@"


def _may_name(text: str, namespace: str, base_iri: str | None) -> bool:
    """False only where no IRI in ``text`` can resolve into ``namespace``. Such an IRI needs
    the namespace's authority: written out (in an IRI, a prefix or the base), or reached by
    appending a local name to a prefix that stops short of it, which is then an IRI (or a
    base) that is a start of the namespace, or a reference of its own authority (``<//…>``).
    Read in lower case, so that no other spelling hides."""
    lowered = text.lower()
    authority = urlsplit(namespace).netloc.lower()
    start = namespace.lower()
    if authority in lowered or (base_iri is not None and (
            authority in base_iri.lower() or start.startswith(base_iri.lower()))):
        return True
    return any(iri.startswith("<//") or start.startswith(iri[1:-1])
               for iri in IRIREF.findall(lowered))


def _prologue(tokens: list[Token], text: str,
              base_iri: str | None) -> tuple[dict[str, str], str | None, int]:
    """PREFIX and BASE declarations at the head of the query, and where they end."""
    prefixes: dict[str, str] = {}
    base = base_iri
    i, n = 0, len(tokens)
    while i < n and tokens[i].kind is TokenKind.WORD:
        word = tokens[i].text.upper()
        if word == "BASE" and i + 1 < n and tokens[i + 1].kind is TokenKind.IRI:
            base = _resolve(tokens[i + 1].text[1:-1], base)
            i += 2
        elif (word == "PREFIX" and i + 2 < n and tokens[i + 1].kind is TokenKind.PNAME
              and tokens[i + 2].kind is TokenKind.IRI):
            name = tokens[i + 1].text
            if not name.endswith(":"):
                break
            prefixes[name[:-1]] = _resolve(tokens[i + 2].text[1:-1], base)
            i += 3
        else:
            break
    return prefixes, base, i


def _iri_at(tokens: list[Token], j: int, prefixes: dict[str, str], base: str | None,
            text: str, keyword: str) -> str:
    """The IRI written at token ``j`` (after SERVICE or FROM), resolved; else refuse."""
    if j >= len(tokens):
        raise InspectionError(400, f"SPARQL syntax error: {keyword} must be followed by an IRI.")
    tok = tokens[j]
    if tok.kind is TokenKind.IRI:
        return _resolve(tok.text[1:-1], base)
    if tok.kind is TokenKind.PNAME:
        prefix, _, local = tok.text.partition(":")
        if prefix not in prefixes:
            raise _error(400, f"SPARQL syntax error: prefix '{prefix}:' is not declared.",
                         text, tok.offset)
        return prefixes[prefix] + unescape_local(local)
    if keyword == "SERVICE" and tok.kind is TokenKind.VAR:
        raise _error(403, "SERVICE with a variable endpoint is not allowed; name the "
                     "endpoint IRI (and have it added to the allow-list).", text, tok.offset)
    raise _error(400, f"SPARQL syntax error: {keyword} must be followed by an IRI.",
                 text, tok.offset)




def _resolve(iri: str, base: str | None) -> str:
    if len(iri) <= 256 and (base is None or len(base) <= 256):
        return _resolve_short(iri, base)  # the same few prefixes, query after query
    return _resolve_any(iri, base)


def _resolve_any(iri: str, base: str | None) -> str:
    try:
        return urljoin(base, iri) if base else iri
    except ValueError:  # "Invalid IPv6 URL": an unbalanced '[' in the authority
        raise InspectionError(400, f"The IRI <{iri[:200]}> is not valid; correct it.") from None


_resolve_short = functools.lru_cache(maxsize=1024)(_resolve_any)


def _error(status: int, message: str, text: str, offset: int) -> InspectionError:
    line, column = line_column(text, offset)
    if message.startswith("SPARQL syntax error: "):
        message = f"SPARQL syntax error at {line}:{column}: " + message[len(
            "SPARQL syntax error: "):]
    return InspectionError(status, message, line=line, column=column)
