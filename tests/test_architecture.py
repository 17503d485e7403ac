"""The rules of the house that code can check."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import guichet

PACKAGE = Path(guichet.__file__).parent
APPS = ("web", "territory", "catalogue", "accounts", "projects", "offers", "portal", "api")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_engine_source_imports_neither_django_nor_an_app() -> None:
    forbidden = ("django", *(f"guichet.{app}" for app in APPS))
    engine_files = sorted((PACKAGE / "engine").rglob("*.py"))
    assert len(engine_files) >= 2
    offenders = {
        f"{path.name}: {module}"
        for path in engine_files
        for module in _imported_modules(path)
        if any(module == name or module.startswith(name + ".") for name in forbidden)
    }
    assert offenders == set()


def test_importing_every_engine_module_loads_no_django() -> None:
    modules = [
        f"guichet.engine.{p.stem}" for p in sorted((PACKAGE / "engine").glob("*.py")) if p.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
