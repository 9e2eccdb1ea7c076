"""Callers who correct: a wrong read-back gets a correction instead of a yes, a number the agent
asks for again gets said again, and the result counts the corrections."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import numpy as np

from resvoice.agent.notepad import Notepad
from resvoice.audio.phone_line import through_phone_line
from resvoice.replay.correcting_caller import CorrectingCaller, correction_line, said_back
from resvoice.replay.format import load_transcript
from resvoice.replay.runner import ReplayResult
from resvoice.replay.voice import (
    PIPER_CALLER,
    VoiceProviders,
    VoiceReplayOptions,
    caller_voice,
    replay_voice_transcript,
)
from resvoice.runtime import Runtime
from tests.conftest import CALL_TRANSCRIPTS, TRANSCRIPTS
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.voice import ScriptedTTS

BOOKING = next(p for p in TRANSCRIPTS if p.name.startswith("01_"))
LINES = [t.user or "" for t in load_transcript(BOOKING).turns]


def providers(heard: list[str | None]) -> VoiceProviders:
    stt = OracleSTT(heard, threshold_dbfs=-math.inf, end_silence_ms=300, partial_after_ms=math.inf)

    async def caller(_voice: str) -> ScriptedTTS:
        return ScriptedTTS()

    return VoiceProviders(stt=stt, tts=ScriptedTTS(), caller=caller)


NO_CALLER_ID = next(p for p in TRANSCRIPTS if p.name.startswith("53_"))
"""A booking call with no caller ID: the time, the name and the number each asked for."""


def no_caller_id_lines() -> list[str | None]:
    return [t.user or "" for t in load_transcript(NO_CALLER_ID).turns]


async def replay_no_caller_id(runtime: Runtime, heard: list[str | None]) -> ReplayResult:
    """Transcript 53 through the voice loop, its caller's lines heard as `heard`."""
    return await replay_voice_transcript(
        runtime,
        load_transcript(NO_CALLER_ID),
        source=str(NO_CALLER_ID),
        providers=providers(heard),
        options=VoiceReplayOptions(fast=True),
    )


def booked(**fields: object) -> Notepad:
    base: dict[str, object] = {
        "name": "Maria Garcia",
        "phone": "+15558675309",
        "party_size": 2,
        "date": dt.date(2026, 2, 3),
        "time": dt.time(19, 30),
    }
    return Notepad.model_validate(base | fields)


def test_a_wrong_surname_is_spelled_and_a_wrong_number_said_in_groups() -> None:
    name = correction_line(booked(), booked(name="Maria Garcea"))
    assert name is not None and name.field == "name"
    assert name.line == "No, the name is Maria Garcia, G, A, R, C, I, A."
    lee = correction_line(booked(name="Sam Lee"), booked(name="Sam Lc"))
    assert lee is not None and lee.line == "No, the name is Sam Lee, L, double E."
    phone = correction_line(booked(), booked(phone="+15558675305"))
    assert phone is not None and phone.line == "No, my number is 555-867-5309."
    first = correction_line(booked(), booked(name="Mario Garcia"))
    assert first is not None and first.line == "No, my first name is Maria, M, A, R, I, A."
    late = correction_line(booked(), booked(time=dt.time(19, 0)))
    assert late is not None and late.field == "time" and "7:30" in late.line


def test_nothing_to_correct_when_every_value_was_heard() -> None:
    assert correction_line(booked(), booked(name="maria garcia.")) is None


async def test_a_misheard_number_is_corrected_before_the_yes(runtime: Runtime) -> None:
    misheard = LINES[2].replace("4567", "4576")
    heard = [LINES[0], LINES[1], misheard, "No, my number is 555-123-4567.", LINES[3]]
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers(heard),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert result.notepad["phone"] == "+15551234567" and result.reservation is not None
    assert result.voice is not None and result.voice.corrections == ["phone"]
    fixes = [t for t in result.turns if t.correction]
    assert [t.user for t in fixes] == ["No, my number is triple 5, 1 2 3, 4 5 6 7."]
    assert result.voice.wer is not None and result.voice.wer > 0  # scripted lines only


async def test_a_number_the_agent_asks_for_again_is_said_again(runtime: Runtime) -> None:
    heard = [LINES[0], LINES[1], "It's 555 123", "My number is 555-123-4567.", LINES[3]]
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers(heard),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert result.voice is not None and result.voice.corrections == ["phone"]


