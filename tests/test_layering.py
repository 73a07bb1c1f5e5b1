"""Imports point one way: ui → exporters → models. models/ knows no Qt and no Word."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "models": ("PySide6", "shiboken6", "docx", "ui", "exporters", "demo", "main"),
    "exporters": ("PySide6.QtWidgets", "ui", "demo", "main"),
    # The demo generator fills a database through the data core, and nothing else.
    "demo": ("PySide6", "shiboken6", "docx", "ui", "exporters", "main"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_ui_writes_no_sql():
    keywords = ("INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE", "SELECT ")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if any(k in p.read_text(encoding="utf-8") for k in keywords)]
    assert offenders == []


def test_no_presentation_forms_in_source():
    bad = []
    for package in ("models", "ui", "exporters", "demo"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF for c in text):
                bad.append(str(path.relative_to(ROOT)))
    assert bad == []
