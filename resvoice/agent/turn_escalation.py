"""When a caller turn hands the call to a person, besides a brain's own `escalate_to_human`.

Before the brain answers: the caller keyed 0, or sounds frustrated. After it: the reply carried
the `<ESCALATE>` marker, a frustrated caller was not understood once more, or a new booking has
run out of turns with required data still missing (a question answered, or a call about a
booking the caller already has, is no booking running out of turns). The escalation itself
(one per call; a transfer, else a callback) is `escalation.py`'s.
"""

from __future__ import annotations

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.desk import ReservationDesk
from resvoice.agent.escalation import EscalationManager
from resvoice.agent.events import ToolCall
from resvoice.agent.intents import Intents
from resvoice.agent.keypad import HUMAN
from resvoice.agent.state import CallState

__all__ = ["after_brain", "before_brain", "must_hear"]


def before_brain(turn: Turn, escalation: EscalationManager) -> str | None:
    """The reason to hand the call over before the brain answers this turn, or None."""
    if turn.kind == "dtmf":
        return "user_requested" if turn.text.strip() == HUMAN else None
    if turn.kind != "speech" or escalation.escalated:
        return None
    if escalation.frustration.observe(turn.text):
        return "frustrated"
    return None


def after_brain(
    turn: Turn,
    intents: Intents,
    context: TurnContext,
    before: dict[str, object],
    marker_seen: bool,
    *,
    state: CallState,
    escalation: EscalationManager,
    desk: ReservationDesk,
) -> str | None:
    """The reason to hand the call over once the brain has answered, or None; `before` is
    the notepad as the turn found it. Counts the turns a new booking has taken."""
    if marker_seen:
        return "agent_requested"
    if turn.kind != "speech" or escalation.escalated:
        return None
    if not context.understood and escalation.frustration.misunderstood():
        return "frustrated"
    progressed = state.notepad.filled() != before
    if "book" in intents or "availability" in intents or progressed:
        state.booking_started = True
    answering_question = intents.info_request is not None and not progressed
    # a call about a booking the caller has is not a new booking running out of turns
    managing = "manage" in intents or (desk.consulted and not progressed)
    if (
        state.reservation_id is None
        and state.booking_started
        and not answering_question
        and not managing
    ):
        state.booking_turns += 1
        if escalation.missing_data_due(
            state.booking_turns, progressed, state.notepad.missing_fields()
        ):
            return "missing_data"
    return None


def must_hear(call: ToolCall) -> bool:
    """An escalation's line (the hold line before a transfer, a callback promise) is heard
    whole."""
    return call.result is not None and call.result.data.get("state") != "already_escalated"
