"""VoiceSession through its public interface, with scripted providers and gates (no sleeps)."""

from __future__ import annotations

import asyncio

from resvoice.agent.events import ReservationBooked, TurnCompleted
from resvoice.runtime import Runtime
from resvoice.voice.events import AgentSpeech, BargeIn, CallerSpeech, StateChanged, TurnLatency
from resvoice.voice.latency import KEYS
from resvoice.voice.session import VoiceConfig
from resvoice.voice.stt.base import EagerEndOfTurn, TurnResumed
from tests.fakes.voice import ScriptedBrain
from tests.voice.conftest import INSTANT, Call, OpenCall


def by_caller(event: TurnCompleted) -> bool:
    return bool(event.user)


def interrupted(call: Call) -> bool:
    """Whether the transport was told to flush (checked synchronously, unlike the event log)."""
    flushed = ("clear", None) in call.output.log
    assert flushed == (call.session.state != "speaking")
    return flushed


LONG = ["First, the good news. ", "We have a table. ", "It is by the window. ", "Enjoy it."]


async def speaking_a_long_reply(call: Call) -> None:
    """After the greeting is heard, the caller asks and the agent's long reply is being spoken
    (its synthesis held at a gate the test opens)."""
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    call.tts.gate = asyncio.Event()
    await call.stt.say("Tell me everything")
    await call.tts.until(lambda: call.tts.held == 1)


