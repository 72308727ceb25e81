"""Every route and every `serve` option is documented in the server's decision records."""

from __future__ import annotations

import re
from pathlib import Path

from mali_kg.cli import build_parser
from mali_kg.pages import Renderer
from mali_kg.server import Settings, create_app

DECISIONS = Path(__file__).resolve().parents[2] / "docs" / "decisions"
DOCS = sorted(DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md"))


def docs_text() -> str:
    assert DOCS, "no server decision records found"
    return "\n".join(p.read_text(encoding="utf-8") for p in DOCS)


def test_every_route_is_documented():
    text = docs_text()
    app = create_app(Settings(access_log=False), renderer=Renderer())
    paths = {getattr(r, "path", "") for r in app.router.routes}
    paths = {re.sub(r"\{[^}]*\}.*$", "", p).rstrip("/.") for p in paths} - {""}
    assert len(paths) >= 8
    missing = [p for p in sorted(paths) if p not in text]
    assert not missing, f"document these routes in docs/decisions/: {missing}"


def test_every_serve_option_is_documented():
    text = docs_text()
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]
    flags = [a.option_strings[-1] for a in serve._actions if a.option_strings
             and a.option_strings[-1] != "--help"]
    assert len(flags) >= 6
    missing = [f for f in flags if f not in text]
    assert not missing, f"document these options in docs/decisions/: {missing}"
