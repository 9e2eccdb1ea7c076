"""Build `resvoice/language/data/*.txt.gz`, the names `resvoice.language.known_names` knows.

Source: the US Census Bureau's 1990 name lists (public domain, a work of the US government),
as shipped in the PyPI sdist of `names` 0.3.0 (MIT, github.com/treyhunner/names), folder
`names/`: `dist.all.last` (88,799 surnames), `dist.female.first` (4,275 given names) and
`dist.male.first` (1,219). Each line is `NAME freq cumfreq rank`, most frequent first.

Written out: `surnames.txt.gz` and `given.txt.gz`, one upper-case name a line, most frequent
first (the order is the only frequency kept; a given name on both lists is written once, at its
better rank by frequency). One kind of entry is left out: a rare surname (past rank 10,000) that
is a surname at least 50 times commoner less its last letter ("HENDERSO", rank 72,047, beside
HENDERSON, 81; "WILLI", "RODRIGUE", "SAUNDER"): a name cut short on a form, not a name of its
own (about 200 of them; "RUSSEL", rank 5,804, stays). Otherwise a spelling with its last letter
dropped, the commonest slip, would find the cut-short entry and stop there.

Run: `python -m bench.corpora.census_names /tmp/pipchk/names-0.3.0/names`.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

RARE_FROM, COMMONER = 10_000, 50
OUT = Path(__file__).resolve().parents[2] / "resvoice" / "language" / "data"


def read_list(path: Path) -> list[tuple[str, float]]:
    """(name, frequency in percent) per line, in the file's order."""
    rows = []
    for line in path.read_text("ascii").splitlines():
        if line.strip():
            name, freq, _cum, _rank = line.split()
            rows.append((name, float(freq)))
    return rows


def write(path: Path, names: list[str]) -> None:
    # mtime 0: the same lists give the same bytes, so a rebuild shows no diff
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(names) + "\n").encode("ascii"))


def cut_short(names: list[str]) -> set[str]:
    """The rare names that are a far commoner name less its last letter (see the module doc)."""
    rank = {name: at for at, name in enumerate(names, start=1)}
    return {
        name
        for name, at in rank.items()
        if at > RARE_FROM
        and any(rank.get(name + c, at) * COMMONER < at for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    }


def main(source: Path) -> None:
    listed = [name for name, _ in read_list(source / "dist.all.last")]
    dropped = cut_short(listed)
    surnames = [name for name in listed if name not in dropped]
    given: dict[str, float] = {}
    for file in ("dist.female.first", "dist.male.first"):
        for name, freq in read_list(source / file):
            given[name] = max(freq, given.get(name, 0.0))
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "surnames.txt.gz", surnames)
    write(OUT / "given.txt.gz", sorted(given, key=lambda n: (-given[n], n)))
    print(f"{len(surnames)} surnames ({len(dropped)} cut short left out), {len(given)} given names")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
