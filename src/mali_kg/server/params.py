"""Decode URL-encoded protocol parameters (the query string and form bodies).

Web-free, so that the worker processes can decode large form bodies off the event loop.
"""

from __future__ import annotations

import binascii
import re
from urllib.parse import unquote

MAX_FIELDS = 1000

Decoded = tuple[tuple[str, tuple[str, ...]], ...]


class ParamError(ValueError):
    """The parameters cannot be decoded; the message says where and why."""


def decode(raw: bytes, where: str) -> Decoded:
    """``name=value&…`` decoded exactly once (``%2541`` gives ``%41``), values grouped by name."""
    try:
        text = raw.decode("ascii") if raw.isascii() else raw.decode("utf-8")
        pairs = _pairs(text)
    except (UnicodeDecodeError, ValueError):
        raise ParamError(f"The parameters in {where} are not valid UTF-8 percent-encoding "
                         f"(or there are more than {MAX_FIELDS}).") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return tuple((key, tuple(values)) for key, values in params.items())


def _pairs(text: str) -> list[tuple[str, str]]:
    """What ``urllib.parse.parse_qsl(text, keep_blank_values=True, errors="strict",
    max_num_fields=MAX_FIELDS)`` gives: fields split at "&" (empty ones skipped), a name
    without "=" having the empty value, "+" read as a space, then percent-decoding."""
    if text and text.count("&") + 1 > MAX_FIELDS:
        raise ValueError("too many fields")
    pairs = []
    for field in text.split("&") if text else ():
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquote(name.replace("+", " ")), _unquote(value.replace("+", " "))))
    return pairs


_NOT_AN_ESCAPE = re.compile("%(?![0-9A-Fa-f]{2})")


def _unquote(text: str) -> str:
    """``urllib.parse.unquote(text, errors="strict")``, in C where it can: every "%XX" becomes
    the byte XX (by binascii's quoted-printable decoder; where it cannot, by the
    ``unicode_escape`` codec, backslashes doubled first so that "\\x" escapes are the only
    ones it sees), and the bytes are read as UTF-8. A "%" without two hex digits after it
    (kept as it is) goes to the standard library."""
    if "%" not in text:
        return text
    if text.isascii() and "=" not in text and "%\n" not in text and "%\r" not in text:
        # Quoted-printable's "=XX" is "%XX" (with no "=" in the text and no line break after
        # an escape, its only sequence). Each escape decoded is two characters shorter;
        # anything else (a "%" without two hex digits) is less: then the library decides.
        data = binascii.a2b_qp(text.replace("%", "="))
        if len(text) - len(data) == 2 * text.count("%"):
            return data.decode("utf-8")
    if _NOT_AN_ESCAPE.search(text):
        return unquote(text, errors="strict")
    escaped = text.encode("utf-8").replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    return escaped.decode("unicode_escape").encode("latin-1").decode("utf-8")
