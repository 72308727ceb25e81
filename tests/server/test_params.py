"""Percent-decoding of the protocol's parameters reads exactly as the standard library's
``parse_qsl`` does (the decoder is a faster path to the same answer)."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

from hypothesis import given, settings
from hypothesis import strategies as st

from mali_kg.server import params

PIECES = st.sampled_from(["%", "%2", "%41", "%c3", "%A9", "%e2%82%ac", "%5C", "%5c", "%25",
                          "%zz", "%00", "%80", "%ff", "+", "&", "=", "a", "\\", "\\x41", "\\u0041",
                          "é", "€", "\x00", " ", "query", "%2B", "%26", "%3D", "\n", "\r",
                          "%0a", "%%41"])
raw_params = st.one_of(
    st.lists(PIECES, max_size=16).map("".join).map(str.encode),
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda s: ("query=" + quote(s, safe="")).encode()),
)


def reference(raw: bytes):
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=params.MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return "refused"
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return tuple((key, tuple(values)) for key, values in grouped.items())


def decoded(raw: bytes):
    try:
        return params.decode(raw, "the URL")
    except params.ParamError:
        return "refused"


@settings(max_examples=3000, deadline=None)
@given(raw=raw_params)
def test_parameters_decode_as_parse_qsl_does(raw):
    assert decoded(raw) == reference(raw)


def test_too_many_fields_are_refused_as_parse_qsl_refuses_them():
    at_limit = b"&".join([b"a=1"] * params.MAX_FIELDS)
    assert decoded(at_limit) == reference(at_limit) != "refused"
    assert decoded(at_limit + b"&") == reference(at_limit + b"&") == "refused"
