"""Dependencies point one way: the ground floor and the pure engine import nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> dict[str, set[str]]:
    """Per module file of a package: every module it imports (absolute names)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offending(package: str, allowed_prefixes: tuple[str, ...], forbidden: tuple[str, ...]):
    bad = []
    for module, names in imported_modules(package).items():
        for name in names:
            inside = name.startswith("matcher") or name.startswith("providers")
            if inside and not name.startswith(allowed_prefixes):
                bad.append(f"{module} imports {name}")
            if name.split(".")[0] in forbidden:
                bad.append(f"{module} imports {name}")
    return bad


@pytest.mark.parametrize(
    ("package", "allowed", "forbidden"),
    [
        # The reference room is the ground floor: data files and their loaders only.
        ("matcher.reference", ("matcher.reference",), ("sqlalchemy", "flask_sqlalchemy")),
        # The engine is pure: plain dataclasses, no web framework, no database.
        (
            "matcher.engine",
            ("matcher.engine", "matcher.reference.menukaart", "matcher.reference.dimensions",
             "matcher.reference.requirements"),
            ("flask", "flask_babel", "sqlalchemy", "flask_sqlalchemy"),
        ),
        # The exchange format reads the reference facts and the bounds (matcher.limits),
        # never the application rooms.
        ("matcher.exchange", ("matcher.exchange", "matcher.reference", "matcher.engine",
                              "matcher.limits"),
         ("flask", "sqlalchemy")),
    ],
)
def test_lower_layers_import_nothing_above_them(package, allowed, forbidden):
    assert offending(package, allowed, forbidden) == []


def test_schools_do_not_import_observations():
    # Observations build on schools (groups, bookings); the other way round would be a cycle.
    bad = [
        f"{module} imports {name}"
        for module, names in imported_modules("matcher.schools").items()
        for name in names
        if name.startswith("matcher.observations")
    ]
    assert bad == []


def test_the_bounds_load_without_a_web_framework():
    # matcher.limits is read by the exchange format: flask only inside its functions.
    top_level = [node for node in ast.parse((ROOT / "matcher/limits.py").read_text("utf-8")).body
                 if isinstance(node, ast.Import | ast.ImportFrom)]
    assert not [n for n in top_level if "flask" in ast.dump(n)]
