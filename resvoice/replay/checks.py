"""Compare what a call did with a transcript's expectations; each mismatch is one sentence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from resvoice.replay.format import Expect


def check(
    expect: Expect,
    *,
    where: str,
    reply: str | None,
    notepad: dict[str, Any],
    data_complete: bool,
    reservation_id: int | None,
    escalation_reason: str | None,
) -> list[str]:
    failures: list[str] = []
    for key, wanted in (expect.notepad or {}).items():
        got = notepad.get(key)
        if not _same(key, wanted, got):
            failures.append(f"{where}: notepad.{key} is {got!r}, expected {_show(key, wanted)!r}")
    if reply is not None:
        lowered = reply.lower()
        for needle in expect.reply_contains:
            if needle.lower() not in lowered:
                failures.append(f"{where}: reply does not contain {needle!r}: {reply!r}")
        for needle in expect.reply_not_contains:
            if needle.lower() in lowered:
                failures.append(f"{where}: reply contains {needle!r}: {reply!r}")
    if expect.data_complete is not None and expect.data_complete != data_complete:
        failures.append(
            f"{where}: data_complete is {data_complete}, expected {expect.data_complete}"
        )
    if expect.reservation is not None:
        got_res = "booked" if reservation_id is not None else "none"
        if got_res != expect.reservation:
            failures.append(f"{where}: reservation is {got_res}, expected {expect.reservation}")
    escalated = escalation_reason is not None
    if expect.escalated is not None and expect.escalated != escalated:
        detail = f" ({escalation_reason})" if escalation_reason else ""
        failures.append(f"{where}: escalated is {escalated}{detail}, expected {expect.escalated}")
    if expect.escalation_reason is not None and expect.escalation_reason != escalation_reason:
        failures.append(
            f"{where}: escalation_reason is {escalation_reason!r}, "
            f"expected {expect.escalation_reason!r}"
        )
    return failures


def _same(key: str, wanted: Any, got: Any) -> bool:
    if wanted is None:
        return got is None
    if got is None:
        return False
    if key == "phone":
        return (
            _digits(wanted) == _digits(got)
            and str(wanted).startswith("+") == str(got).startswith("+")
        ) or (isinstance(wanted, int) and _digits(wanted) == _digits(got))
    if key in ("name", "special_requests", "email"):
        return " ".join(str(wanted).split()).lower() == " ".join(str(got).split()).lower()
    return _show(key, wanted) == str(got)


def _show(key: str, wanted: Any) -> str:
    if key == "time" and isinstance(wanted, int):  # YAML 1.1 base-60: 19:00 -> 1140
        return f"{wanted // 60:02d}:{wanted % 60:02d}"
    if key == "time" and isinstance(wanted, str) and re.fullmatch(r"\d:\d\d", wanted):
        return f"0{wanted}"
    if isinstance(wanted, dt.date):
        return wanted.isoformat()
    return str(wanted)


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))
