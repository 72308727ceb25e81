"""A SPARQL 1.1 tokenizer, just precise enough to inspect a query before it runs.

It follows the terminals of the SPARQL 1.1 grammar (§19.8) that decide where code ends and
data begins: IRI references, the four string forms, comments, prefixed names (with their
``\\``-escapes and ``%XX``), variables, blank node labels. Everything else is punctuation.
The tokenizer is linear (no backtracking regular expressions) and never recurses, so a hostile
query cannot make it slow or crash it.

Codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``, §19.2) are decoded first by
:func:`decode_escapes`; the decoded text is what is inspected *and* what the engine runs, so
the two can never see different queries.
"""

from __future__ import annotations

import functools
import re
from enum import Enum
from typing import NamedTuple


class TokenKind(Enum):
    IRI = "iri"  # <...>, value without the angle brackets
    PNAME = "pname"  # prefix:local or prefix:
    WORD = "word"  # keywords, function names, booleans, language-tag bodies
    VAR = "var"
    BNODE = "bnode"
    STRING = "string"
    NUMBER = "number"
    PUNCT = "punct"


class Token(NamedTuple):
    kind: TokenKind
    text: str
    offset: int


class LexError(ValueError):
    """The text cannot be a SPARQL query; ``offset`` is where reading stopped."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    """Replace SPARQL codepoint escapes by the characters they stand for (§19.2).

    Raises :class:`LexError` for a surrogate or out-of-range code point, and for an escape
    that is still present after decoding (``\\u005Cu0053``): the engine decodes escapes in
    strings and IRIs once more, so a second layer could change where a string ends.
    """
    if "\\u" not in text and "\\U" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise LexError(f"invalid codepoint escape {m.group(0)!r}", m.start())
        return chr(code)

    decoded = _ESCAPE.sub(replace, text)
    again = _ESCAPE.search(decoded)
    if again:
        raise LexError(
            "a codepoint escape remains after decoding \\u/\\U escapes once "
            f"({again.group(0)!r}); write the character itself", again.start())
    return decoded


_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
    rf"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

# Punctuation: the two-character operators first, then single characters, split into those
# that open or close a level of nesting (with "!") and the rest.
_PUNCT_PAIRS = r"\^\^|&&|\|\||!=|<=|>="
_PUNCT_NESTING = r"[{}()\[\]!]"
_PUNCT_OTHER = r"[.,;*+\-/=<>|^@?$]"


_IRIREF = r'<[^<>"{}|^`\\\x00-\x20]*>'
_STRING = (r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
           r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
           r'|"(?:[^"\\\r\n]|\\.)*"'
           r"|'(?:[^'\\\r\n]|\\.)*'")
_COMMENT = r"#[^\r\n]*"
IRIREF = re.compile(_IRIREF)  # an IRI as a query writes it, between its angle brackets


def _token_pattern() -> str:
    """One alternative per terminal, tried in this order at each position. Each is linear:
    the repeated parts cannot overlap, so a failed match costs no backtracking. Names
    (keywords and prefixed names) are handled apart, see ``tokenize``."""
    return "|".join(
        [
            r"(?P<space>[ \t\r\n]+)",
            rf"(?P<comment>{_COMMENT})",
            rf"(?P<iri>{_IRIREF})",
            rf"(?P<string>{_STRING})",
            rf"(?P<var>[?$]{_VARNAME})",
            rf"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            r"(?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.(?:[eE][+-]?[0-9]+)?)",
            rf"(?P<punct>{_PUNCT_PAIRS}|{_PUNCT_NESTING}|{_PUNCT_OTHER})",
        ]
    )


_TOKEN = re.compile(_token_pattern(), re.DOTALL)
_NAME_START = re.compile(rf"[{_PN_CHARS_BASE}:]")
_PNAME = re.compile(rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?")
_NAME_RUN = re.compile(rf"[{_PN_CHARS_BASE}][{_PN_CHARS}.]*")
_WORD = re.compile(rf"[{_PN_CHARS_BASE}][{_PN_CHARS_U}0-9\-]*")

_KINDS = {
    "iri": TokenKind.IRI,
    "string": TokenKind.STRING,
    "var": TokenKind.VAR,
    "bnode": TokenKind.BNODE,
    "number": TokenKind.NUMBER,
    "punct": TokenKind.PUNCT,
}


# The same terminals as one pattern, names first (where ``tokenize`` tries them first). A
# prefixed name that fails to match rescans its run of name characters: on text without a
# run of ``_RUN_LIMIT`` or more (``_LONG_RUN``) that costs at most ``_RUN_LIMIT`` steps a
# token, so the pattern stays linear there; other text is left to ``tokenize``.
_NAMES = rf"(?P<pname>{_PNAME.pattern})|(?P<word>{_WORD.pattern})|"
# White space and comments, a run of them in one match. No other terminal starts with either,
# so a pattern that tries them first still takes, at each position, the terminal ``tokenize``
# takes.
_SKIP = rf"(?P<skip>(?:[ \t\r\n]+|{_COMMENT})+)"
_ALL = re.compile(_SKIP + "|" + _NAMES + _TOKEN.pattern, re.DOTALL)
_RUN_LIMIT = 64
_LONG_RUN = re.compile(rf"[{_PN_CHARS}.:]{{{_RUN_LIMIT},}}")
# The same on UTF-8 bytes, in C: "a" for the name characters and every byte of a non-ASCII
# character, " " for the rest.
_RUN_BYTES = bytes(ord("a") if b > 0x7F or re.fullmatch(rf"[{_PN_CHARS}.:]", chr(b))
                   else ord(" ") for b in range(256))
_ALL_KINDS = {**_KINDS, "pname": TokenKind.PNAME, "word": TokenKind.WORD}


def _long_run(text: str) -> bool:
    """True when ``text`` holds ``_RUN_LIMIT`` or more name characters (or "." or ":") in a
    row."""
    if b"a" * _RUN_LIMIT not in text.encode("utf-8", "surrogatepass").translate(_RUN_BYTES):
        return False  # not even counting every non-ASCII character as a name character
    return text.isascii() or _LONG_RUN.search(text) is not None


def _any_case(word: str) -> str:
    """``word`` (in capitals) in ASCII letters of either case."""
    return "".join(f"[{c}{c.lower()}]" for c in word)


# The prologue and the query form where they are written plainly: white space and comments
# (an atomic group: nothing backtracks into it), then a declaration or the form's keyword. A
# keyword is matched in ASCII letters of either case, not followed by a name character, "."
# or ":", so that the tokenizer reads the same whole word there (other spellings, such as "ſ"
# for "s", are left to it).
_GAP = r"(?>(?:[ \t\r\n]+|#[^\r\n]*)*)"
_KEYWORD_END = rf"(?![{_PN_CHARS}.:])"
_PLAIN_DECLARATION = re.compile(
    rf"{_GAP}(?:(?P<base>{_any_case('BASE')}){_KEYWORD_END}"
    rf"|{_any_case('PREFIX')}{_KEYWORD_END}{_GAP}(?:{_PN_PREFIX})?:){_GAP}(?P<iri>{_IRIREF})")
_PLAIN_FORM = re.compile(_GAP + "(?P<form>" + "|".join(
    _any_case(w) for w in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")) + ")" + _KEYWORD_END)


# What can hide a bracket, a quote, a "#" or a keyword: IRIs, strings and comments, tried in
# the tokenizer's order. Outside them those characters cannot be inside another token (only a
# prefixed name's backslash escape could put them there), so where this scan finds one, the
# tokenizer has a token starting there too, and takes the same one. A quote that starts no
# string, and a backslash, are where the scan stops: a ``stop`` group takes them and the rest
# of the text (trying again one character further on could cost a failed string's scan to the
# end of its line at every character). Every alternative begins with its own character, so
# the scan skips in C to the next place one can begin.
_OPAQUE = re.compile(rf"{_IRIREF}|{_STRING}|{_COMMENT}"
                     r"|\"(?P<stop1>).*|'(?P<stop2>).*|\\(?P<stop3>).*", re.DOTALL)
_OPAQUE_GROUPS = _OPAQUE.groups
# What is left is names, numbers, variables, punctuation and white space. Where it is ASCII,
# these are the only characters at which the tokenizer could find no terminal: "%", "`", "~",
# control characters, "&" outside "&&" (``structure``), and "_" that neither follows a
# letter, "_", "?", "$" or ":" (so is inside a name) nor begins a blank node's label.
_UNSURE = re.compile(r"[%`~\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSURE_UNDERSCORE = re.compile(r"_(?<![A-Za-z_?$:]_)(?!:[A-Za-z0-9_])")
# A word that may read SERVICE or FROM: nothing before it that would put it inside a name (a
# letter, "_", a variable's "?" or "$", a prefixed name's ":"), nothing after it that would go
# on with it; looked for in the text in lower case.
_SERVICE_OR_FROM = re.compile(r"(?<![A-Za-z_?$:])(?:service|from)(?![A-Za-z0-9_\-])")
_NESTING = {c: None for c in range(128) if chr(c) not in "{}()[]!"}


@functools.lru_cache(maxsize=1)  # the checks for a remote engine read one text in turn
def bare_text(text: str) -> str | None:
    """``text`` with its IRIs, strings and comments taken out (a space left for each), in one
    C pass; None where a quote starts no string, or at a backslash: such text is read token
    by token."""
    # The text between the matches, and each match's stop groups (None where it matched an
    # IRI, a string or a comment). A stop takes the rest of the text, so only the last match
    # can be one.
    parts = _OPAQUE.split(text)
    step = _OPAQUE_GROUPS + 1
    if len(parts) > 1 and any(group is not None for group in parts[-step:-1]):
        return None
    return " ".join(parts[::step])


def structure(text: str) -> str | None:
    """The bracket and "!" tokens of ``text`` in order (none in strings, IRIs or comments),
    found in C: the IRIs, strings and comments taken out in one pass, the brackets read off
    what is left. None where ``tokenize(text)`` would raise, for text with long runs of name
    characters, for text with a word that may read SERVICE or FROM (in any case), and where
    what is left is not plain (a character outside ASCII, or one of ``_UNSURE``): those are
    read token by token."""
    if _long_run(text) or (bare := bare_text(text)) is None:
        return None
    if not bare.isascii() or _UNSURE.search(bare) or \
            ("_" in bare and _UNSURE_UNDERSCORE.search(bare)) or \
            ("&" in bare and "&" in bare.replace("&&", "")):
        return None
    lower = bare.lower()
    if ("from" in lower or "service" in lower) and _SERVICE_OR_FROM.search(lower):
        return None
    return bare.replace("!=", "").translate(_NESTING)


def plain_head(text: str) -> tuple[list[tuple[bool, str]], str] | None:
    """The prologue's declarations (whether each is BASE, and its IRI) and the query form of
    text for which :func:`structure` is not None, read a whole declaration at a time, as the
    tokens would give them; None where they are not written plainly (the tokens will tell)."""
    declarations, pos = [], 0
    while m := _PLAIN_DECLARATION.match(text, pos):
        declarations.append((m["base"] is not None, m["iri"][1:-1]))
        pos = m.end()
    m = _PLAIN_FORM.match(text, pos)
    return (declarations, m["form"].upper()) if m else None


def iter_tokens(text: str):
    """The tokens of text for which :func:`structure` is not None, one at a time (a caller that
    needs only the first few makes only those)."""
    for m in _ALL.finditer(text):
        kind = m.lastgroup
        if kind != "skip":
            yield Token(_ALL_KINDS[kind], m.group(), m.start())  # type: ignore[index]


def tokenize(text: str) -> list[Token]:
    """Split decoded query text into tokens, dropping white space and comments.

    Raises :class:`LexError` at the first character no SPARQL terminal can start with (an
    unterminated string, a stray backslash, a control character…).
    """
    tokens: list[Token] = []
    pos, end = 0, len(text)
    # A run of name characters that is not followed by ":" cannot hold a prefixed name from
    # any start inside it; remembering where it ends keeps "a.a.a.a…" linear.
    no_pname_before = -1
    while pos < end:
        if _NAME_START.match(text, pos):
            m = None
            if pos >= no_pname_before:
                m = _PNAME.match(text, pos)
                if m is None:
                    run = _NAME_RUN.match(text, pos)
                    no_pname_before = run.end() if run else pos + 1
            if m is not None:
                tokens.append(Token(TokenKind.PNAME, m.group(), pos))
                pos = m.end()
                continue
            m = _WORD.match(text, pos)
            if m is None:
                raise LexError(f"unexpected character {text[pos]!r}", pos)
            tokens.append(Token(TokenKind.WORD, m.group(), pos))
            pos = m.end()
            continue
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise LexError(f"unexpected character {text[pos]!r}", pos)
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            tokens.append(Token(_KINDS[kind], m.group(), pos))  # type: ignore[index]
        pos = m.end()
    return tokens


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def unescape_local(local: str) -> str:
    """The local part of a prefixed name with its backslash escapes removed (``a\\#b``
    is ``a#b``)."""
    out, i = [], 0
    while i < len(local):
        if local[i] == "\\" and i + 1 < len(local):
            out.append(local[i + 1])
            i += 2
        else:
            out.append(local[i])
            i += 1
    return "".join(out)
