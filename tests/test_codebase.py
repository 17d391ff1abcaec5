"""Habits of the codebase that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_MODULES = [
    *ROOT.glob("*/services.py"),
    *ROOT.glob("*/services/*.py"),
    ROOT / "lending" / "campaigns.py",
]


def test_every_public_service_function_has_a_docstring():
    missing = []
    for path in SERVICE_MODULES:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and not ast.get_docstring(node):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []


def test_the_ground_floor_imports_no_app():
    """culturecenter is imported by the apps, never the other way round (DESIGN §3)."""
    upward = []
    for path in (ROOT / "culturecenter").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            upward += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in {"activities", "lending", "feedback", "bench"}
            ]
    assert upward == []
