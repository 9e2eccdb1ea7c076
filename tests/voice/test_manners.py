"""Turn-taking manners: protected read-backs are not cut off, and a false interruption (a
cough, an "mm-hmm", noise) is followed by the cut sentence, resumed. Driven by events and
gates, like the barge-in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest

from resvoice.agent.events import ReplyDelta, TextDelta, TurnCompleted
from resvoice.voice.events import AgentSpeech, BargeIn, BargeInHeld, SpeechResumed
from resvoice.voice.resume import lead_in
from tests.fakes.voice import ScriptedBrain, ScriptedTTS
from tests.voice.conftest import INSTANT, Call, OpenCall

LONG = ["First, the good news. ", "We have a table. ", "It is by the window. ", "Enjoy it."]
READ_BACK = "Let me read that back: four people on Saturday at seven PM, under Ada. "
PIECES = 3  # the first sentence is spoken in two (at its colon, for a fast first audio)


def by_caller(event: TurnCompleted) -> bool:
    return bool(event.user)


def agent_lines(call: Call) -> list[tuple[str, bool]]:
    return [
        (line.text, line.interrupted)
        for line in call.agent.state.transcript
        if line.role == "agent"
    ]


async def started_long_reply(call: Call, marks: int) -> None:
    """The greeting played; the caller asked; `marks` sentences of the reply were heard."""
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("Is there a table tonight?")
    await call.output.until(lambda: call.output.pending_marks() == len(LONG))
    call.output.play(marks=marks)


async def test_a_cough_during_a_read_back_stops_nothing(open_call: OpenCall) -> None:
    protected = TextDelta(READ_BACK, protected=True)
    brain = ScriptedBrain([["Hi. "], [protected, "Shall I book it?"]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("That's all, read it back please")
    await call.output.until(lambda: call.output.pending_marks() == PIECES)

    await call.stt.start()  # a cough: with INSTANT thresholds any speech would interrupt
    await call.log.wait_for(BargeInHeld)
    await call.stt.end("")
    assert ("clear", None) not in call.output.log and call.session.state == "speaking"
    call.output.play()
    await call.listening(2)
    assert call.log.of(BargeIn) == []
    assert agent_lines(call)[-1] == (READ_BACK.strip() + " Shall I book it?", False)
    deltas = [e for e in call.log.of(ReplyDelta) if e.text == READ_BACK]
    assert deltas and deltas[0].protected


async def test_a_question_over_a_read_back_is_answered_once_it_was_heard(
    open_call: OpenCall,
) -> None:
    protected = TextDelta(READ_BACK, protected=True)
    brain = ScriptedBrain([["Hi. "], [protected, "Shall I book it?"], ["It was seven PM."]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("Read it back please")
    await call.output.until(lambda: call.output.pending_marks() == PIECES)

    await call.stt.start()
    await call.stt.partial("what time", 300)
    end = asyncio_task(call.stt.end("What time was that?", ms=300))
    await call.log.wait_for(BargeInHeld)
    assert ("clear", None) not in call.output.log
    call.output.play(marks=1)  # "Let me read that back:", and the read-back goes on
    await call.output.until(lambda: call.output.pending_marks() == PIECES - 1)
    assert ("clear", None) not in call.output.log and not end.done()
    call.output.play(marks=1)  # the read-back has been heard whole
    await end
    barge = await call.log.wait_for(BargeIn)
    assert barge.heard == READ_BACK.strip()  # the rest ("Shall I book it?") was cut
    done = await call.log.wait_for(TurnCompleted, by_caller, count=2)
    assert done.user == "What time was that?"
    assert agent_lines(call)[1] == (READ_BACK.strip(), True)


async def test_mm_hmm_then_silence_resumes_the_cut_sentence(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=1)  # "First, the good news." was heard

    await call.stt.start()  # speech over the agent stops it
    barge = await call.log.wait_for(BargeIn)
    assert barge.heard == "First, the good news."
    await call.stt.partial("mm-hmm", 300)
    await call.stt.end("Mm-hmm.", ms=200)
    assert call.log.of(SpeechResumed) == []  # not before the wait is over
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(call.session.config.resume_after_s)
    resumed = await call.log.wait_for(SpeechResumed)
    assert resumed.text == "As I was saying, we have a table. It is by the window. Enjoy it."
    await call.output.until(lambda: call.output.pending_marks() == 3)
    call.output.play()
    await call.listening(3)

    spoken = [e.text for e in call.log.of(AgentSpeech) if e.epoch == resumed.epoch]
    assert spoken == ["As I was saying, we have a table.", "It is by the window.", "Enjoy it."]
    assert agent_lines(call) == [
        ("Hi.", False),
        ("First, the good news.", True),
        ("As I was saying, we have a table. It is by the window. Enjoy it.", False),
    ]
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers == ["Is there a table tonight?"]  # the "mm-hmm" was not a turn
    played = [name for kind, name in call.output.log if kind == "mark"]
    assert len(played) == len(call.log.of(AgentSpeech))  # a mark after every sentence sent


async def test_noise_that_outlasts_the_wait_resumes_when_it_ends(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=2)
    await call.stt.start()  # a passing truck
    await call.log.wait_for(BargeIn)
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(call.session.config.resume_after_s)
    assert call.log.of(SpeechResumed) == []  # the caller may still be talking
    await call.stt.end("")  # the recogniser found no words
    resumed = await call.log.wait_for(SpeechResumed)
    assert resumed.text.startswith("As I was saying, it is by the window.")


async def test_a_real_question_over_the_agent_takes_the_turn(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG, ["Sunday works too."]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=1)
    await call.stt.start()
    await call.log.wait_for(BargeIn)
    await call.stt.end("What about Sunday?", ms=800)
    done = await call.log.wait_for(TurnCompleted, by_caller, count=2)
    assert done.user == "What about Sunday?"
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening(3)
    await call.timer.advance(call.session.config.resume_after_s * 10)
    assert call.log.of(SpeechResumed) == []
    assert agent_lines(call)[1:] == [("First, the good news.", True), ("Sunday works too.", False)]


QUESTION = "Which would you prefer: 6:30 PM, 7 PM or 7:30 PM?"  # spoken in two pieces
WORDS_MS, SILENCE_MS = 60, 300  # each piece: words, then the silence a synthesiser pads with


def speaking_tts() -> ScriptedTTS:
    """Every piece is `WORDS_MS` of words (above the silence floor), then `SILENCE_MS` of
    silence, as eSpeak or Piper speak a sentence."""
    return ScriptedTTS(chunks=3, chunk_ms=WORDS_MS // 3, level=1000, silence_ms=SILENCE_MS)


async def asked(call: Call, pieces: int) -> None:
    """The greeting was heard; the caller asked; the agent's reply (`pieces` pieces) has been
    written to the line whole, and none of it played yet."""
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    call.output.play()  # the greeting's last silence
    start = len(call.output.log)
    await call.stt.say("Is there a table tonight?")
    await call.output.until(
        lambda: (
            len(call.output.writes_after(start)) == pieces * (call.tts.chunks + 1)
            and call.output.pending_marks() == pieces
        )
    )


async def test_a_nod_after_the_last_word_of_a_question_resumes_nothing(
    open_call: OpenCall,
) -> None:
    """The line has carried every word of the question; the caller nods in the silence after
    "7:30 PM?". The question was heard whole: the agent has finished, nothing is said again."""
    brain = ScriptedBrain([["Hi. "], [QUESTION]])
    call = await open_call(INSTANT, auto_play=False, brain=brain, tts=speaking_tts())
    await asked(call, pieces=2)
    call.output.play(ms=WORDS_MS + SILENCE_MS + WORDS_MS)  # up to the question's last word
    assert call.output.pending_marks() == 0  # the question's mark came right after that word
    await call.listening(2)  # the agent has finished speaking

    await call.stt.start()  # "mm-hmm" at the very end of the question
    await call.stt.end("Mm-hmm.", ms=300)
    assert not call.session.resuming and call.log.of(BargeIn) == []
    await call.log.wait_for(TurnCompleted, by_caller, count=2)
    await call.timer.advance(call.session.config.resume_after_s * 10)
    assert call.log.of(SpeechResumed) == []
    assert agent_lines(call)[:2] == [("Hi.", False), (QUESTION, False)]


async def test_a_nod_after_a_question_resumes_only_what_came_after_it(
    open_call: OpenCall,
) -> None:
    """The nod comes in the silence after the question, before the next sentence: the question
    was heard, and only the sentence after it is resumed."""
    after = "We fill up fast on Fridays."
    brain = ScriptedBrain([["Hi. "], [f"{QUESTION} {after}"]])
    call = await open_call(INSTANT, auto_play=False, brain=brain, tts=speaking_tts())
    await asked(call, pieces=3)
    call.output.play(ms=WORDS_MS + SILENCE_MS + WORDS_MS)

    await call.stt.start()
    barge = await call.log.wait_for(BargeIn)
    assert barge.heard == QUESTION
    await call.stt.end("Mm-hmm.", ms=300)
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(call.session.config.resume_after_s)
    resumed = await call.log.wait_for(SpeechResumed)
    assert resumed.text == "As I was saying, we fill up fast on Fridays."
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening(3)
    assert agent_lines(call) == [
        ("Hi.", False),
        (QUESTION, True),
        ("As I was saying, we fill up fast on Fridays.", False),
    ]


async def test_a_nod_when_only_punctuation_was_left_resumes_nothing(
    open_call: OpenCall,
) -> None:
    """Every word was heard; only a piece with none ("…") was still to play: nothing to say
    again."""
    brain = ScriptedBrain([["Hi. "], [f"{QUESTION} …"]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("Is there a table tonight?")
    await call.output.until(lambda: call.output.pending_marks() == 3)
    call.output.play(marks=2)  # the question, not the "…"

    await call.stt.start()
    barge = await call.log.wait_for(BargeIn)
    assert barge.heard == QUESTION
    await call.stt.end("Mm-hmm.", ms=300)
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(call.session.config.resume_after_s)
    await call.session.resumed()
    assert call.log.of(SpeechResumed) == [] and not call.session.resuming
    assert agent_lines(call) == [("Hi.", False), (QUESTION, True)]


async def test_a_resumed_line_cut_off_again_is_resumed_with_one_lead_in(
    open_call: OpenCall,
) -> None:
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=1)
    for nod in (1, 2):  # a nod, the resume; a nod over the resume's first words, the resume
        await call.stt.start()
        await call.log.wait_for(BargeIn, count=nod)
        await call.stt.partial("mm-hmm", 300)
        await call.stt.end("Mm-hmm.", ms=200)
        await call.timer.until(lambda: call.timer.sleeping == 1)
        await call.timer.advance(call.session.config.resume_after_s)
        resumed = await call.log.wait_for(SpeechResumed, count=nod)
        assert resumed.text == "As I was saying, we have a table. It is by the window. Enjoy it."


def test_the_lead_in_keeps_i_and_names() -> None:
    assert lead_in("As I was saying,", "We have a table.") == "As I was saying, we have a table."
    assert lead_in("As I was saying,", "I can book it.") == "As I was saying, I can book it."
    assert lead_in("As I was saying,", "OK, booked.") == "As I was saying, OK, booked."
    said = "As I was saying, we have a table."
    assert lead_in("As I was saying,", said) == said


def asyncio_task(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coro)


async def test_keypad_digits_then_pound_are_one_turn(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.stt.say("A table for 2 on Saturday at 7pm")
    await call.listening(2)
    await call.stt.say("Ada Lovelace")
    await call.listening(3)
    assert "keypad" in call.tts.spoken[-1]
    for key in "415555":
        await call.session.dtmf(key)  # one Twilio dtmf event per key
    assert [e for e in call.log.of(TurnCompleted) if by_caller(e)][-1].user == "Ada Lovelace"
    for key in "0100#":
        await call.session.dtmf(key)
    done = await call.log.wait_for(TurnCompleted, by_caller, count=3)
    assert done.user == "[dtmf 4155550100]"
    assert call.agent.state.notepad.phone == "+14155550100"
    assert done.reply.startswith("Let me read that back")


async def test_star_starts_the_keyed_number_again(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.stt.say("A table for 2 on Saturday at 7pm")
    await call.listening(2)
    await call.stt.say("Ada Lovelace")
    await call.listening(3)
    for key in "41599*2025550100#":
        await call.session.dtmf(key)
    done = await call.log.wait_for(TurnCompleted, by_caller, count=3)
    assert done.user == "[dtmf 2025550100]"
    assert call.agent.state.notepad.phone == "+12025550100"


@pytest.mark.parametrize(
    "misheard", ["And then, okay, yeah, right.", "MMs are okay, yeah, right.", "Hmm, so, yeah."]
)
async def test_a_nod_misheard_on_a_noisy_line_is_resumed(
    open_call: OpenCall, misheard: str
) -> None:
    """Babble turns "mm-hmm, okay, yeah, right" into words the recogniser is unsure of: a short
    stretch like that over the agent is a nod, and the cut sentence is resumed."""
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=1)
    await call.stt.start()
    await call.log.wait_for(BargeIn)
    await call.stt.end(misheard, ms=2000, confidence=0.44)
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(call.session.config.resume_after_s)
    resumed = await call.log.wait_for(SpeechResumed)
    assert resumed.text.startswith("As I was saying, we have a table.")
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers == ["Is there a table tonight?"]


@pytest.mark.parametrize(
    ("heard", "confidence", "ms"),
    [
        ("Welcome out on Sunday?", 0.38, 1500),  # a question, however badly heard
        ("No, for four people.", 0.39, 1800),  # a correction
        ("And then 4 people.", 0.40, 1800),  # a number
        ("And then, okay, yeah, right.", 0.90, 2000),  # heard clearly: the caller said it
        ("Okay, yeah, right, and then, so, yeah, and then okay.", 0.44, 4500),  # too long
    ],
)
async def test_speech_over_the_agent_that_is_no_nod_takes_the_turn(
    open_call: OpenCall, heard: str, confidence: float, ms: float
) -> None:
    brain = ScriptedBrain([["Hi. "], LONG, ["Sunday works too."]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await started_long_reply(call, marks=1)
    await call.stt.start()
    await call.log.wait_for(BargeIn)
    await call.stt.end(heard, ms=ms, confidence=confidence)
    done = await call.log.wait_for(TurnCompleted, by_caller, count=2)
    assert done.user == heard
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening(3)
    await call.timer.advance(call.session.config.resume_after_s * 10)
    assert call.log.of(SpeechResumed) == []
    assert agent_lines(call)[1:] == [("First, the good news.", True), ("Sunday works too.", False)]
