"""/validate on 150 claims that all conflict with each other (tens of thousands of results)
answers within bounded time: a report marked as cut short, or a 503 naming the time limit;
six such requests at once do not take the server down."""

from __future__ import annotations

import datetime
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from .conftest import assert_healthy, assert_logs_clean

TIMEOUT = 3
SERVER_FLAGS = ("--timeout", str(TIMEOUT))
CLAIMS = 150


def conflicting_claims(n: int = CLAIMS) -> bytes:
    """``n`` claims giving ``n`` different end dates for MINUSMA's mandate, none linked by
    mk:conflictsWith: every pair breaks the shapes' conflicting-claims rule."""
    lines = [
        "@prefix mk: <https://w3id.org/mali-kg/ontology#> .",
        "@prefix id: <https://w3id.org/mali-kg/id/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        'id:source-a a mk:Source ; rdfs:label "A source"@en .',
    ]
    first = datetime.date(2023, 1, 1)
    for i in range(n):
        day = first + datetime.timedelta(days=i)
        lines.append(f'id:claim-{i} a mk:Claim ; rdfs:label "Claim {i}"@en ; '
                     "mk:accordingTo id:source-a ; mk:claimSubject id:minusma ; "
                     "mk:claimProperty mk:mandateTerminatedAsOf ; "
                     f'mk:claimedValue "{day.isoformat()}"^^xsd:date .')
    return ("\n".join(lines) + "\n").encode()


DOCUMENT = conflicting_claims()


def validate(url: str, timeout: float) -> httpx.Response:
    return httpx.post(url + "/validate", content=DOCUMENT, timeout=timeout,
                      headers={"Content-Type": "text/turtle", "Accept": "application/json"})


def assert_bounded_answer(r: httpx.Response, *, busy_allowed: bool = False) -> None:
    """A report marked as cut short, or a 503 naming the time limit (or, when the request
    competed with others, saying every worker is busy)."""
    assert r.status_code in (200, 503), (r.status_code, r.text[:300])
    if r.status_code == 200:
        assert r.json().get("truncated") is True, "a 200 report must say it was cut short"
    elif not busy_allowed:
        assert f"{TIMEOUT} s" in r.text or "time" in r.text.lower(), r.text[:300]


def wait_for_validators(url: str) -> None:
    """Validation workers start in the background after the server answers (pySHACL takes
    seconds to load, more on a busy machine): wait until one is up, so that the time limit
    measures validation, not start-up."""
    for _ in range(600):
        if httpx.get(url + "/health", timeout=10).json()["pool"]["validate"]["alive"]:
            return
        time.sleep(0.1)
    raise AssertionError("no validation worker started within 60 s")


def test_costly_validation_is_bounded(server):
    wait_for_validators(server.url)
    started = time.monotonic()
    r = validate(server.url, timeout=25)
    elapsed = time.monotonic() - started
    assert elapsed < 20, f"answered after {elapsed:.1f} s"
    assert_bounded_answer(r)
    assert_healthy(server)


def test_six_costly_validations_at_once(server):
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _: validate(server.url, timeout=30), range(6)))
    for r in responses:
        assert_bounded_answer(r, busy_allowed=True)
    assert_healthy(server)


def test_log_is_clean(servers):
    assert_logs_clean(servers)
