"""Where the bundled ontology, data, shapes and queries are.

In a built wheel they live under ``mali_kg/resources/``; in a source checkout they are the
top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGED = Path(__file__).parent / "resources"
_CHECKOUT = Path(__file__).resolve().parents[2]


@cache
def root() -> Path:
    """The folder holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``."""
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / "data" / "mali-kg.ttl").is_file():
            return candidate
    raise FileNotFoundError(
        "The bundled data was not found: reinstall mali-kg, or run it from a source checkout."
    )


def article() -> Path:
    return root() / "data" / "article.txt"


def data_file() -> Path:
    return root() / "data" / "mali-kg.ttl"


def data_source() -> Path:
    return root() / "data" / "source" / "mali-kg.source.trig"


def void_file() -> Path:
    return root() / "data" / "void.ttl"


def ontology_file() -> Path:
    return root() / "ontology" / "mali-kg.ttl"


def shapes_file() -> Path:
    return root() / "shapes" / "mali-kg.shapes.ttl"


def example_queries() -> list[Path]:
    return sorted((root() / "queries" / "examples").glob("*.rq"))
