"""The package's layers import only downward, and every data file is used."""

from __future__ import annotations

import ast
from pathlib import Path

import mali_kg

PACKAGE = Path(mali_kg.__file__).parent

# Layer of each top-level module or subpackage; a module may import only from lower layers
# (or its own subpackage).
LAYERS = {
    "errors": 0,
    "namespaces": 1, "formats": 1, "resources": 1, "lru": 1,
    "jsonld": 1.5,  # the context is built from namespaces and resources; store writes with it
    "store": 2, "provenance": 2, "gate": 2, "negotiation": 2,
    "remote": 2,  # a SPARQL engine read as if it were the store
    "generate": 3, "validate": 3, "queries": 3, "graph_store": 3,
    "shacl_sparql": 4,
    "pages": 4,
    "server": 5,
    "cli": 6,
    "__main__": 7,
}


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_units(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    unit = _unit(path)
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0 for top-level modules
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("mali_kg."):
                found.add(node.module.split(".")[1])
            elif node.level > depth:  # climbs out of the subpackage
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("mali_kg."):
                    found.add(alias.name.split(".")[1])
    found.discard(unit)
    return found


def test_every_module_has_a_layer():
    units = {_unit(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    missing = units - LAYERS.keys()
    assert not missing, f"give these a layer in LAYERS: {missing}"


def test_imports_point_downward():
    files = [p for p in PACKAGE.rglob("*.py") if _unit(p) != "__init__"]
    assert len(files) >= 8
    upward = []
    for path in files:
        unit = _unit(path)
        for target in _imported_units(path):
            if target in LAYERS and LAYERS[target] >= LAYERS[unit]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert not upward, upward


def test_importing_the_package_is_cheap():
    import subprocess
    import sys

    heavy = "('rdflib', 'pyshacl', 'fastapi')"
    code = f"import sys, mali_kg; print([m for m in {heavy} if m in sys.modules] or '')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
