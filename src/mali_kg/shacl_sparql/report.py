"""Running a plan on an Oxigraph store and writing the W3C validation report."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal
from rdflib.namespace import SH

from .. import namespaces as ns
from ..errors import MaliKGError
from ..validate import Report, report_from_graph, to_rdflib
from .translate import Check, Plan

__all__ = ["UntranslatableShapes", "refuse_untranslated", "run"]


class UntranslatableShapes(MaliKGError):
    """The shapes use something the SPARQL engine does not translate; the message names it."""


def refuse_untranslated(plan: Plan) -> None:
    if plan.untranslated:
        raise UntranslatableShapes(
            "The SPARQL engine does not translate these shapes (nothing was validated; "
            "use --engine pyshacl for them):\n  " + "\n  ".join(plan.untranslated))


def run(store: ox.Store, plan: Plan) -> Report:
    """Every check of the plan on the union of the store's graphs, as one report."""
    refuse_untranslated(plan)
    shapes = plan.shapes if plan.shapes is not None else Graph()
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    copied: set = set()
    for check in plan.checks:
        solutions = store.query(check.query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {n: row[n] for n in names if row[n] is not None}
            if "this" not in bound:
                continue
            if check.templates and _true(bound.get("failure")):
                raise MaliKGError(f"The SPARQL constraint of {check.source_shape} reported a "
                                  f"failure for {_show(bound['this'])}.")
            _add_result(graph, report, shapes, check, bound, copied)
    graph.add((report, SH.conforms, Literal(not any(graph.objects(report, SH.result)))))
    return report_from_graph(graph, shapes)


def _add_result(graph: Graph, report, shapes: Graph, check: Check, bound: dict,
                copied: set) -> None:
    focus = to_rdflib(bound["this"])
    value = bound.get("value")
    value = to_rdflib(value) if value is not None else None
    if value is None and check.templates and not check.is_property:
        value = focus  # SHACL-SPARQL on a node shape: the focus node is the value
    path = to_rdflib(bound["path"]) if "path" in bound else check.path_node
    node = BNode()
    graph.add((report, SH.result, node))
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, focus))
    graph.add((node, SH.resultSeverity, SH[check.severity]))
    graph.add((node, SH.sourceConstraintComponent, SH[check.kind + "ConstraintComponent"]))
    graph.add((node, SH.sourceShape, check.node))
    if check.constraint is not None:
        graph.add((node, SH.sourceConstraint, check.constraint))
    if path is not None:
        graph.add((node, SH.resultPath, path))
    if value is not None:
        graph.add((node, SH.value, value))
    for message in check.messages:
        text = _fill(str(message), bound) if check.templates else str(message)
        graph.add((node, SH.resultMessage, Literal(text, lang=message.language)))
    # Blank-node shapes and paths are copied, as pySHACL does, so the report names them.
    for term in (check.node, path, check.constraint):
        if isinstance(term, BNode) and term not in copied:
            copied.add(term)
            graph += shapes.cbd(term)


def _true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


def _fill(message: str, bound: dict) -> str:
    def sub(m: re.Match) -> str:
        term = bound.get(m.group(1))
        if term is None:
            return m.group(0)
        return term.value if isinstance(term, ox.Literal) else _show(term)

    return _TEMPLATE.sub(sub, message)


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return ns.compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


