"""Translated plans kept from one process to the next (``mali_kg.shacl_sparql.plan_cache``):
read instead of translating again, one per shapes file, never from a folder others can write
to, and never a reason for validation to fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mali_kg import resources, shacl_sparql
from mali_kg.shacl_sparql import plan_cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shacl_sparql._plan_of_file.cache_clear()  # the plans this process made itself
    yield tmp_path / "cache"
    shacl_sparql._plan_of_file.cache_clear()


def _kept(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "mali-kg" / "plans").glob("*.pickle"))


def _validate_cli(cache_home: Path, *argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "mali_kg", "validate", "--engine", "sparql", "--format", "json",
         *argv], capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(cache_home)})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_a_later_process_reads_the_plan_the_first_one_kept(cache_home):
    first = _validate_cli(cache_home)
    kept = _kept(cache_home)
    assert len(kept) == 1
    assert kept[0].stat().st_mode & 0o777 == 0o600
    assert (cache_home / "mali-kg" / "plans").stat().st_mode & 0o777 == 0o700
    assert _validate_cli(cache_home) == first
    assert _kept(cache_home) == kept


def test_the_kept_plan_is_used_without_translating(cache_home, monkeypatch):
    made = shacl_sparql.plan()
    shacl_sparql._plan_of_file.cache_clear()

    def no_translation(_shapes):
        raise AssertionError("translated again")

    monkeypatch.setattr(shacl_sparql, "translate", no_translation)
    read = shacl_sparql.plan()
    assert [c.query for c in read.checks] == [c.query for c in made.checks]
    assert read.untranslated == made.untranslated


def test_other_shapes_have_a_plan_of_their_own(cache_home, tmp_path):
    shapes = resources.shapes_file().read_text(encoding="utf-8")
    fewer = tmp_path / "fewer.ttl"
    fewer.write_text(shapes.replace("sh:minCount 1 ;", ""), encoding="utf-8")
    assert fewer.read_text(encoding="utf-8") != shapes
    bundled = shacl_sparql.plan()
    other = shacl_sparql.plan(fewer)
    assert len(_kept(cache_home)) == 2
    assert len(other.checks) < len(bundled.checks)
    assert plan_cache.key(b"x", ".ttl") != plan_cache.key(b"x", ".nt")


def test_a_folder_others_can_write_to_is_neither_read_nor_written(cache_home, monkeypatch):
    shacl_sparql.plan()
    (kept,) = _kept(cache_home)
    folder = kept.parent
    folder.chmod(0o777)
    kept.unlink()
    shacl_sparql._plan_of_file.cache_clear()
    shacl_sparql.plan()
    assert _kept(cache_home) == []
    folder.chmod(0o700)
    kept.write_bytes(b"not a pickle")
    shacl_sparql._plan_of_file.cache_clear()
    assert plan_cache.load(kept.stem) is None  # unreadable: translated again
    assert shacl_sparql.plan().checks


def test_a_cache_that_cannot_be_made_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    shacl_sparql._plan_of_file.cache_clear()
    assert shacl_sparql.plan().checks
    shacl_sparql._plan_of_file.cache_clear()
