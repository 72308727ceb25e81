"""Fixtures for the page tests: headless Debian Chromium driven by Playwright, recording
every request the page makes and every console error.

The server is the real ``mali-kg serve`` process of ``tests/conftest.py`` (``server_url``).
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mali_kg import namespaces as ns

# Where Chromium may be: Debian's package first, then other names on PATH; else Playwright's own.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
                       "google-chrome-stable")
INSTALL_HINT = ("The browser tests need Chromium: install Debian's (apt-get install chromium) "
                "or Playwright's (uv run playwright install chromium).")
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


def find_chromium() -> str | None:
    """A Chromium to drive: Debian's or one on PATH, else the one Playwright installed."""
    for name in CHROMIUM_CANDIDATES:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = p.chromium.executable_path
    return own if own and os.access(own, os.X_OK) else None


def install_chromium() -> None:
    """Debian's Chromium where apt works (as root), Playwright's own browser elsewhere."""
    if shutil.which("apt-get") and os.geteuid() == 0:
        command = [["apt-get", "update", "-q"],
                   ["apt-get", "install", "-y", "-q", "chromium", "fonts-dejavu-core"]]
    else:
        command = [[sys.executable, "-m", "playwright", "install", "chromium"]]
    for step in command:
        subprocess.run(step, check=False, timeout=900, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def pytest_collection_modifyitems(config, items) -> None:
    """Before any test runs: find (or install) the browser the browser tests need, or stop
    the whole run at once with one line saying what to install."""
    if not any(item.get_closest_marker("browser") for item in items):
        return
    path = find_chromium()
    if path is None:
        install_chromium()
        path = find_chromium()
    if path is None:
        pytest.exit(INSTALL_HINT, returncode=pytest.ExitCode.USAGE_ERROR)
    config.stash[_CHROMIUM_PATH] = path


_CHROMIUM_PATH = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def browser(pytestconfig) -> Iterator:
    from playwright.sync_api import sync_playwright

    path = pytestconfig.stash.get(_CHROMIUM_PATH, None) or find_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=ARGS)
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


def select(server_url: str, query: str) -> list[dict]:
    """The SPARQL JSON bindings of ``query`` (the project's prefixes declared), asked of the
    server directly: a check independent of what the pages show."""
    body = urllib.parse.urlencode({"query": ns.sparql_prologue() + query}).encode()
    req = urllib.request.Request(server_url + "/sparql", data=body, headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)["results"]["bindings"]
