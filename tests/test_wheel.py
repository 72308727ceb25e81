"""The built wheel carries the ontology, data, shapes and queries, and works from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    uv = shutil.which("uv")
    assert uv, "uv is needed to build the wheel"
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (built,) = out.glob("mali_kg-*.whl")
    return built


def test_wheel_contains_the_bundled_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("mali_kg/resources/data/mali-kg.ttl", "mali_kg/resources/data/article.txt",
                     "mali_kg/resources/data/void.ttl", "mali_kg/resources/ontology/mali-kg.ttl",
                     "mali_kg/resources/shapes/mali-kg.shapes.ttl", "mali_kg/py.typed"):
        assert required in names
    assert any(n.startswith("mali_kg/resources/queries/examples/") and n.endswith(".rq")
               for n in names)


@pytest.mark.slow
def test_installed_wheel_validates_from_another_directory(wheel, tmp_path):
    uv = shutil.which("uv")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--python", sys.executable, str(venv)], check=True,
                   capture_output=True)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--python", str(python), str(wheel)], check=True,
                   capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    run = subprocess.run([str(venv / "bin" / "mali-kg"), "validate"], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    info = subprocess.run([str(venv / "bin" / "mali-kg"), "info"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, check=True)
    assert "anchors" in info.stdout
    where = subprocess.run([str(python), "-c",
                            "import mali_kg.resources as r; print(r.root())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert "site-packages" in where.stdout
