"""The one "needs the X extra" message: same shape everywhere, and no other copy of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resvoice.errors import ConfigError, MissingExtraError, needs_extra

PACKAGE = Path(__file__).resolve().parents[1] / "resvoice"


def test_the_message_names_the_feature_the_extra_and_the_command() -> None:
    error = MissingExtraError("Piper", "offline", missing="piper_onnx")
    assert isinstance(error, ConfigError)  # the CLI prints it as one line, exit 2
    assert str(error) == (
        "Piper needs the offline extra (piper_onnx is not installed): "
        "pip install 'resvoice[offline]'"
    )
    assert "\n" not in str(error)


def test_an_alternative_and_a_first_step_are_part_of_the_one_line() -> None:
    message = needs_extra("x", "torch", first="install torch first", alternative="use --y")
    assert message == "x needs the torch extra: install torch first, then " + (
        "pip install 'resvoice[torch]', or use --y"
    )


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_spells_the_install_command_itself(path: Path) -> None:
    """Code (not docstrings) builds the command through `resvoice.errors` only."""
    if path.name == "errors.py":
        return
    code = [line for line in path.read_text().splitlines() if not line.lstrip().startswith(("#",))]
    hits = [line for line in code if re.search(r"""["'].*pip install 'resvoice\[""", line)]
    assert hits == []
