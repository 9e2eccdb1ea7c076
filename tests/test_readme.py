"""The README a newcomer reads: short, its test command the one CI runs, its settings real, and
every link in it and in docs/ pointing at a file of this repository."""

from __future__ import annotations

import re
from pathlib import Path

from resvoice.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev,offline]' "
    "&& .venv/bin/python -m pytest"
)


def test_the_readme_is_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_the_readme_test_command_is_what_ci_runs() -> None:
    assert TEST_COMMAND in README.read_text(encoding="utf-8")
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_readme_names_only_real_settings() -> None:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ")[0]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", section))
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert named and named - aliases == set()


def test_links_stay_inside_the_repository_and_resolve() -> None:
    broken = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" in target:
                continue
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
        broken += [f"{page.relative_to(ROOT)}: {p}" for p in re.findall(r"`(\.\./[^`]*)`", text)]
    assert broken == []
