"""A model reply that breaks mid-sentence on a voice call: the caller hears the sentences the
model finished, a bridging line and the rules brain's answer, never the unfinished words.
The OpenAI brain runs on the real SDK against the fake server."""

from __future__ import annotations

import pytest

pytest.importorskip("openai")

from resvoice.agent.brains.openai.fallback import BRIDGE
from resvoice.agent.events import ReplyCut, TurnCompleted
from resvoice.voice.events import AgentSpeech
from tests.agent.openai.conftest import open_model
from tests.fakes.openai_server import FakeOpenAI, Reply, Text
from tests.voice.conftest import OpenCall


async def test_the_caller_hears_the_finished_sentence_the_bridge_and_the_rules_answer(
    open_call: OpenCall,
) -> None:
    with FakeOpenAI(api_key="sk-test") as fake:
        model = await open_model(fake)
        try:
            fake.script(
                Reply(
                    (Text("We open at five. ", "The patio ", "is heated and"),),
                    fail_after=2,
                    failure="drop",
                )
            )
            call = await open_call(brain=model.brain())
            await call.listening()
            greeting = len(call.log.of(AgentSpeech))

            await call.stt.say("do you have a table for two tonight")
            done = await call.log.wait_for(TurnCompleted, lambda e: bool(e.user))
            await call.listening(2)

            cut = await call.log.wait_for(ReplyCut)
            assert cut == ReplyCut(kept="We open at five.", dropped="The patio")
            spoken = [e.text for e in call.log.of(AgentSpeech)][greeting:]  # sent to the ear
            assert spoken[:2] == ["We open at five.", BRIDGE]
            assert len(spoken) > 2 and all("patio" not in sentence for sentence in spoken)
            assert len(call.tts.spoken) == greeting + len(spoken)
            assert done.fallback and done.reply == " ".join(spoken)
            assert call.agent.state.transcript[-1].text == done.reply
            await call.hang_up()
        finally:
            await model.close()
