"""Fixtures for the page tests: headless Debian Chromium driven by Playwright, recording
every request the page makes and every console error.

The server is the real ``mali-kg serve`` process of ``tests/conftest.py`` (``server_url``).
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@dataclass
class Recorder:
    """What one browser context did: every URL requested, every console error."""

    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.requests, "the page made no request at all: nothing was checked"
        assert not self.outside, f"requests left 127.0.0.1: {self.outside}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _context(browser, **options):
    recorder = Recorder()
    context = browser.new_context(**options)

    def route(r):
        url = r.request.url
        recorder.requests.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            r.continue_()
        else:
            recorder.outside.append(url)
            r.abort()

    context.route("**/*", route)
    return context, recorder


@pytest.fixture
def browse(browser):
    """``browse(width=…, height=…, **context_options)`` → (page, recorder); contexts are
    closed afterwards. ``context_options`` go to Playwright's ``new_context``."""
    opened = []

    def open_page(width: int = 1280, height: int = 900, **context_options):
        context, recorder = _context(browser, viewport={"width": width, "height": height},
                                     **context_options)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and recorder.errors.append(m.text))
        page.on("pageerror", lambda e: recorder.errors.append(str(e)))
        opened.append(context)
        return page, recorder

    yield open_page
    for c in opened:
        c.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
