"""SHACL validation at scale: shapes translated to SPARQL and run on Oxigraph.

pySHACL evaluates shapes one focus node at a time in Python over an rdflib graph; past a few
thousand triples that is too slow (``docs/benchmarks.md``). This package reads a shapes graph
once and writes one SPARQL query per constraint — a shape, a constraint component and a value
of its parameter — that returns every validation result of that constraint at once, so the
work is done by Oxigraph's engine and indexes, on the same store the server uses. Each result
names its focus node, value, path, source shape, constraint component and severity, as SHACL
requires. See decision 0012.

- :mod:`.shapes` reads the shapes graph: shapes, targets, paths, severities, deactivation;
- :mod:`.components` is the table of SHACL Core constraint components, one entry each;
- :mod:`.sparql` handles SHACL-SPARQL (``sh:select``) constraints;
- :mod:`.translate` writes the queries (:func:`plan`);
- :mod:`.plan_cache` keeps the plans of shapes files from one process to the next;
- :mod:`.report` runs them and writes the report.

What the translator cannot read exactly — a SHACL term it does not know (on any shape, nested
ones included), an ill-formed path or parameter, a recursive shape, a SPARQL constraint that
SHACL forbids — is listed in :attr:`Plan.untranslated`, and validation refuses to run
(:class:`UntranslatableShapes`, exit status 2 on the command line): a constraint is never
silently left out.

:func:`validate_store` returns the same :class:`~mali_kg.validate.Report` as the pySHACL
validator; :func:`validate_files` and :func:`validate_graph` load data into an in-memory store.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .. import namespaces as ns
from .. import resources, store
from ..errors import InputError, MaliKGError
from ..validate import Report, to_oxigraph
from ..validate import _class_hierarchy as class_hierarchy
from . import plan_cache
from .report import UntranslatableShapes, refuse_untranslated, run
from .translate import Check, Plan, translate

__all__ = ["Check", "Outcome", "Plan", "UntranslatableShapes", "count_store", "plan",
           "validate_files", "validate_graph", "validate_store"]


def plan(shapes: Path | str | Graph | None = None) -> Plan:
    """Translate a shapes graph (a file, an rdflib graph, or the bundled shapes) into checks."""
    if isinstance(shapes, Graph):
        return translate(shapes)
    path = Path(shapes or resources.shapes_file())
    return _plan_of_file(str(path.resolve()), os.stat(path).st_mtime_ns)


@lru_cache(maxsize=8)
def _plan_of_file(path: str, mtime: int) -> Plan:
    from ..validate import load_shapes

    data = Path(path).read_bytes()  # read once: the plan is kept under the name of these bytes
    name = plan_cache.key(data, Path(path).suffix)
    if name is not None and (kept := plan_cache.load(name)) is not None:
        return kept
    made = translate(load_shapes([path], read=[data]))
    if name is not None:
        plan_cache.store(name, made)
    return made


def validate_store(store_: ox.Store, shapes: Path | str | Graph | None = None, *,
                   checks: Plan | None = None) -> Report:
    """Validate the union of the store's graphs; the same :class:`Report` as pySHACL's.

    Raises :class:`UntranslatableShapes`, naming each shape and term, when the shapes use
    something the translator does not translate.
    """
    return run(store_, checks or plan(shapes))


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate an rdflib graph (copied into an in-memory store, blank node labels kept)
    against the bundled shapes, with the ontology's class hierarchy, or against ``shapes``."""
    p = plan(shapes)
    refuse_untranslated(p)
    s = ox.Store()
    s.bulk_extend(ox.Quad(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c),
                          ox.NamedNode(ns.GRAPH_DATA)) for a, b, c in data)
    if shapes is None:
        _add_class_hierarchy(s)
    return run(s, p)


def validate_files(paths: Sequence[Path | str], shapes: Path | str | Graph | None = None
                   ) -> Report:
    """Load RDF files into an in-memory store and validate it (against the bundled shapes,
    with the ontology's class hierarchy, unless ``shapes`` is given)."""
    if not paths:
        raise MaliKGError("No files to validate: name at least one RDF file.")
    p = plan(shapes)
    refuse_untranslated(p)
    s = ox.Store()
    for f in paths:
        store.load_file(s, Path(f), graph=ns.GRAPH_DATA)
    if len(s) == 0:
        raise InputError("The files hold no triples: nothing to validate.")
    if shapes is None:
        _add_class_hierarchy(s)
    return run(s, p)


def _add_class_hierarchy(s: ox.Store) -> None:
    graph = ox.NamedNode(ns.GRAPH_ONTOLOGY)
    s.bulk_extend(ox.Quad(to_oxigraph(a), to_oxigraph(b), to_oxigraph(c), graph)
                  for a, b, c in class_hierarchy())


@dataclass
class Outcome:
    """Counts only, for benchmarks: no result is materialised."""

    conforms: bool
    counts: dict[str, int]
    checks: int
    untranslated: list[str]
    by_shape: dict[str, int]


def count_store(store_: ox.Store, shapes: Path | str | Graph | None = None, *,
                checks: Plan | None = None) -> Outcome:
    """Run every check over the union of the store's graphs and count the results."""
    p = checks or plan(shapes)
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    by_shape: dict[str, int] = {}
    for check in p.checks:
        rows = sum(1 for _ in store_.query(check.query, use_default_graph_as_union=True))
        counts[check.severity] = counts.get(check.severity, 0) + rows
        if rows:
            key = f"{check.shape}/{check.kind}"
            by_shape[key] = by_shape.get(key, 0) + rows
    return Outcome(sum(counts.values()) == 0, counts, len(p.checks), p.untranslated, by_shape)
