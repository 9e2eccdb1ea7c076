"""`OpenAIBrain`: the agent's replies from an OpenAI model, streamed, with function calling.

One turn: the caller's words join the conversation; the model streams text (handed on at
once, so speech can start on the first sentence) and function calls (handed to the session,
which runs the tool and writes the result before this generator resumes). When a reply made
calls, their outputs go back and the model continues in the same turn. Arguments that are not
a JSON object are reported back to the model, never run. If the model did not capture the
caller's details itself, `language.slots` reads them from the caller's words.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from typing import Any

from resvoice.agent.brains.base import HistoryLine, Turn, TurnContext
from resvoice.agent.brains.openai.conversation import Conversation, tool_output
from resvoice.agent.brains.openai.model import (
    FunctionCallItem,
    ModelRequest,
    ModelStream,
    ModelStreamError,
    TextPiece,
)
from resvoice.agent.brains.openai.prompt import TOOLS, caller_words, instructions
from resvoice.agent.events import BrainEvent, TextDelta, ToolCall, ToolResult
from resvoice.agent.greeting import greeting
from resvoice.language.slots import extract_slots
from resvoice.restaurant.hours import OpeningHours

__all__ = ["CAPTURE", "OpenAIBrain"]

log = logging.getLogger(__name__)
CAPTURE = "capture_reservation_data"
# a turn about a booking the caller has: its words are not a new booking's details
EXISTING_BOOKING_TOOLS = frozenset({"find_reservation", "cancel_reservation", "change_reservation"})
_SLOTS = ("name", "phone", "party_size", "date", "time", "email", "special_requests")


class OpenAIBrain:
    """Replies from `model` (a Responses or Chat Completions stream, usually with retries)."""

    name = "openai"

    def __init__(self, model: ModelStream, *, max_rounds: int = 4) -> None:
        self._model = model
        self._max_rounds = max_rounds

    async def respond(self, turn: Turn, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
        conversation = Conversation.load(context.state, _heard_before(turn, context))
        if turn.kind == "start":
            # The greeting is instant and needs no model: the caller hears it on pickup.
            line = greeting(context.profile)
            conversation.assistant(line)
            conversation.save(context.state)
            yield TextDelta(line)
            return
        conversation.user(caller_words(turn))
        captured = spoke = False
        for _ in range(self._max_rounds):
            request = ModelRequest(instructions(context), list(conversation.items), TOOLS)
            text: list[str] = []
            calls = 0
            async with aclosing(self._model.stream(request)) as events:
                async for event in events:
                    if isinstance(event, TextPiece):
                        text.append(event.text)
                        spoke = spoke or bool(event.text.strip())
                        yield TextDelta(event.text)
                        continue
                    conversation.assistant("".join(text))
                    text.clear()
                    calls += 1
                    call = _tool_call(event)
                    if isinstance(call, ToolCall):
                        yield call
                        result = call.result
                        # a capture that ran counts, problems and all; one refused as invalid not
                        captured |= call.name == CAPTURE and result is not None and not result.error
                        captured |= call.name in EXISTING_BOOKING_TOOLS
                    else:
                        result = call
                    conversation.call(event, tool_output(result))
            conversation.assistant("".join(text))
            if not calls:
                break
        else:
            log.warning(
                "model kept calling tools; ending the turn", extra={"rounds": self._max_rounds}
            )
        if not spoke:
            # silence on a phone line is worse than a plain answer: let the fallback speak
            raise ModelStreamError("the model's reply had no text")
        if turn.kind == "speech" and not captured:
            async for brain_event in _capture_from_words(turn.text, context):
                yield brain_event
        conversation.save(context.state)

    def record_turn(self, turn: Turn, reply: str, context: TurnContext) -> None:
        """Add a turn another brain answered, so the model sees it next time."""
        conversation = Conversation.load(context.state, _heard_before(turn, context))
        if turn.kind != "start":
            conversation.user(caller_words(turn))
        conversation.assistant(reply)
        conversation.save(context.state)


def _heard_before(turn: Turn, context: TurnContext) -> Sequence[HistoryLine]:
    """The call as heard up to this turn: the session has already added the caller's words."""
    history = context.history
    if turn.kind in ("speech", "dtmf") and history and history[-1].role == "caller":
        return history[:-1]
    return history


def _tool_call(item: FunctionCallItem) -> ToolCall | ToolResult:
    """The session's `ToolCall`, or the error the model reads when its arguments are unusable."""
    try:
        arguments = json.loads(item.arguments) if item.arguments.strip() else {}
    except json.JSONDecodeError as exc:
        log.warning("model sent malformed tool arguments", extra={"tool": item.name})
        return ToolResult(
            ok=False,
            error=f"arguments are not valid JSON ({exc.msg} at character {exc.pos}); "
            f"call {item.name} again with a JSON object",
        )
    if not isinstance(arguments, dict):
        return ToolResult(ok=False, error="arguments must be a JSON object")
    return ToolCall(item.name, arguments, call_id=item.call_id)


async def _capture_from_words(text: str, context: TurnContext) -> AsyncGenerator[BrainEvent, None]:
    """The seed's fallback: the model captured nothing, so parse the caller's words."""
    last_agent = next((h.text for h in reversed(context.history) if h.role == "agent"), None)
    hours = OpeningHours(context.profile)
    slots = extract_slots(
        text,
        today=context.today,
        system_before=last_agent,
        region=context.phone_region,
        evening_bias=hours.evening_only(),
    )
    update: dict[str, Any] = {}
    for name in _SLOTS:
        value = getattr(slots, name)
        if value is None:
            continue
        day = slots.date or context.notepad.date
        if name == "time" and not slots.time_explicit and day is not None:
            value = hours.reading(day, value)  # "eleven thirty" on a lunch day is 11:30 am
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        update[name] = value
    if update:
        log.info(
            "model captured nothing; rules extractor fills the notepad",
            extra={"fields": sorted(update)},
        )
        yield ToolCall(CAPTURE, update, call_id="rules-extractor")
