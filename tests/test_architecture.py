"""The rules of the house that code can check.

The import graph is read from the source (every ``import`` and ``from ... import`` of every module of
``src/guichet``, function-level ones included, migrations left out: they are a frozen history), so that a
rule holds whether or not a module happens to be imported. The layers, low to high, are :data:`HOUSE`; the
apps are the installed ones (``settings.INSTALLED_APPS``), so that a new app cannot escape the rules.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

import guichet

PACKAGE = Path(guichet.__file__).parent
ROOT = PACKAGE.parent

# The house, low to high: a part imports only parts of its own tier or of tiers below (and, within a tier,
# never two parts each other). The small shared modules sit low, above the pure engine and readers.
HOUSE: tuple[tuple[str, ...], ...] = (
    ("engine", "sources"),
    ("data",),
    (
        "agency",
        "cache",
        "charts",
        "concurrency",
        "exports",
        "files",
        "form_errors",
        "formats",
        "hooks",
        "inputs",
        "phrasing",
        "uploads",
        "versioning",
    ),
    ("accounts", "audit", "jobs", "notifications"),
    ("territory",),
    ("catalogue",),
    ("labour",),
    ("projects",),
    ("offers",),
    ("portal",),
    ("backup",),
    ("api", "commands"),
    ("web", "cli"),
)
TIER = {part: level for level, parts in enumerate(HOUSE) for part in parts}
PURE = ("engine", "sources")  # no Django, no app: plain values in and out

# Functions over 100 lines, each with a comment in its code saying why (at most five).
LONG_FUNCTIONS_ALLOWED: dict[str, str] = {}


def _apps() -> list[str]:
    return sorted(
        app.removeprefix("guichet.") for app in settings.INSTALLED_APPS if app.startswith("guichet.")
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts
    }


def _part(module: str) -> str:
    """The top-level part of the house a module belongs to (``guichet.offers.views`` -> ``offers``)."""
    return module.split(".")[1] if "." in module else "guichet"


def _imported_names(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def _graph() -> dict[str, frozenset[str]]:
    """Module -> the modules of src/guichet it imports (a name imported from a package resolves to the
    package's module of that name when there is one, else to the package)."""
    modules = _modules()
    graph: dict[str, frozenset[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = frozenset(targets)
    return graph


def _cycles() -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def _service_and_task(component: set[str]) -> bool:
    """The one circle allowed: an app's services and the task wrapper that runs one in the background."""
    apps = {module.split(".")[1] for module in component}
    if len(apps) != 1:
        return False
    (app,) = apps
    return component == {f"guichet.{app}.services", f"guichet.{app}.tasks"}


# --- the house's parts -------------------------------------------------------------------------------


def test_every_part_of_the_house_has_its_place() -> None:
    parts = {_part(module) for module in _modules()} - {"guichet"}
    assert parts == set(TIER), "place each new package or module in HOUSE"
    assert set(_apps()) <= set(TIER)
    # The installed apps are the ones the old hand list forgot too.
    assert {"labour", "jobs", "notifications", "audit"} <= set(_apps())


# --- engine/ and sources/: pure ------------------------------------------------------------------------


@pytest.mark.parametrize("pure", PURE)
def test_pure_packages_import_neither_django_nor_an_app(pure: str) -> None:
    offenders = set()
    for module, path in _modules().items():
        if _part(module) != pure:
            continue
        for name in _imported_names(module, path):
            top = name.split(".")[0]
            if top == "django" or (top == "guichet" and _part(name) not in PURE):
                offenders.add(f"{module}: {name}")
    assert len([m for m in _modules() if _part(m) == pure]) >= 5
    assert offenders == set()


@pytest.mark.parametrize("pure", PURE)
def test_importing_every_pure_module_loads_no_django(pure: str) -> None:
    modules = [module for module in _modules() if _part(module) == pure]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "apps = sorted(m for m in sys.modules if m.startswith('guichet.') and m.split('.')[1] not in "
        f"{PURE!r})\n"
        "print(','.join(loaded + apps))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


# --- inside an app: reads do not write ----------------------------------------------------------------


def _selectors_params() -> list[str]:
    return [app for app in _apps() if f"guichet.{app}.selectors" in _modules()]


@pytest.mark.parametrize("app", _selectors_params())
def test_selectors_never_import_their_apps_services(app: str) -> None:
    assert f"guichet.{app}.services" not in _graph()[f"guichet.{app}.selectors"]


# --- no circle -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(TIER))
def test_no_import_circle_passes_through(part: str) -> None:
    circles = [
        sorted(component)
        for component in _cycles()
        if not _service_and_task(component) and any(_part(module) == part for module in component)
    ]
    assert circles == []


def test_a_service_and_its_task_are_the_only_circles_allowed() -> None:
    allowed = [sorted(c) for c in _cycles() if _service_and_task(c)]
    assert ["guichet.jobs.services", "guichet.jobs.tasks"] in allowed
    assert not _service_and_task(
        {"guichet.offers.services", "guichet.offers.tasks", "guichet.offers.compare"}
    )


# --- the order of the house ----------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(TIER))
def test_a_part_imports_nothing_above_it(part: str) -> None:
    graph = _graph()
    imported = defaultdict(set)
    for module, targets in graph.items():
        for target in targets:
            if _part(module) != _part(target) and _part(target) != "guichet":
                imported[_part(module)].add((module, target))
    upwards = sorted(f"{a} -> {b}" for a, b in imported[part] if TIER[_part(b)] > TIER[part])
    # Within a tier, one way only: two parts importing each other are one part.
    both_ways = sorted(
        f"{a} -> {b}"
        for a, b in imported[part]
        if TIER[_part(b)] == TIER[part] and any(_part(d) == part for _c, d in imported[_part(b)])
    )
    assert (upwards, both_ways) == ([], [])


def test_the_order_names_what_the_issue_asks() -> None:
    """Projects never import offers (offers build on projects), and the API and the commands sit on top of
    the apps they call, under the web project and the command line."""
    assert TIER["engine"] == TIER["sources"] == 0 < TIER["data"] < TIER["accounts"]
    assert TIER["territory"] < TIER["catalogue"] < TIER["labour"] < TIER["projects"] < TIER["offers"]
    assert TIER["offers"] < TIER["portal"] < TIER["api"] == TIER["commands"] < TIER["web"] == TIER["cli"]


# --- short functions -----------------------------------------------------------------------------------


def _long_functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > 100:
                found.append((node.name, length))
    return found


def _module_params() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in _modules().values())


@pytest.mark.parametrize("path", _module_params())
def test_no_function_is_over_100_lines(path: str) -> None:
    long = [
        f"{name} ({length} lines)"
        for name, length in _long_functions(ROOT / path)
        if f"{path}:{name}" not in LONG_FUNCTIONS_ALLOWED
    ]
    assert long == []


def test_the_few_long_functions_allowed_say_why() -> None:
    assert len(LONG_FUNCTIONS_ALLOWED) <= 5
    for qualified in LONG_FUNCTIONS_ALLOWED:
        path, _colon, name = qualified.partition(":")
        source = (ROOT / path).read_text(encoding="utf-8")
        node = next(
            n
            for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
        )
        lines = source.splitlines()[node.lineno - 3 : node.end_lineno]
        assert any("over 100 lines" in line.lower() and line.strip().startswith("#") for line in lines), (
            qualified
        )