async def test_greets_then_answers_a_spoken_turn(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    greeting = " ".join(call.tts.spoken)
    assert call.agent.profile.restaurant.name in greeting
    await call.stt.say("What vegan dishes do you have?")
    done = await call.log.wait_for(TurnCompleted, by_caller)
    await call.listening(2)
    assert "vegan" in done.reply.lower()
    states = [e.state for e in call.log.of(StateChanged)]
    assert states[:3] == ["processing", "speaking", "listening"]
    assert states[3:6] == ["processing", "speaking", "listening"]
    roles = [line.role for line in call.agent.state.transcript]
    assert roles == ["agent", "caller", "agent"]
    assert len(call.output.marks) == len(call.log.of(AgentSpeech)) == len(call.tts.spoken)


async def test_each_turn_records_its_latency(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.stt.say("Do you have parking?")
    latency = await call.log.wait_for(TurnLatency)
    assert set(latency.figures) == set(KEYS)
    assert all(value >= 0 for value in latency.figures.values())
    assert call.agent.state.metadata.voice_turns == [latency.figures]
    await call.session.hangup()
    saved = await call.agent._storage.load_session(call.agent.conversation_id)
    assert saved is not None and saved.metadata.voice_turns == [latency.figures]
    summary = saved.metadata.voice_latency_ms  # p50/p95 per call
    assert set(summary) == set(KEYS)
    assert summary["end_of_speech_to_first_audio_ms"].model_dump() == {
        "p50": round(latency.figures["end_of_speech_to_first_audio_ms"], 1),
        "p95": round(latency.figures["end_of_speech_to_first_audio_ms"], 1),
    }


async def test_barge_in_flushes_playback_and_keeps_only_what_was_heard(
    open_call: OpenCall,
) -> None:
    hold = asyncio.Event()
    brain = ScriptedBrain([["Hello. "], [*LONG[:2], hold, *LONG[2:]], ["Sunday works too."]])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()

    await call.stt.say("Do you have a table tonight?")
    await call.output.until(lambda: call.output.pending_marks() == 2)
    call.output.play(marks=1)  # the caller has heard the first sentence only
    call.tts.gate = asyncio.Event()  # the next sentence stops mid-synthesis
    hold.set()
    await call.tts.until(lambda: call.tts.held == 1)
    old = set(call.tts.spoken)
    epoch = call.session.epoch

    await call.stt.start()  # the caller speaks over the agent
    barge = await call.log.wait_for(BargeIn)
    assert (barge.epoch, barge.heard) == (epoch, "First, the good news.")
    assert call.output.log[-1] == ("clear", None)
    assert call.session.epoch > epoch
    cleared_at = len(call.output.log)
    call.tts.gate.set()
    await call.stt.end("What about Sunday?", ms=800)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening(3)

    late = [call.tts.sentence_of(pcm) for pcm in call.output.writes_after(cleared_at)]
    assert late and not set(late) & old
    assert late == ["Sunday works too."] * len(late)
    agent_lines = [line for line in call.agent.state.transcript if line.role == "agent"]
    assert agent_lines[1].text == "First, the good news." and agent_lines[1].interrupted
    assert ("agent", "First, the good news.") in brain.histories[2]
    assert all("window" not in text for _, text in brain.histories[2])


async def test_no_audio_after_barge_in_even_when_synthesis_resumes(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(INSTANT, auto_play=False, brain=brain)
    await speaking_a_long_reply(call)
    await call.stt.start()
    cleared_at = len(call.output.log)
    call.tts.gate.set()
    await call.stt.end("")  # noise: no new turn
    done = await call.log.wait_for(TurnCompleted, by_caller)
    assert done.reply == ""  # nothing of the reply was heard
    assert call.output.writes_after(cleared_at) == []
    assert call.tts.closed_streams == len(call.tts.spoken)  # the held synthesis was closed
    assert [line.role for line in call.agent.state.transcript] == ["agent", "caller"]


async def test_back_channel_and_coughs_do_not_interrupt(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG, ["Okay, Sunday then."]])
    call = await open_call(auto_play=False, brain=brain)  # default thresholds
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("Is there a table?")
    await call.output.until(lambda: call.output.pending_marks() == len(LONG))

    await call.stt.start()  # a cough: 150 ms, no words
    await call.stt.end("", ms=150)
    await call.stt.start()  # "uh-huh", longer than the minimum but only a back-channel
    await call.stt.partial("uh-huh", 500)
    await call.stt.end("uh-huh", ms=200)
    await call.stt.start()  # "mm-hmm okay yeah"
    await call.stt.partial("mm-hmm okay", 400)
    await call.stt.end("Mm-hmm, okay, yeah.", ms=300)
    assert not interrupted(call)

    await call.stt.start()  # a real word, but too short to count yet
    await call.stt.partial("no", 100)
    assert not interrupted(call)
    await call.stt.partial("no, Sunday", 300)  # 400 ms of speech with a real word
    assert interrupted(call)
    await call.log.wait_for(BargeIn)
    await call.stt.end("No, Sunday please", ms=300)
    await call.log.wait_for(TurnCompleted, by_caller, count=2)
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers == ["Is there a table?", "No, Sunday please"]


async def test_back_channel_after_the_agent_finished_is_a_turn(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.stt.say("okay")
    await call.log.wait_for(TurnCompleted, by_caller)
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers == ["okay"]


async def test_speech_with_no_words_yet_interrupts_once_long_enough(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], LONG])
    call = await open_call(auto_play=False, brain=brain)
    await call.output.until(lambda: call.output.pending_marks() == 1)
    call.output.play()
    await call.listening()
    await call.stt.say("Is there a table?")
    await call.output.until(lambda: call.output.pending_marks() == len(LONG))
    await call.session.push_audio(b"\0\0" * 16 * 1200)  # the caller's turn, pushed as audio
    await call.stt.start()  # onset at 1200 ms
    await call.session.push_audio(b"\0\0" * 16 * 900)  # 900 ms of speech, no partial yet
    assert not interrupted(call)
    await call.session.push_audio(b"\0\0" * 16 * 200)
    assert interrupted(call)
    await call.log.wait_for(BargeIn)
    assert len(call.stt.stream.audio) == 2 * 16 * 2300  # every sample reached the recogniser


async def test_barge_in_during_a_booking_leaves_exactly_one_reservation(
    open_call: OpenCall, runtime: object
) -> None:
    from resvoice.runtime import Runtime

    assert isinstance(runtime, Runtime)
    gate = asyncio.Event()
    storage = GatedBooking(runtime.storage, gate)
    call = await open_call(INSTANT, storage=storage)
    await call.listening()
    await call.stt.say("Table for 2 on Saturday at 7pm under Ada Lovelace, 555 010 9999")
    await call.log.wait_for(TurnCompleted, by_caller)
    await call.listening(2)

    await call.stt.say("Yes please book it")
    await storage.booking.wait()  # the booking is in flight
    await call.stt.start()  # the caller talks over the (silent) agent
    await call.log.wait_for(BargeIn)
    await call.stt.end("Yes, book it please", ms=900)
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers[-1] == "Yes please book it"  # the next turn waits for the booking
    gate.set()
    await call.log.wait_for(TurnCompleted, by_caller, count=3)
    await call.listening(3)

    booked = call.log.of(ReservationBooked)
    assert len(booked) == 1
    rows = await runtime.storage.reservations_on(booked[0].date)
    assert [r.name for r in rows].count("Ada Lovelace") == 1
    assert call.agent.state.reservation_id == booked[0].reservation_id
    callers = [line.text for line in call.agent.state.transcript if line.role == "caller"]
    assert callers[-1] == "Yes, book it please"


async def test_silence_reprompts_then_says_goodbye_and_hangs_up(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    for reprompt in (1, 2):
        await call.timer.until(lambda: call.timer.sleeping == 1)
        await call.timer.advance(8)
        await call.listening(1 + reprompt)
    assert "still there" in " ".join(call.tts.spoken[-2:]).lower()
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(8)
    await call.task  # the call ends by itself
    assert call.session.ended
    assert "goodbye" in call.tts.spoken[-1].lower()
    assert call.agent.state.metadata.ended_reason == "silence"
    assert call.agent.state.transcript[-1].text == call.session.config.goodbye


async def test_caller_speech_resets_the_silence_count(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(8)
    await call.listening(2)
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.timer.advance(8)
    await call.listening(3)
    await call.stt.say("Sorry, I'm here. Do you have parking?")
    await call.listening(4)
    for count in (5, 6):
        await call.timer.until(lambda: call.timer.sleeping == 1)
        await call.timer.advance(8)
        await call.listening(count)
    assert not call.session.ended
    assert "goodbye" not in call.tts.spoken[-1].lower()


async def test_a_timer_started_before_speech_never_fires(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.timer.until(lambda: call.timer.sleeping == 1)
    await call.stt.start()  # the caller starts speaking: the silence timer is off
    assert call.timer.sleeping == 0
    await call.timer.advance(30)
    assert [e for e in call.log.of(TurnCompleted) if by_caller(e)] == []


async def test_typed_turns_and_dtmf_go_through_the_agent(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.session.typed("Do you have vegan dishes?")
    done = await call.log.wait_for(TurnCompleted, by_caller)
    assert "vegan" in done.reply.lower()
    assert call.log.of(CallerSpeech)[-1] == CallerSpeech("Do you have vegan dishes?", final=True)
    await call.listening(2)
    await call.session.dtmf("0")
    done = await call.log.wait_for(TurnCompleted, by_caller, count=2)
    assert done.user == "[dtmf 0]"


async def test_output_audio_is_resampled_to_the_transport_rate(open_call: OpenCall) -> None:
    call = await open_call(output_rate=8_000)
    await call.listening()
    written = sum(len(pcm) for pcm in call.output.writes_after(0))
    synthesised = len(call.tts.spoken) * call.tts.chunks * 16_000 * 20 // 1000 * 2
    assert written == synthesised // 2


async def test_a_tts_failure_is_counted_and_the_call_goes_on(open_call: OpenCall) -> None:
    brain = ScriptedBrain([["Hi. "], ["This one breaks. ", "This one works."]])
    call = await open_call(brain=brain)
    await call.listening()
    call.tts.fail_on = "breaks"
    await call.stt.say("Hello?")
    await call.listening(2)
    assert call.agent.state.metadata.voice_errors == {"stt": 0, "tts": 1, "llm": 0}
    assert call.tts.spoken[-1] == "This one works."


async def test_a_dropped_recogniser_is_reopened(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    call.stt.stream.fail(ConnectionError("socket closed"))
    await call.stt.opened(2)
    await call.stt.say("Do you have parking?")
    await call.log.wait_for(TurnCompleted, by_caller)
    assert call.agent.state.metadata.voice_errors["stt"] == 1


async def test_hangup_ends_run_and_persists(open_call: OpenCall) -> None:
    call = await open_call()
    await call.listening()
    await call.session.hangup("caller hung up")
    await call.task
    assert call.session.ended and call.session.state == "idle"
    saved = await call.agent._storage.load_session(call.agent.conversation_id)
    assert saved is not None and saved.metadata.ended_reason == "caller hung up"
    assert call.stt.stream.closed


class GatedBooking:
    """Storage whose `book` waits for a gate: a booking tool call held in flight."""

    def __init__(self, inner: object, gate: asyncio.Event) -> None:
        self._inner = inner
        self._gate = gate
        self.booking = asyncio.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    async def book(self, request: object) -> object:
        self.booking.set()
        await self._gate.wait()
        return await self._inner.book(request)  # type: ignore[attr-defined]


class CountingRetriever:
    """The real retriever, counting searches by query."""

    def __init__(self, inner: object) -> None:
        self._inner = inner
        self.queries: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    async def search(self, query: str, **kwargs: object) -> object:
        self.queries.append(query)
        return await self._inner.search(query, **kwargs)  # type: ignore[attr-defined]


async def test_eager_end_of_turn_prefetches_retrieval_once(
    open_call: OpenCall, runtime: Runtime
) -> None:
    retriever = CountingRetriever(runtime.retriever)
    call = await open_call(VoiceConfig(eager_replies=True), retriever=retriever)
    await call.listening()
    await call.stt.start()
    await call.stt.stream.send(EagerEndOfTurn("Do you have parking?", 900))
    await call.stt.end("Do you have parking?", ms=300)
    done = await call.log.wait_for(TurnCompleted, by_caller)
    assert "parking" in done.reply.lower()
    assert retriever.queries == ["Do you have parking?"]  # the speculative search was reused


async def test_eager_speculation_is_dropped_when_the_caller_goes_on(
    open_call: OpenCall, runtime: Runtime
) -> None:
    retriever = CountingRetriever(runtime.retriever)
    call = await open_call(VoiceConfig(eager_replies=True), retriever=retriever)
    await call.listening()
    await call.stt.start()
    await call.stt.stream.send(EagerEndOfTurn("Do you have", 600))
    await call.stt.stream.send(TurnResumed(700))
    await call.stt.end("Do you have vegan dishes?", ms=900)
    done = await call.log.wait_for(TurnCompleted, by_caller)
    assert "vegan" in done.reply.lower()
    assert retriever.queries[-1] == "Do you have vegan dishes?"
    assert [line.text for line in call.agent.state.transcript if line.role == "caller"] == [
        "Do you have vegan dishes?"
    ]


async def test_without_eager_replies_nothing_starts_before_the_end_of_turn(
    open_call: OpenCall, runtime: Runtime
) -> None:
    retriever = CountingRetriever(runtime.retriever)
    call = await open_call(retriever=retriever)
    await call.listening()
    await call.stt.start()
    await call.stt.stream.send(EagerEndOfTurn("Do you have parking?", 900))
    assert retriever.queries == [] and call.session.state == "listening"
    await call.stt.end("Do you have parking?", ms=300)
    await call.log.wait_for(TurnCompleted, by_caller)
    assert retriever.queries == ["Do you have parking?"]


async def test_caller_audio_that_barges_in_as_the_call_is_hung_up_arms_nothing(
    open_call: OpenCall,
) -> None:
    """A barge-in heard in caller audio pushed from outside the call (the media stream) may
    still be stopping the reply when the call is hung up (a drain, say): it must not start a
    resumption timer in a call that has stopped running."""
    brain = ScriptedBrain([["Hi. "], LONG])
    config = VoiceConfig(min_barge_in_ms=100, backchannel_max_ms=0)
    call = await open_call(config, auto_play=False, brain=brain)
    await speaking_a_long_reply(call)
    await call.stt.start()  # the caller speaks over it: too short to interrupt yet
    playout = call.session._playout
    stop, entered, stopping = playout.stop, asyncio.Event(), asyncio.Event()

    async def slow_stop(*, barge_in: bool = True) -> None:
        if barge_in:
            entered.set()
            await stopping.wait()  # the barge-in's stop is still under way
        await stop(barge_in=barge_in)

    playout.stop = slow_stop  # type: ignore[method-assign]
    # the call's audio clock counts pushed audio only: 1.4 s ends 200 ms past the onset at 1.2 s
    pushed = asyncio.create_task(call.session.push_audio(b"\x00\x10" * 22_400))
    await entered.wait()  # the pushed audio barged in
    await call.session.hangup()  # the call ends while the barge-in is stopping the reply
    stopping.set()
    await pushed  # no "the call is not running"
    assert not call.session.resuming
    call.tts.gate.set()
