"""Compare what a call did with a transcript's expectations; each mismatch is one sentence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from resvoice.replay.format import Expect, GivenExpect, MessageExpect


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
    if isinstance(wanted, dt.time):
        return wanted.strftime("%H:%M")
    if isinstance(wanted, dt.date):
        return wanted.isoformat()
    return str(wanted)


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))


def check_given(wanted: list[GivenExpect], states: list[dict[str, Any]]) -> list[str]:
    """Each given reservation against its expectation, only the keys given."""
    failures: list[str] = []
    for index, (expect, state) in enumerate(zip(wanted, states, strict=False), start=1):
        where = f"end of call: given reservation {index}"
        for key, value in expect.model_dump(exclude_none=True).items():
            got = state.get(key)
            if key == "special_requests":
                ok = got is not None and str(value).lower() in str(got).lower()
            else:
                ok = _same(key, value, got)
            if not ok:
                failures.append(f"{where}: {key} is {got!r}, expected {_show(key, value)!r}")
    return failures


def check_messages(wanted: list[MessageExpect], sent: list[dict[str, str]]) -> list[str]:
    """The messages sent, in order, against the complete expected list."""
    failures: list[str] = []
    if len(sent) != len(wanted):
        shown = [f"to {m['to']}: {m['body']!r}" for m in sent] or ["none"]
        failures.append(
            f"end of call: {len(sent)} text messages sent, expected {len(wanted)} "
            f"(sent: {'; '.join(shown)})"
        )
    for index, (expect, message) in enumerate(zip(wanted, sent, strict=False), start=1):
        where = f"end of call: message {index}"
        if message["to"] != expect.to:
            failures.append(f"{where} went to {message['to']!r}, expected {expect.to!r}")
        body = message["body"].lower()
        for needle in expect.contains:
            if needle.lower() not in body:
                failures.append(f"{where} does not contain {needle!r}: {message['body']!r}")
    return failures
