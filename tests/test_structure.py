"""The package's layers import only downward, and every data file is used; the server writes
no HTML and reaches the pages only where the app is assembled."""

from __future__ import annotations

import ast
import re
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
    "engine_http": 1,
    "remote": 2.5,  # a remote engine read like the store; the gate cuts FROM for it
    "graph_store": 3,
    "generate": 3, "validate": 3, "queries": 3,
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


# Server modules allowed to import mali_kg.pages, and why.
PAGES_IMPORTERS = {
    "serving.py": "assembles the app: the pages' renderer and router",
    "worker.py": "runs the validation jobs of the /validate page (no HTML)",
}
# HTML elements (not those of SPARQL's XML results: head, link).
_MARKUP = re.compile(r"<(!doctype|html|body|main|a|p|h[1-6]|table|tr|td|ul|li|div|span|code"
                     r"|script)[\s>]", re.IGNORECASE)


def test_the_server_reaches_the_pages_only_where_the_app_is_assembled():
    files = sorted((PACKAGE / "server").glob("*.py"))
    assert len(files) >= 8
    importers = {p.name for p in files if "pages" in _imported_units(p)}
    assert importers == PAGES_IMPORTERS.keys(), importers


def test_the_server_writes_no_markup():
    # Every HTML page comes from the templates of mali_kg.pages, through ctx.renderer.
    files = sorted((PACKAGE / "server").glob("*.py"))
    assert len(files) >= 8
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and _MARKUP.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "write HTML in mali_kg/pages/templates/:\n" + "\n".join(found)


def test_importing_the_package_is_cheap():
    import subprocess
    import sys

    heavy = "('rdflib', 'pyshacl', 'fastapi')"
    code = f"import sys, mali_kg; print([m for m in {heavy} if m in sys.modules] or '')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