async def test_a_number_the_agent_asks_to_be_typed_is_keyed(runtime: Runtime) -> None:
    """A number heard a digit short gets "Could you type your number on the keypad?"; the
    caller keys it."""
    lines = no_caller_id_lines()
    heard = [*lines[:3], "6 1 7, 5 5 5, 0 1 4", *lines[4:]]  # a digit short
    result = await replay_no_caller_id(runtime, heard)
    assert result.passed, result.failures
    assert [t.user for t in result.turns if t.correction] == ["6175550144#"]
    assert result.notepad["phone"] == "+16175550144" and result.reservation is not None


def test_a_number_offered_the_keypad_beside_the_question_is_said_not_keyed() -> None:
    meant = booked(phone="+15551234567")
    caller = CorrectingCaller(SimpleNamespace(state=SimpleNamespace(notepad=meant)))  # type: ignore[arg-type]
    heard = booked(phone=None)
    offered = "And what's the best phone number? You can also type it on the keypad."
    said = caller.repair(heard, offered, "Yes")
    assert said is not None and not said.keyed and said.line.startswith("My number is")
    asked = "Sorry, I didn't get the whole number. Could you type your number on the keypad?"
    keyed = caller.repair(heard, asked, "Yes")
    assert keyed is not None and keyed.keyed and keyed.line == "5551234567#"


async def test_a_line_the_recogniser_misses_is_said_again_after_the_agent_prompts(
    runtime: Runtime,
) -> None:
    """A "yes" the recogniser hears nothing of is silence on the line: the agent's silence
    timer runs out and it prompts again, and the caller says it again; the booking is made."""
    lines = no_caller_id_lines()
    heard = [*lines[:-1], None, lines[-1]]
    result = await replay_no_caller_id(runtime, heard)
    assert result.passed, result.failures
    assert result.voice is not None and result.voice.said_again == 1
    assert result.reservation is not None


