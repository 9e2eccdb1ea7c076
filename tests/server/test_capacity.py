"""The call limit: past `max_calls`, a new caller hears that all lines are busy and can leave a
message for a callback; staff get a callback row; the calls already taken carry on."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from prometheus_client.parser import text_string_to_metric_families

from resvoice.runtime import Runtime
from resvoice.server.app import create_app
from resvoice.server.capacity import OFFLINE_MAX_CALLS, STREAM_MAX_CALLS, max_calls_for
from resvoice.server.context import ServerContext
from tests.fakes.oracle_stt import OracleSTT
from tests.fakes.servers import serving
from tests.fakes.twilio_peer import TwilioPeer, ring, webhook
from tests.server.conftest import AUTH_TOKEN
from tests.server.harness import Console, ToneTTS, voice_factory

FIRST, SECOND, THIRD = ("CA" + c * 32 for c in "123")


def metric(text: str, name: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not on /metrics")


async def test_past_the_limit_a_caller_hears_lines_busy_and_leaves_a_callback_message(
    make_ctx: Callable[..., ServerContext], runtime: Runtime
) -> None:
    ctx = make_ctx(voice_factory=voice_factory(OracleSTT(()), ToneTTS()), max_calls=1)
    console = Console(ctx.hub)
    async with serving(create_app(ctx)) as base:
        first = await TwilioPeer.call(base, call_sid=FIRST, auth_token=AUTH_TOKEN)
        await console.replied(FIRST, 1)  # the first call is taken and greeted

        busy = await ring(base, call_sid=SECOND, caller="+14155550199", auth_token=AUTH_TOKEN)
        assert busy.find("./Connect") is None  # not put through to the agent
        said = " ".join(say.text or "" for say in busy.findall("Say"))
        assert "all our lines are busy" in said.lower() and "call you back" in said.lower()
        record = busy.find("Record")
        assert record is not None
        [row] = [r for r in await runtime.storage.escalations(SECOND)]
        assert (row.reason, row.status) == ("lines_busy", "callback")
        assert row.notepad["phone"] == "+14155550199"  # who to call back

        action = urlsplit(record.get("action", ""))
        goodbye = await webhook(
            base,
            f"{action.path}?{action.query}",
            {"CallSid": SECOND, "RecordingUrl": "https://api.twilio.com/rec/RE1"},
            AUTH_TOKEN,
        )
        assert goodbye.find("Hangup") is not None
        [row] = await runtime.storage.escalations(SECOND)
        assert row.status == "callback" and "RE1" in row.detail

        async with httpx.AsyncClient(base_url=base) as http:
            text = (await http.get("/metrics")).text
        assert metric(text, "resvoice_max_calls") == 1
        assert metric(text, "resvoice_lines_busy_total") == 1

        await first.hang_up()  # a line frees up: the next caller is put through again
        await console.until(lambda c: FIRST in c.ended)
        third = await TwilioPeer.call(base, call_sid=THIRD, auth_token=AUTH_TOKEN)
        await console.replied(THIRD, 1)
        await third.hang_up()
        await console.until(lambda c: THIRD in c.ended)
    await console.close()
    assert console.ended[FIRST] == "caller_hangup"


def test_the_limit_defaults_to_the_measured_figure_for_the_voice() -> None:
    assert max_calls_for(None, "whisper") == OFFLINE_MAX_CALLS
    assert max_calls_for(None, "deepgram-flux") == STREAM_MAX_CALLS
    assert max_calls_for(7, "whisper") == 7
