"""Convert the SNIPS `BookRestaurant` utterances into dialogue turns with gold values.

Source: github.com/sonos/nlu-benchmark (CC0 1.0), folder
`2017-06-custom-intent-engines/BookRestaurant/` (`train_BookRestaurant_full.json`, 1,973
utterances, and `validate_BookRestaurant.json`, 100). Each utterance becomes one caller turn in
the `../shared/eval/` JSONL shape (`resvoice eval dialogues` reads it), with no agent line
before it. Gold values are normalised here, by rules of their own, from the annotated spans:

- `party_size_number` ("5", "three", "eleven") -> `party_size` (an integer); a
  `party_size_description` ("my wife and I") is recorded as informed but not normalised, so it
  is not scored;
- `timeRange` -> `time` when the span is a clock time ("8 pm", "at 7:30 am", "noon"), `date`
  when it is a month and day ("March 5th", "the 14th of June", with or without a year, read as
  the next such day on or after 2019-03-01, the eval's today), both when it is one of each
  joined by "at"/"on"; any other span ("tomorrow", "in 2 hours", "next year") is recorded as
  informing both slots but left out of `gold`, so it is not scored.

Run: `python -m bench.corpora.convert_snips SOURCE.json [...] > bench/corpora/snips_....jsonl`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

TODAY = dt.date(2019, 3, 1)
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve thirteen"
_NUMBER_WORDS += " fourteen fifteen sixteen seventeen eighteen nineteen twenty"
_NUMBERS = {w: i for i, w in enumerate(_NUMBER_WORDS.split(" "))}
_MONTH_WORDS = "january february march april may june july august september october november"
_MONTHS = {m: i for i, m in enumerate(f"{_MONTH_WORDS} december".split(" "), start=1)}
_CLOCK_RE = re.compile(
    r"^(?:at\s+|around\s+)?(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>[ap])\.?\s?m\.?$"
)
_NOON_RE = re.compile(r"^(?:at\s+)?(?P<w>noon|midnight)$")
_DATE_RE = re.compile(
    r"^(?:on\s+)?(?:(?P<mon>[a-z]+)\.?\s+(?:the\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?|"
    r"(?:the\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>[a-z]+))"
    r"(?:,?\s+(?P<y>\d{4}))?$"
)


def convert(paths: list[Path]) -> list[dict[str, Any]]:
    """Every utterance of the given SNIPS files as one turn (see the module docstring)."""
    turns: list[dict[str, Any]] = []
    for path in paths:
        for index, utterance in enumerate(json.loads(path.read_text())["BookRestaurant"]):
            text = "".join(part["text"] for part in utterance["data"])
            informed: dict[str, str] = {}
            gold: dict[str, int | str] = {}
            for part in utterance["data"]:
                entity, value = part.get("entity"), part["text"].strip()
                if entity == "party_size_number":
                    informed["party_size"] = value
                    number = _number(value)
                    if number is not None:
                        gold["party_size"] = number
                elif entity == "party_size_description":
                    informed["party_size"] = value
                elif entity == "timeRange":
                    informed["date"] = informed["time"] = value
                    gold.update(_time_range(value.lower()))
            turns.append({
                "dialogue_id": f"snips_{path.stem}_{index:04d}", "turn_idx": 0,
                "split": path.stem, "service": "BookRestaurant", "system_before": "",
                "text": text, "informed": informed, "gold": gold,
            })  # fmt: skip
    return turns


def _number(value: str) -> int | None:
    low = value.lower()
    return int(low) if low.isdigit() else _NUMBERS.get(low)


def _time_range(span: str) -> dict[str, int | str]:
    clock = _clock(span)
    if clock is not None:
        return {"time": clock}
    day = _date(span)
    if day is not None:
        return {"date": day}
    for joint in (r"^(?P<a>.+?)\s+on\s+(?P<b>.+)$", r"^(?P<b>.+?)\s+at\s+(?P<a>.+)$"):
        m = re.match(joint, span)
        if m:
            clock, day = _clock(m.group("a")), _date(m.group("b"))
            if clock is not None and day is not None:
                return {"time": clock, "date": day}
    return {}


def _clock(span: str) -> str | None:
    m = _NOON_RE.match(span)
    if m:
        return "12:00" if m.group("w") == "noon" else "00:00"
    m = _CLOCK_RE.match(span)
    if m is None or not 1 <= int(m.group("h")) <= 12:
        return None
    hour = int(m.group("h")) % 12 + (12 if m.group("ap") == "p" else 0)
    return f"{hour:02d}:{m.group('m') or '00'}"


def _date(span: str) -> str | None:
    m = _DATE_RE.match(span)
    if m is None:
        return None
    month = _MONTHS.get((m.group("mon") or m.group("mon2") or "").rstrip("."))
    if month is None:
        month = next((v for k, v in _MONTHS.items() if k.startswith(m.group("mon") or "-")), None)
    if month is None:
        return None
    day = int(m.group("d1") or m.group("d2"))
    try:
        if m.group("y"):
            return dt.date(int(m.group("y")), month, day).isoformat()
        found = dt.date(TODAY.year, month, day)
        return (found if found >= TODAY else dt.date(TODAY.year + 1, month, day)).isoformat()
    except ValueError:
        return None


if __name__ == "__main__":
    for turn in convert([Path(arg) for arg in sys.argv[1:]]):
        print(json.dumps(turn))
