"""language/ sits below everything: it imports nothing else from resvoice (errors aside)."""

from __future__ import annotations

import ast
from pathlib import Path

LANGUAGE = Path(__file__).resolve().parents[2] / "resvoice" / "language"
ALLOWED = ("resvoice.language", "resvoice.errors")


def resvoice_imports(path: Path) -> set[str]:
    """The resvoice modules a file imports, relative imports resolved inside language/."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                module = f"resvoice.language.{module}".rstrip(".")
            elif node.level > 1:
                module = f"resvoice.{module}".rstrip(".")  # climbs out of language/
            names.update({module, *(f"{module}.{alias.name}" for alias in node.names)})
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name == "resvoice" or name.startswith("resvoice.")}


def test_language_imports_nothing_above_it() -> None:
    offenders = sorted(
        f"{path.name} imports {name}"
        for path in LANGUAGE.rglob("*.py")
        for name in resvoice_imports(path)
        if not any(name == ok or name.startswith(f"{ok}.") for ok in ALLOWED)
    )
    assert offenders == []


def test_the_check_sees_absolute_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from resvoice.agent import notepad\nfrom ..voice import reply\n")
    assert resvoice_imports(module) >= {"resvoice.agent.notepad", "resvoice.voice.reply"}
