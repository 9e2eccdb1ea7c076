"""The system prompt for one turn, and the tool declarations, both rebuilt from the core's models.

The prompt is rebuilt every turn (it carries the clock, the notepad and this turn's retrieved
context), so it travels as the request's `instructions` and never piles up in the history.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from resvoice.agent.brains.base import Turn, TurnContext
from resvoice.agent.events import RagHit
from resvoice.agent.tools import tool_schemas
from resvoice.language.phrases import join_words, speak_time
from resvoice.restaurant.hours import OpeningHours
from resvoice.restaurant.hours_words import exception_sentences, week_sentences
from resvoice.restaurant.profile import RestaurantProfile

__all__ = ["TOOLS", "caller_words", "instructions"]

TOOLS: tuple[dict[str, Any], ...] = tuple(tool_schemas())
_MAX_HIT_CHARS = 600

_RULES = """\
How to speak: this is a phone call and your words are read aloud. Reply in one or two short \
sentences of plain speech: no lists, markdown, emojis or URLs. Say times the way people do \
("seven thirty PM"). Ask for at most two missing details at a time. Never invent menu items, \
prices, policies or free tables.

When to call each tool:
- capture_reservation_data: every time the caller gives or corrects reservation details, with \
only those fields (date YYYY-MM-DD, time 24-hour HH:MM, party_size a number, phone as spoken). \
Its result lists problems (a past date, a closed day, a party too large); explain them briefly.
- check_availability: once date, time and party size are known, before reading the booking \
back; offer the alternatives it returns when the time is taken.
- search_menu_and_policies: for a question the context below does not answer.
- book_reservation: only after you read the whole booking back and the caller said yes.
- start_another_booking: when the caller, after a booking was made, wants a further table \
(not a change to that one: change_reservation does that); then capture its details.
- escalate_to_human: when the caller asks for a person, is upset, the party is larger than \
{max_party}, or you cannot help; then say the line its result gives you.

Words the caller must hear whole go between <KEEP> and </KEEP>: the booking read-back, a \
confirmation code, a deposit or cancellation policy, the line before a transfer. They are not \
cut off when the caller speaks over them. Use it for nothing else.
To take a phone number, party size or code you may say the caller can also type it on the \
keypad, then press pound; keyed digits reach you as "(the caller keyed ...)".

Calls about a booking the caller already has (cancel, move, change the party size, add a \
request, "what time is my booking?", running late) are not new bookings: do not capture data \
for them.
- find_reservation: first, with whatever the caller said about it (name, phone, date, code). \
It only returns the caller's own bookings; when it finds none, say its `say` line and ask for \
the phone number on the booking or the confirmation code. Never guess or reveal other details. \
Several: ask which one, by day and time.
- change_reservation: with dry_run true to check a new date, time, party size or request; \
explain a refusal with its reason and offer its alternatives; otherwise read the change back \
(state any deposit it returns) and, on the caller's yes, call it again with dry_run false. \
For running late pass late_minutes at once (the booking keeps its time) and state the hold \
policy it returns.
- cancel_reservation: after reading the booking back and the caller saying yes.
Say a confirmation code letter by letter (use code_spelled). If the caller asks for no text \
message, pass send_text false."""


def instructions(context: TurnContext) -> str:
    """The system prompt: identity, clock, booking rules, notepad, tool rules, RAG context."""
    profile = context.profile
    restaurant = profile.restaurant
    now = context.now
    clock = speak_time(now.time().replace(second=0, microsecond=0))
    parts = [
        f"You answer the phone for {restaurant.name}, {restaurant.address}. Restaurant phone "
        f"{restaurant.phone}.",
        f"Now it is {now:%A %B} {now.day}, {now.year}, {clock} ({restaurant.timezone}). "
        "Resolve relative dates against today.",
        _booking_rules(profile),
        _notepad(context),
        _RULES.format(max_party=profile.booking.max_party),
    ]
    if context.escalated:
        parts.append("The call has already been handed to a human; do not escalate again.")
    if context.rag_hits:
        parts.append(_context_block(context.rag_hits))
    return "\n\n".join(parts)


def caller_words(turn: Turn) -> str:
    """What the caller did, as the user message the model reads."""
    if turn.kind == "silence":
        return "(the caller said nothing)"
    if turn.kind == "dtmf":
        return f"(the caller keyed {turn.text} on the keypad)"
    return turn.text


def _booking_rules(profile: RestaurantProfile) -> str:
    rules = profile.booking
    opening = OpeningHours(profile)
    hours = " ".join(week_sentences(opening, speak_time) + exception_sentences(opening, speak_time))
    deposit = (
        f" Parties of {rules.deposit_from_party} or more pay a deposit."
        if rules.deposit_from_party
        else ""
    )
    return (
        f"Opening hours: {hours} A sitting after midnight belongs to the day its service began "
        f"(book it under that day). Bookings every {rules.slot_minutes} minutes, "
        f"parties of {rules.min_party} to {rules.max_party}, up to {rules.window_days} days "
        f"ahead.{deposit}"
    )


def _notepad(context: TurnContext) -> str:
    filled = context.notepad.filled()
    lines = ["Reservation notepad so far: " + (json.dumps(filled) if filled else "empty") + "."]
    if context.reservation_id is not None:
        lines.append(f"It is booked (reservation {context.reservation_id}).")
    elif missing := context.notepad.missing_fields():  # fresh: a tool may have filled some
        lines.append("Still missing: " + join_words(list(missing)) + ".")
    else:
        lines.append("Nothing is missing: read it back and book once the caller confirms.")
    if context.caller_id:
        lines.append(f"Caller ID: {context.caller_id} (offer it as the callback number).")
    return " ".join(lines)


def _context_block(hits: Sequence[RagHit]) -> str:
    lines = ["Context retrieved for this turn (answer from it):"]
    for hit in hits:
        text = hit.text if len(hit.text) <= _MAX_HIT_CHARS else hit.text[:_MAX_HIT_CHARS] + "..."
        lines.append(f"- [{hit.source}] {hit.title}: {text}")
    return "\n".join(lines)
