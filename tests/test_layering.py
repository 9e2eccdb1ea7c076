"""The core never imports a front end: agent/, storage/, retrieval/, restaurant/, voice/ and
audio/ know nothing above them; the front ends `serve` and `talk` never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "resvoice"
CORE = ("agent", "storage", "retrieval", "restaurant", "voice", "audio")
ABOVE = ("resvoice.cli", "resvoice.runtime", "resvoice.replay", "resvoice.config")
ABOVE = (*ABOVE, "resvoice.commands")  # the command modules cli.py composes
ABOVE = (*ABOVE, "resvoice.server", "resvoice.tui")  # serve and talk are front ends too
SIBLING_FRONT_ENDS = {"server": ("resvoice.tui",), "tui": ("resvoice.server",)}


def imported(path: Path) -> set[str]:
    """Every module a file imports; `from a import b` counts as both `a` and `a.b`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(folder.parent)} imports {name}"
        for path in folder.rglob("*.py")
        for name in imported(path)
        if any(name == module or name.startswith(f"{module}.") for module in forbidden)
    )


def test_core_does_not_import_front_ends_or_settings() -> None:
    assert [line for folder in CORE for line in offenders(PACKAGE / folder, ABOVE)] == []


@pytest.mark.parametrize("folder", sorted(SIBLING_FRONT_ENDS))
def test_front_ends_do_not_import_each_other(folder: str) -> None:
    assert offenders(PACKAGE / folder, SIBLING_FRONT_ENDS[folder]) == []


def test_the_check_catches_each_import_form(tmp_path: Path) -> None:
    voice = tmp_path / "voice"
    voice.mkdir()
    (voice / "a.py").write_text("from resvoice.server.app import create_app\n")
    (voice / "b.py").write_text("import resvoice.tui\n")
    (voice / "c.py").write_text("from resvoice import config\n")
    (voice / "d.py").write_text("from resvoice import configuration_like, speakable\n")
    found = offenders(voice, ABOVE)
    assert {line.split(" imports ")[0] for line in found} == {
        "voice/a.py",
        "voice/b.py",
        "voice/c.py",
    }
    assert "voice/c.py imports resvoice.config" in found


def test_restaurant_data_sits_below_storage_and_retrieval() -> None:
    """storage/ may read a restaurant's model; restaurant/ knows nothing of storage or retrieval,
    and seeding (which joins the three) sits above them in `resvoice.seeding`."""
    below = ("resvoice.storage", "resvoice.retrieval", "resvoice.seeding")
    assert offenders(PACKAGE / "restaurant", below) == []
    assert offenders(PACKAGE / "storage", ("resvoice.retrieval", "resvoice.seeding")) == []
