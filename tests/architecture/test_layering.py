"""The layering rules of DESIGN.md, checked on the source so that they stay true.

1. Views, API and tasks parse input and call services and selectors; they never write models.
2. Services and selectors never import views, forms, API modules or a request object.
3. `core` imports no domain app; `intelligence/engine` imports only the standard library and numeric
   libraries.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "accord"
DOMAIN_APPS = {
    p.name
    for p in ROOT.iterdir()
    if p.is_dir() and ((p / "models.py").exists() or (p / "models").is_dir())
} - {"core"}
WRITE_METHODS = {"save", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_WRITES = {"create", "update", "delete"}
THIN_MODULES = ("views.py", "api.py", "tasks.py", "share_views.py")
NUMERIC = {"numpy", "scipy", "statsmodels", "networkx", "math", "statistics"}


def python_files(base: Path):
    for path in sorted(base.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        yield path


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the package
                package = path.relative_to(ROOT.parent).with_suffix("").parts[: -node.level]
                base = ".".join(package)
                found.add(f"{base}.{node.module}" if node.module else base)
                if not node.module:
                    found.update(f"{base}.{a.name}" for a in node.names)
            elif node.module:
                found.add(node.module)
    return found


def test_core_imports_no_domain_app():
    offenders = []
    for path in python_files(ROOT / "core"):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "accord" and len(parts) > 1 and parts[1] in DOMAIN_APPS:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def test_engine_imports_only_stdlib_and_numeric_libraries():
    engine = ROOT / "intelligence" / "engine"
    if not engine.exists():
        pytest.skip("no intelligence engine yet")
    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in python_files(engine):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if module.startswith("accord.intelligence.engine") or top in stdlib or top in NUMERIC:
                continue
            offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def write_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls that write models: `.save()`, `bulk_create` …, and `….objects….create/update/delete()`."""
    hits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        receiver = ast.unparse(node.func.value)
        if name in WRITE_METHODS or (name in QUERYSET_WRITES and "objects" in receiver):
            hits.append((node.lineno, f"{receiver}.{name}()"))
    return hits


def test_views_api_and_tasks_do_not_write_models():
    offenders = []
    for path in python_files(ROOT):
        if path.name not in THIN_MODULES:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [f"{path.relative_to(ROOT)}:{line} {call}" for line, call in write_calls(tree)]
    assert not offenders, offenders


def test_services_and_selectors_do_not_import_the_web_layer():
    forbidden_suffixes = (".views", ".forms", ".api", ".share_views")
    forbidden = {"django.http", "rest_framework.request", "django.shortcuts"}
    offenders = []
    for path in python_files(ROOT):
        if path.name not in {
            "services.py",
            "selectors.py",
            "sharing.py",
        } and path.parent.name not in {
            "services",
            "selectors",
        }:
            continue
        for module in imported_modules(path):
            if module in forbidden or module.endswith(forbidden_suffixes):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def test_the_rules_can_fail(tmp_path):
    """The checks find a violation when one exists (guards against a test that cannot fail)."""
    bad = tmp_path / "views.py"
    bad.write_text("def v(request):\n    Organization.objects.create(name='x')\n    form.save()\n")
    hits = write_calls(ast.parse(bad.read_text()))
    assert len(hits) == 2
    assert "parties" in DOMAIN_APPS and "core" not in DOMAIN_APPS
