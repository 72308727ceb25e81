"""Translated plans kept from one process to the next (``mali_kg.shacl_sparql.plan_cache``):
read instead of translating again, one per shapes file, read only from the user's own private
folder and files, and never a reason for validation to fail."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from mali_kg import resources, shacl_sparql
from mali_kg.shacl_sparql import Plan, plan_cache


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MALI_KG_CACHE_DIR", str(tmp_path / "cache"))
    shacl_sparql._plan_of_file.cache_clear()  # the plans this process made itself
    yield tmp_path / "cache"
    shacl_sparql._plan_of_file.cache_clear()


@pytest.fixture
def translations(monkeypatch) -> list:
    """Each translation made from now on."""
    made, translate = [], shacl_sparql.translate
    monkeypatch.setattr(shacl_sparql, "translate", lambda shapes: made.append(1) or
                        translate(shapes))
    return made


def _kept(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "plans").glob("*.pickle"))


def _plan_again() -> Plan:
    shacl_sparql._plan_of_file.cache_clear()
    return shacl_sparql.plan()


def _validate_cli(cache_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "mali_kg", "validate", "--engine", "sparql", "--format", "json"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "MALI_KG_CACHE_DIR": str(cache_dir)})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_a_later_process_reads_the_plan_the_first_one_kept(cache_dir):
    first = _validate_cli(cache_dir)
    (kept,) = _kept(cache_dir)
    assert kept.stat().st_mode & 0o777 == 0o600
    assert all(d.stat().st_mode & 0o777 == 0o700 for d in (cache_dir, cache_dir / "plans"))
    written = (kept.stat().st_ino, kept.stat().st_mtime_ns)
    assert _validate_cli(cache_dir) == first
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == written  # read, not written again


def test_the_kept_plan_is_used_without_translating(cache_dir, translations):
    made = shacl_sparql.plan()
    read = _plan_again()
    assert len(translations) == 1
    assert [c.query for c in read.checks] == [c.query for c in made.checks]
    assert read.untranslated == made.untranslated


def test_other_shapes_have_a_plan_of_their_own(cache_dir, tmp_path):
    fewer = tmp_path / "fewer.ttl"
    fewer.write_text(resources.shapes_file().read_text(encoding="utf-8")
                     .replace("sh:minCount 1 ;", ""), encoding="utf-8")
    bundled = shacl_sparql.plan()
    other = shacl_sparql.plan(fewer)
    assert len(_kept(cache_dir)) == 2
    assert len(other.checks) < len(bundled.checks)
    assert plan_cache.key(b"x", ".ttl") != plan_cache.key(b"x", ".nt")


@pytest.mark.parametrize("where", ["cache folder", "plans folder", "file"])
def test_what_others_can_write_to_is_not_read(cache_dir, translations, where):
    shacl_sparql.plan()
    (kept,) = _kept(cache_dir)
    target = {"cache folder": cache_dir, "plans folder": kept.parent, "file": kept}[where]
    target.chmod(target.stat().st_mode | 0o020)
    _plan_again()
    assert len(translations) == 2


def test_links_are_not_followed(cache_dir, tmp_path, translations):
    shacl_sparql.plan()
    (kept,) = _kept(cache_dir)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    moved = elsewhere / kept.name
    kept.rename(moved)
    kept.symlink_to(moved)  # a link to a plan
    _plan_again()
    assert len(translations) == 2
    kept.unlink()
    os.link(moved, kept)  # a second name for one
    _plan_again()
    assert len(translations) == 3
    kept.unlink()
    plans = kept.parent
    plans.rename(tmp_path / "plans")
    plans.symlink_to(tmp_path / "plans")  # a linked folder
    _plan_again()
    assert len(translations) == 4


def test_a_file_that_is_no_plan_is_translated_again(cache_dir, translations):
    shacl_sparql.plan()
    (kept,) = _kept(cache_dir)
    kept.write_bytes(b"not a pickle")
    kept.chmod(0o600)
    assert _plan_again().checks
    kept.write_bytes(pickle.dumps({"not": "a plan"}))
    assert _plan_again().checks
    assert len(translations) == 3


def test_a_cache_that_cannot_be_made_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("MALI_KG_CACHE_DIR", str(blocked / "cache"))
    assert _plan_again().checks
    shacl_sparql._plan_of_file.cache_clear()


def test_only_the_newest_plans_are_kept(cache_dir):
    for i in range(plan_cache.KEEP + 3):
        plan_cache.store(f"{i:064x}", Plan())
        os.utime(cache_dir / "plans" / f"{i:064x}.pickle", (i, i))
    kept = [p.stem for p in _kept(cache_dir)]
    assert kept == [f"{i:064x}" for i in range(3, plan_cache.KEEP + 3)]
