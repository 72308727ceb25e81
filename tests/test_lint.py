"""The code passes the linter, so `uv run pytest` is the one command that runs every check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    folders = [f for f in ("src", "tests", "bench") if (ROOT / f).is_dir()]
    run = subprocess.run([ruff, "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
