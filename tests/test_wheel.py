"""A wheel built from this tree installs into a fresh venv and runs the demo from any directory:
`resvoice seed`, then `resvoice replay --demo`, with every shipped transcript passing.

Offline: the wheel is built without build isolation (setuptools and wheel come from the dev
extra), and the fresh venv gets resvoice only from the wheel; its dependencies are the running
environment's site-packages, added by a `.pth` file, so nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from resvoice.demo import transcript_files

ROOT = Path(__file__).resolve().parents[1]


def test_a_wheel_seeds_and_replays_the_demo_from_anywhere(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "src", tmp_path / "dist")
    with zipfile.ZipFile(wheel) as built:
        carried = set(built.namelist())
    for data in ("surnames.txt.gz", "given.txt.gz"):  # the names a spelling is weighed against
        assert f"resvoice/language/data/{data}" in carried
    python = fresh_venv(tmp_path / "venv")
    pip(python, "install", "--no-deps", "--no-index", "--quiet", str(wheel))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    db = f"sqlite:///{tmp_path / 'demo.db'}"

    where = run(python, "-c", "import resvoice; print(resvoice.__file__)", cwd=elsewhere)
    assert where.stdout.startswith(str(tmp_path / "venv")), where.stdout  # not this checkout
    resvoice = python.parent / "resvoice"  # the wheel's console script
    seeded = run(resvoice, "seed", "--db", db, cwd=elsewhere)
    assert "Seeded" in seeded.stdout
    replayed = run(resvoice, "replay", "--demo", "--db", db, cwd=elsewhere)
    shipped = len(transcript_files())
    assert shipped >= 30
    assert f"{shipped} of {shipped} transcripts passed" in replayed.stdout


def build_wheel(source: Path, dist: Path) -> Path:
    """A copy of the tree's package files (so no build output lands in the checkout), built."""
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "resvoice", source / "resvoice", ignore=shutil.ignore_patterns("__pycache__")
    )
    build = ["wheel", "--no-deps", "--no-build-isolation", "--quiet", "--wheel-dir", str(dist)]
    subprocess.run(
        [sys.executable, "-m", "pip", *build, str(source)],
        check=True,
        capture_output=True,
        env=clean_env(),
    )
    [wheel] = dist.glob("resvoice-*.whl")
    return wheel


def fresh_venv(folder: Path) -> Path:
    """A venv without resvoice whose imports fall back to this environment's packages."""
    venv.create(folder, with_pip=False, symlinks=True)
    python = folder / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    outer = {*site.getsitepackages(), sysconfig.get_path("purelib")}
    # Appended after the venv's own site-packages, so the wheel's resvoice wins; a path listed
    # in a .pth does not run that folder's own .pth files, so the checkout's editable install
    # of resvoice stays out.
    (Path(purelib.stdout.strip()) / "outer.pth").write_text("\n".join(sorted(outer)) + "\n")
    return python


def pip(python: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), *args],
        check=True,
        capture_output=True,
        env=clean_env(),
    )


def run(program: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(program), *args], cwd=cwd, capture_output=True, text=True, env=clean_env()
    )
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def clean_env() -> dict[str, str]:
    """No PYTHONPATH (it would put this checkout first) and no keys or database settings."""
    prefixes = ("RESVOICE_", "OPENAI_", "DEEPGRAM_", "TWILIO_", "PYTHON")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.pop("DATABASE_URL", None)
    return env
