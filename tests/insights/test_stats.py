"""`resvoice stats` figures, checked against expectations computed without the stats code."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from resvoice.agent.notepad import ALL_FIELDS, REQUIRED_FIELDS
from resvoice.cli import app
from resvoice.insights.html import render_html
from resvoice.insights.stats import CallStats, compute_stats, load_stats
from resvoice.replay.own_book import own_book
from resvoice.replay.runner import ReplayResult, replay_file
from resvoice.runtime import Runtime
from resvoice.storage import open_storage
from resvoice.storage.records import EscalationRecord, SessionRecord, TranscriptLine
from tests.conftest import CALL_TRANSCRIPTS, TRANSCRIPTS

runner = CliRunner()
UTC = dt.UTC


def _yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


async def _replay_all(runtime: Runtime) -> list[ReplayResult]:
    results = []
    for path in TRANSCRIPTS:  # each on the book as it stood before it, as `replay` runs them
        async with own_book(runtime.storage):
            results.append(await replay_file(runtime, path))
    assert all(r.passed for r in results), [r.failures for r in results if not r.passed]
    return results


async def test_stats_of_the_replayed_transcripts(runtime: Runtime) -> None:
    results = await _replay_all(runtime)
    stats = await load_stats(runtime.storage)

    files = [_yaml(path) for path in TRANSCRIPTS]
    ends = [f.get("expect") or {} for f in files]
    # Read off the transcripts' own end-of-call expectations: every call that books holds all
    # five required fields; the calls that escalate each name their reason (16 and 55 party
    # size, 17 and 18 ask for a person, 19 is frustrated, 20 runs out of turns with data
    # missing). Counted from the files, so a new shipped transcript needs no edit here.
    booked = sum(e.get("reservation") == "booked" for e in ends)
    calls = len(TRANSCRIPTS)
    assert booked >= 19 and calls >= 34
    escalated = sum(e.get("escalated") is True for e in ends)
    reasons = Counter(e["escalation_reason"] for e in ends if "escalation_reason" in e)
    assert escalated >= 5 and sum(reasons.values()) == escalated  # each escalation has its reason
    assert {"user_requested", "party_size", "frustrated", "missing_data"} <= set(reasons)

    assert stats.sessions == calls
    assert stats.completed_calls == booked
    assert stats.completion_rate == pytest.approx(booked / calls)
    assert stats.escalated_sessions == escalated
    assert stats.escalation_rate == pytest.approx(escalated / calls)
    assert stats.escalation_reasons == {**reasons, "other": 0}
    assert stats.pickup_s is None  # text replays transfer at once; no human claimed anything

    # Data capture, from what the replay runner reports for each call.
    complete = sum(r.data_complete for r in results)
    assert complete == booked  # every booked call, and no other, holds all five required fields
    assert stats.complete_sessions == complete
    assert stats.complete_share == pytest.approx(booked / calls)
    caller_turns = sum(
        1 for f in files for t in f["turns"] if (t.get("user") or "").strip() or "dtmf" in t
    )
    captured = sum(len([k for k in r.notepad if k in ALL_FIELDS]) for r in results)
    assert stats.caller_turns == caller_turns
    assert stats.fields_captured == captured
    assert stats.fields_per_turn == pytest.approx(captured / caller_turns)
    missing = Counter(f for r in results for f in REQUIRED_FIELDS if f not in r.notepad)
    assert stats.missing_fields == {f: missing[f] for f in REQUIRED_FIELDS}
    top = max(missing.values())
    assert stats.most_missing_field == next(f for f in REQUIRED_FIELDS if missing[f] == top)

    # Every replayed call ends, on a clock pinned to the file's `today`: zero seconds each.
    assert stats.ended_calls == calls
    assert stats.average_duration_s == 0.0
    days = Counter(str(f["today"])[:10] for f in files)
    assert stats.calls_per_day == dict(sorted(days.items()))
    assert days["2026-02-02"] >= 33 and sum(days.values()) == calls

    # Latency is wall-clock: only its shape can be known in advance.
    for series in (stats.rag_latency_ms, stats.sql_latency_ms):
        assert series is not None and series.samples > 0
        assert series.values[0] <= series.p50 <= series.p95 <= series.p99 <= series.values[-1]
    assert stats.voice_sessions == 0 and stats.voice_latency_ms == {}


def _session(
    cid: str,
    *,
    notepad: dict[str, Any],
    turns: int,
    metadata: dict[str, Any],
) -> SessionRecord:
    at = dt.datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    lines = tuple(TranscriptLine(role="caller", text=f"turn {i}", at=at) for i in range(turns))
    return SessionRecord(conversation_id=cid, notepad=notepad, metadata=metadata, transcript=lines)


def _escalation(cid: str, reason: str, **extra: Any) -> EscalationRecord:
    return EscalationRecord(conversation_id=cid, reason=reason, **extra)


def test_figures_on_hand_built_sessions() -> None:
    full = {"name": "Ann", "phone": "+15551234567", "party_size": 2, "date": "2026-03-02"}
    sessions = [
        _session(
            "a",
            notepad={**full, "time": "19:00", "email": "a@b.co"},
            turns=4,
            metadata={
                "reservation_id": 7,
                "started_at": "2026-03-01T19:00:00+00:00",
                "ended_at": "2026-03-01T19:02:00+00:00",
                "rag_latency_ms": [float(v) for v in range(1, 51)],
                "sql_latency_ms": [2.0, 4.0],
                "voice_turns": [
                    {
                        "end_of_speech_to_final_ms": 100 * i,
                        "final_to_first_token_ms": 10 * i,
                        "first_token_to_first_sentence_ms": 5,
                        "first_sentence_to_first_audio_ms": 20 * i,
                        "end_of_speech_to_first_audio_ms": 1000 + i,
                    }
                    for i in range(1, 21)
                ],
                "voice_errors": {"stt": 1, "tts": 0, "llm": 2},
            },
        ),
        _session(
            "b",
            notepad=full,
            turns=3,
            metadata={
                "started_at": "2026-03-02T12:00:00+00:00",
                "ended_at": "2026-03-02T12:01:00+00:00",
                "rag_latency_ms": [float(v) for v in range(51, 101)],
                "voice_errors": {"stt": 2},
            },
        ),
        _session(
            "c",
            notepad={"party_size": 12},
            turns=2,
            metadata={"started_at": "2026-03-02T13:00:00+00:00"},  # never ended
        ),
        _session("d", notepad={}, turns=1, metadata={"started_at": "2026-03-02T14:00:00+00:00"}),
    ]
    created = dt.datetime(2026, 3, 2, 13, 0, 5)
    escalations = [
        _escalation(
            "c",
            "party_size",
            status="resolved",  # claimed, then resolved: the pickup still counts
            claimed_by="Maria",
            claimed_at=created + dt.timedelta(seconds=40),
            created_at=created,
            updated_at=created + dt.timedelta(seconds=900),
        ),
        _escalation("d", "agent_requested", status="transferred", created_at=created),
        _escalation(
            "d",
            "user_requested",
            status="claimed",
            claimed_by="Sam",
            claimed_at=created + dt.timedelta(seconds=10),
            created_at=created,
            updated_at=created + dt.timedelta(seconds=300),  # detail updated after the claim
        ),
    ]
    stats = compute_stats(sessions, escalations)

    assert stats.sessions == 4
    assert (stats.complete_sessions, stats.complete_share) == (1, 0.25)  # only "a" has a time
    assert (stats.fields_captured, stats.caller_turns) == (6 + 4 + 1 + 0, 4 + 3 + 2 + 1)
    assert stats.fields_per_turn == pytest.approx(11 / 10)
    assert stats.missing_fields == {"name": 2, "phone": 2, "party_size": 1, "date": 2, "time": 3}
    assert stats.most_missing_field == "time"
    assert (stats.completed_calls, stats.completion_rate) == (1, 0.25)
    assert (stats.escalated_sessions, stats.escalation_rate) == (2, 0.5)
    assert stats.escalation_reasons == {
        "user_requested": 1,
        "missing_data": 0,
        "frustrated": 0,
        "party_size": 1,
        "other": 1,
    }
    assert stats.pickup_s is not None
    assert (stats.pickup_s.samples, stats.pickup_s.p50, stats.pickup_s.p95) == (2, 10.0, 40.0)
    assert (stats.ended_calls, stats.average_duration_s) == (2, 90.0)
    # nearest rank over 1..100: p50 is the 50th value, p95 the 95th, p99 the 99th
    rag = stats.rag_latency_ms
    assert rag is not None and (rag.samples, rag.p50, rag.p95, rag.p99) == (100, 50, 95, 99)
    sql = stats.sql_latency_ms
    assert sql is not None and (sql.p50, sql.p95, sql.p99) == (2.0, 4.0, 4.0)
    assert stats.voice_sessions == 1
    voice = stats.voice_latency_ms
    assert (voice["stt"].p50, voice["stt"].p95) == (1000, 1900)  # 100..2000: 10th and 19th
    assert (voice["llm"].p50, voice["llm"].p95) == (100, 190)
    assert (voice["tts"].p50, voice["tts"].p95) == (200, 380)
    assert (voice["end_to_end"].p50, voice["end_to_end"].p95) == (1010, 1019)
    assert stats.voice_errors == {"stt": 3, "tts": 0, "llm": 2}
    assert stats.calls_per_day == {"2026-03-01": 1, "2026-03-02": 3}
    page = render_html(stats)
    for chart in ("voice stt", "voice llm", "voice tts", "voice end to end", "RAG retrieval"):
        assert f'aria-label="{chart} latency distribution"' in page


def test_no_sessions_means_no_figures_not_a_division_by_zero() -> None:
    stats = compute_stats([], [])
    assert stats.empty
    assert stats.complete_share is None and stats.escalation_rate is None
    assert "no sessions yet" in render_html(stats)


def test_cli_on_an_empty_database(tmp_path: Path, settings: object) -> None:
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    assert runner.invoke(app, ["db", "migrate", "--db", db]).exit_code == 0  # stats creates none
    shown = runner.invoke(app, ["stats", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "no sessions yet" in shown.output
    as_json = runner.invoke(app, ["stats", "--db", db, "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["sessions"] == 0


async def test_since_keeps_only_later_calls(tmp_path: Path) -> None:
    storage = await open_storage(f"sqlite:///{tmp_path / 'since.db'}")
    try:
        await storage.save_session(SessionRecord(conversation_id="old"))
        stored = await storage.load_session("old")
        assert stored is not None and stored.created_at is not None
        later = stored.created_at + dt.timedelta(seconds=1)
        assert (await load_stats(storage)).sessions == 1
        assert (await load_stats(storage, later)).empty
    finally:
        await storage.close()


def test_cli_json_html_and_bad_since(seeded_url: str, tmp_path: Path, settings: object) -> None:
    replayed = runner.invoke(app, ["replay", "--db", seeded_url, *map(str, TRANSCRIPTS[:3])])
    assert replayed.exit_code == 0, replayed.output
    page = tmp_path / "report[v2].html"  # brackets are not console markup
    shown = runner.invoke(app, ["stats", "--db", seeded_url, "--html", str(page)])
    assert shown.exit_code == 0, shown.output
    assert f"report written to {page}" in shown.output.replace("\n", "")
    assert "sessions" in shown.output and "Escalations" in shown.output
    html = page.read_text()
    for chart in ("calls per day", "escalation reasons", "SQL availability latency distribution"):
        assert f'aria-label="{chart}"' in html
    for fetched in ("<script", "<link", "src=", "http://", "https://"):
        assert fetched not in html  # self-contained: opens offline
    data = json.loads(runner.invoke(app, ["stats", "--db", seeded_url, "--json"]).output)
    assert data["sessions"] == 3 and data["completed_calls"] == 3
    assert "values" not in data["sql_latency_ms"]
    bad = runner.invoke(app, ["stats", "--db", seeded_url, "--since", "last tuesday"])
    assert bad.exit_code == 2
    assert "not a date" in bad.output and "Traceback" not in bad.output


def test_stats_model_round_trips() -> None:
    assert CallStats.model_validate(CallStats(sessions=1).model_dump()).sessions == 1


async def test_time_to_pickup_is_the_stored_claim_time(database_url: str) -> None:
    """On either backend: a console claim records `claimed_at`, and a later resolve keeps it."""
    storage = await open_storage(database_url)
    try:
        await storage.save_session(SessionRecord(conversation_id="c1"))
        await storage.save_session(SessionRecord(conversation_id="c2"))
        first = await storage.create_escalation(_escalation("c1", "frustrated"))
        await storage.create_escalation(_escalation("c2", "user_requested"))  # never claimed
        claimed = await storage.claim_escalation("maria", escalation_id=first.id)
        assert claimed is not None and first.id is not None
        await storage.update_escalation(first.id, "resolved", "called back")
        stats = await load_stats(storage)
    finally:
        await storage.close()
    assert claimed.claimed_at is not None and claimed.created_at is not None
    expected = (claimed.claimed_at - claimed.created_at).total_seconds()
    assert stats.pickup_s is not None
    assert (stats.pickup_s.samples, stats.pickup_s.p50) == (1, pytest.approx(expected))


async def test_stats_count_cancellations_and_changes_made_by_phone(runtime: Runtime) -> None:
    """The shipped v2 calls, counted from their own expectations: a given booking that ends
    cancelled was cancelled by phone; one that ends booked with another time, date, party or
    note was changed (running late is a change too, of kind late)."""
    results = [await replay_file(runtime, path) for path in CALL_TRANSCRIPTS]
    assert all(r.passed for r in results), [r.failures for r in results if not r.passed]
    cancelled = sum(g["status"] == "cancelled" for r in results for g in r.given_reservations)
    stats = await load_stats(runtime.storage)
    assert cancelled >= 4
    assert stats.phone_cancellations == cancelled
    moved = notes = late = 0
    for path, result in zip(CALL_TRANSCRIPTS, results, strict=True):
        given = _yaml(path).get("given", {}).get("reservations", [])
        for before, after in zip(given, result.given_reservations, strict=True):
            if after["status"] == "booked" and (
                after["time"] != before["time"]
                or after["date"] != before["date"]
                or after["party_size"] != before["party_size"]
                or after["special_requests"] != before.get("special_requests")
                or after["late_minutes"] is not None
            ):
                moved += 1
            late += after["late_minutes"] is not None
            # running late is noted on the booking too, as a change of kind late
            notes += (
                after["special_requests"] != before.get("special_requests")
                and after["late_minutes"] is None
            )
    assert moved >= 8
    # one change per changed booking, and two more: 27 moves its booking, then adds a note;
    # 84 notes the delay, then changes the party
    assert stats.phone_changes == moved + 2
    assert stats.changes_by_kind["late"] == late >= 2
    assert stats.changes_by_kind["note"] == notes >= 2


async def test_stats_count_staff_changes_no_show_risk_and_texts(any_runtime: Runtime) -> None:
    """Staff cancel one booking and move another twice (at no-show risk then); texts are
    counted by outcome; a booking only booked is no risk; on both backends."""
    import datetime as dt

    from resvoice.agent.messenger import MessageResult, RecordingMessenger
    from resvoice.storage.records import ReservationRequest
    from tests.book.test_bookings_command import WEDNESDAY

    class Refusing:
        async def send(self, to: str, body: str) -> MessageResult:
            return MessageResult(to=to, body=body, sent=False, error="refused")

    storage = any_runtime.storage

    async def booked(name: str) -> str:
        request = ReservationRequest(
            conversation_id=None, name=name, phone="+14155550190", party_size=2,
            date=WEDNESDAY, time=dt.time(18, 0), sitting_minutes=90,
        )  # fmt: skip
        reservation = (await storage.book(request)).reservation
        assert reservation is not None
        return reservation.code

    first, second, third = await booked("A"), await booked("B"), await booked("C")
    book = any_runtime.staff_book()
    await book.cancel(first, text=False)
    await book.move(second, time=dt.time(19, 0))
    await book.note(second, "window", text=False)
    await book.settle()
    for sender, to in ((RecordingMessenger(), "+14155550190"), (Refusing(), "+14155550191")):
        outbox = any_runtime.outbox(sender)
        await outbox.send(to, "hello")
        await outbox.drain()
    skipped = any_runtime.outbox(RecordingMessenger())
    await skipped.send("0190", "hello")
    await skipped.drain()
    stats = await load_stats(storage)
    assert (stats.staff_cancellations, stats.staff_changes) == (1, 2)
    assert (stats.no_show_risk, stats.no_show_risk_booked) == (1, 1)
    assert third
    # the staff move's text went through the runtime's sender, which is not configured here
    assert stats.texts == {"sent": 1, "failed": 1, "skipped": 2}
    assert stats.as_json()["no_show_risk"] == 1
