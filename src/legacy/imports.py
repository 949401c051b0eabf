"""Finds imports of the `legacy` app outside it ("0 legacy imports in active code")."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

PACKAGE = "legacy"
#: Test code is not active code: the suite's own fixtures may build legacy records.
TEST_CODE = {"tests", "testing"}


def _imports_legacy(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(a.name == PACKAGE or a.name.startswith(PACKAGE + ".") for a in node.names)
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return node.module == PACKAGE or node.module.startswith(PACKAGE + ".")
    return False


def legacy_imports(root: Path | None = None) -> list[str]:
    """`path:line` of every import of `legacy` in Python code outside the app itself."""
    root = root or Path(settings.SRC_DIR)
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == PACKAGE or TEST_CODE & set(relative.parts[:-1]):
            continue
        if relative.name == "conftest.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.extend(
            f"{relative}:{node.lineno}" for node in ast.walk(tree) if _imports_legacy(node)
        )
    return found
