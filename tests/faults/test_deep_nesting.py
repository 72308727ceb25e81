"""Deeply nested input to /validate (JSON-LD objects and arrays, Turtle blank nodes) is
refused with a 400 that says the nesting is too deep; the server stays up and answering."""

from __future__ import annotations

import httpx
import pytest

from .conftest import assert_healthy, assert_logs_clean, serving_pid

DEPTH = 4000

DOCUMENTS = {
    "json-ld objects": (
        "application/ld+json",
        '{"@id":"http://e/s","http://e/p":' + '{"http://e/p":' * DEPTH + "1" + "}" * DEPTH + "}",
    ),
    "json-ld arrays": (
        "application/ld+json",
        '{"@id":"http://e/s","http://e/p":' + "[" * DEPTH + "1" + "]" * DEPTH + "}",
    ),
    "turtle blank nodes": (
        "text/turtle",
        "<http://e/s> <http://e/p> " + "[ <http://e/p> " * DEPTH + "1" + " ]" * DEPTH + " .\n",
    ),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_deep_nesting_refused(server, name):
    media_type, document = DOCUMENTS[name]
    serving = serving_pid(server)
    r = httpx.post(server.url + "/validate", content=document.encode(),
                   headers={"Content-Type": media_type, "Accept": "application/json"},
                   timeout=30)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert "nest" in r.text.lower(), r.text[:300]
    assert serving_pid(server) == serving, "the serving process was replaced"
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