async def test_a_hum_the_recogniser_lets_pass_fails_nothing(runtime: Runtime) -> None:
    """A caller's "hmm" between two lines is no turn for a recogniser made to let hums pass:
    the caller hums again after the agent's prompt, nothing is heard either time, and the call
    goes on and books as before."""
    from resvoice.replay.format import TranscriptTurn

    transcript = load_transcript(NO_CALLER_ID)
    turns = [*transcript.turns[:2], TranscriptTurn(user="hmm"), *transcript.turns[2:]]
    lines = no_caller_id_lines()
    result = await replay_voice_transcript(
        runtime,
        transcript.model_copy(update={"turns": turns}),
        source=str(NO_CALLER_ID),
        providers=providers([*lines[:2], None, None, *lines[2:]]),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert result.voice is not None and result.voice.said_again == 2  # hummed, hummed again
    assert result.reservation is not None
    result = await replay_voice_transcript(
        runtime,
        transcript.model_copy(
            update={"turns": [*turns[:2], TranscriptTurn(user="uh, what?"), *turns[3:]]}
        ),
        source=str(NO_CALLER_ID),
        providers=providers([*lines[:2], None, None, *lines[2:]]),
        options=VoiceReplayOptions(fast=True),
    )
    assert any("heard nothing in 'uh, what?'" in f for f in result.failures)  # words: a miss


async def test_a_call_heard_right_needs_no_correction(runtime: Runtime) -> None:
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers(LINES),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert result.voice is not None and result.voice.corrections == []
    assert not any(t.correction for t in result.turns)


def test_mixed_callers_include_piper_and_espeak_voices() -> None:
    names = [f"call {i}" for i in range(40)]
    mixed = {caller_voice(n, "mixed") for n in names}
    assert PIPER_CALLER in mixed and len(mixed - {PIPER_CALLER}) > 1
    assert {caller_voice(n, "piper") for n in names} == {PIPER_CALLER}
    assert PIPER_CALLER not in {caller_voice(n, "espeak") for n in names}
    assert caller_voice("call 1", "mixed") == caller_voice("call 1", "mixed")


def test_the_phone_line_keeps_speech_band_and_drops_what_is_above_4_khz() -> None:
    t = np.arange(16_000) / 16_000

    def level(hz: float) -> float:
        tone = (8000 * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()
        out = np.frombuffer(through_phone_line(tone), dtype="<i2").astype(float)
        assert len(out) == 16_000
        return float(np.sqrt(np.mean(out[2000:-2000] ** 2)))

    assert abs(level(1000) - 8000 / math.sqrt(2)) < 300  # the voice band passes (mu-law noise)
    assert level(6000) < 100  # above the line's 4 kHz: gone


def test_a_number_said_again_uses_double_and_triple() -> None:
    from resvoice.language.phones import extract_phone
    from resvoice.replay.correcting_caller import repeats_said

    said = repeats_said("+15552223344")
    assert said == "triple 5, triple 2, double 3 double 4"
    phone = extract_phone(f"My number is {said}.")
    assert phone is not None and phone.value == "+15552223344"


async def test_a_number_given_again_uses_doubles(runtime: Runtime) -> None:
    heard = [LINES[0], LINES[1], "It's 555 123", "My number is 555-123", "My number is 5551234567"]
    result = await replay_voice_transcript(
        runtime,
        load_transcript(BOOKING),
        source=str(BOOKING),
        providers=providers([*heard, LINES[3]]),
        options=VoiceReplayOptions(fast=True),
    )
    fixes = [t.user for t in result.turns if t.correction]
    assert fixes[:2] == ["My number is triple 5, 1 2 3, 4 5 6 7."] * 2


def test_mixed_callers_keep_the_espeak_voice_of_the_espeak_run() -> None:
    names = [f"call {i}" for i in range(60)]
    mixed = [caller_voice(n, "mixed") for n in names]
    assert 10 <= mixed.count(PIPER_CALLER) <= 30  # about one in three
    assert all(
        m in (PIPER_CALLER, caller_voice(n, "espeak")) for n, m in zip(names, mixed, strict=True)
    )


def test_a_value_said_back_wrong_is_corrected_on_the_spot() -> None:
    heard = booked(name="Aussie", phone=None, time=dt.time(17, 0))
    assert said_back("Thank you, Aussie. And what's the best phone number?", heard) == {"name"}
    assert said_back("Great, at 5 PM. May I have a name?", heard) == {"time"}
    assert said_back("We book every 15 minutes, so I could do 6:15 PM.", heard) == frozenset()
    assert said_back("Sorry, we seat guests from 5 PM to 9:30 PM.", heard) == frozenset()
    wrong = correction_line(booked(), heard, said_back("Thank you, Aussie.", heard))
    assert wrong is not None and wrong.line == "No, the name is Maria Garcia, G, A, R, C, I, A."
    # a value said back right, or one the caller has not given yet, is left alone
    assert (
        correction_line(booked(), booked(), said_back("Thank you, Maria Garcia.", booked())) is None
    )
    assert correction_line(booked(name=None), heard, {"name"}) is None


async def test_a_party_size_the_agent_asks_for_again_is_said_again(runtime: Runtime) -> None:
    year_away = next(p for p in TRANSCRIPTS if p.name.startswith("28_"))
    script = load_transcript(year_away)
    first = script.turns[0].user or ""
    heard = [first.replace("Table for 4", "Channel 44"), "For 4 people.", "yes"]
    result = await replay_voice_transcript(
        runtime,
        script,
        source=str(year_away),
        providers=providers(heard),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures
    assert [t.user for t in result.turns if t.correction] == ["For 4 people."]


async def test_the_callers_memory_never_cancels_the_booking_the_call_is_about(
    runtime: Runtime,
) -> None:
    cancel = next(p for p in CALL_TRANSCRIPTS if p.name.startswith("01_"))
    script = load_transcript(cancel)
    result = await replay_voice_transcript(
        runtime,
        script,
        source=str(cancel),
        providers=providers([t.user or "" for t in script.turns]),
        options=VoiceReplayOptions(fast=True),
    )
    assert result.passed, result.failures


async def test_a_time_the_agent_asks_for_again_is_said_again(runtime: Runtime) -> None:
    """ "Which time works for you?" after a time the agent did not catch: the caller says it
    again, as a person would, rather than going on to give the name."""
    lines = no_caller_id_lines()
    heard = [lines[0], "Around several feet?", "At 7 PM.", *lines[2:]]
    result = await replay_no_caller_id(runtime, heard)
    assert result.passed, result.failures
    assert [t.user for t in result.turns if t.correction] == ["At 7 PM."]


def test_a_name_never_heard_right_still_leaves_the_number_its_correction() -> None:
    """Three corrections of a name the agent keeps mishearing are the caller's last on it; the
    number the confirmation text goes to is still corrected at the read-back."""
    meant = booked(name="John Smith", phone="+15551234567")
    shadow = SimpleNamespace(state=SimpleNamespace(notepad=meant))
    caller = CorrectingCaller(shadow)  # type: ignore[arg-type]
    heard = booked(name="John Smythe", phone="+15551234576")
    readback = "Let me read that back: ... under John Smythe, phone 555-123-4576. Shall I book it?"
    made = [caller.repair(heard, readback, "Yes, book it") for _ in range(5)]
    assert [c.field if c else None for c in made] == ["name", "name", "name", "phone", "phone"]
    assert made[3] is not None and made[3].line == "No, my number is triple 5, 1 2 3, 4 5 6 7."
    right_number = booked(name="John Smythe", phone="+15551234567")
    assert caller.repair(right_number, readback, "Yes, book it") is None
