"""Decode URL-encoded protocol parameters (the query string and form bodies).

Web-free, so that the worker processes can decode large form bodies off the event loop.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

MAX_FIELDS = 1000

Decoded = tuple[tuple[str, tuple[str, ...]], ...]


class ParamError(ValueError):
    """The parameters cannot be decoded; the message says where and why."""


def decode(raw: bytes, where: str) -> Decoded:
    """``name=value&…`` decoded exactly once (``%2541`` gives ``%41``), values grouped by name."""
    try:
        text = raw.decode("ascii") if raw.isascii() else raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise ParamError(f"The parameters in {where} are not valid UTF-8 percent-encoding "
                         f"(or there are more than {MAX_FIELDS}).") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return tuple((key, tuple(values)) for key, values in params.items())
