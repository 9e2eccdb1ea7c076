"""The core never imports a front end: agent/, storage/, retrieval/ know nothing above them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "resvoice"
CORE = ("agent", "storage", "retrieval", "restaurant")
ABOVE = ("resvoice.cli", "resvoice.runtime", "resvoice.replay", "resvoice.config")
ABOVE = (*ABOVE, "resvoice.server")  # serve is a front end too


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_core_does_not_import_front_ends_or_settings() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for folder in CORE
        for path in (PACKAGE / folder).rglob("*.py")
        for name in imported(path)
        if name.startswith(ABOVE)
    ]
    assert offenders == []
