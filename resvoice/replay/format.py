"""The replay transcript format (a contract: see shared/transcript-format.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from resvoice.yamlfile import load_yaml_model

EscalationReasonName = Literal[
    "user_requested", "missing_data", "frustrated", "agent_requested", "party_size"
]
NOTEPAD_KEYS = frozenset(
    {"name", "phone", "party_size", "date", "time", "email", "special_requests"}
)


def _text(value: Any) -> Any:
    """YAML reads +15551230000 as a number; a phone number is text."""
    return f"+{value}" if isinstance(value, int) else value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class GivenReservation(BaseModel):
    """A booking that exists before the call starts (contract v2)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    phone: str = Field(min_length=1)
    party_size: int = Field(ge=1)
    date: dt.date
    time: dt.time
    email: str | None = None
    special_requests: str | None = None

    _phone = field_validator("phone", mode="before")(_text)


class Given(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reservations: list[GivenReservation] = Field(default_factory=list)


class GivenExpect(BaseModel):
    """What a given reservation should be after the call; only the keys given are compared."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["booked", "cancelled"] | None = None
    party_size: int | None = None
    date: dt.date | None = None
    time: dt.time | None = None
    name: str | None = None
    phone: str | None = None
    special_requests: str | None = None

    _phone = field_validator("phone", mode="before")(_text)


class MessageExpect(BaseModel):
    """A text message the call should have sent: `to` exactly, `contains` case-insensitively."""

    model_config = ConfigDict(extra="forbid")

    to: str = Field(min_length=1)
    contains: list[str] = Field(default_factory=list)

    _to = field_validator("to", mode="before")(_text)
    _contains = field_validator("contains", mode="before")(_one_or_many)


class Expect(BaseModel):
    """Expectations, checked after a turn or when the call ends; every key is optional."""

    model_config = ConfigDict(extra="forbid")

    notepad: dict[str, Any] | None = None
    reply_contains: list[str] = Field(default_factory=list)
    reply_not_contains: list[str] = Field(default_factory=list)
    data_complete: bool | None = None
    reservation: Literal["booked", "none"] | None = None
    escalated: bool | None = None
    escalation_reason: EscalationReasonName | None = None
    given_reservations: list[GivenExpect] | None = None  # call level only
    messages: list[MessageExpect] | None = None  # call level only

    @field_validator("notepad")
    @classmethod
    def _known_fields(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        unknown = sorted(set(value or {}) - NOTEPAD_KEYS)
        if unknown:
            raise ValueError(
                f"unknown notepad field {unknown[0]!r}; known: {', '.join(sorted(NOTEPAD_KEYS))}"
            )
        return value

    _replies = field_validator("reply_contains", "reply_not_contains", mode="before")(_one_or_many)


class TranscriptTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str | None = None
    dtmf: str | None = None
    expect: Expect | None = None

    @field_validator("user", "dtmf", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _one_action(self) -> TranscriptTurn:
        if (self.user is None) == (self.dtmf is None):
            raise ValueError("a turn needs exactly one of 'user' or 'dtmf'")
        expect = self.expect
        if expect and (expect.given_reservations is not None or expect.messages is not None):
            raise ValueError(
                "given_reservations and messages are checked when the call ends: "
                "put them in the call-level expect"
            )
        return self


class Transcript(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    today: dt.datetime | dt.date | None = None
    caller: str | None = None
    brain: Literal["rules", "openai"] | None = None
    given: Given | None = None
    turns: list[TranscriptTurn] = Field(min_length=1)
    expect: Expect | None = None

    @field_validator("today")
    @classmethod
    def _today_with_a_future(cls, value: dt.datetime | dt.date | None) -> Any:
        # the agent looks weeks ahead of `today`: the last dates of the calendar have none
        if value is not None and not 1900 <= value.year <= 9000:
            raise ValueError("today must be between the years 1900 and 9000")
        return value

    _caller = field_validator("caller", mode="before")(_text)

    @model_validator(mode="after")
    def _one_expectation_per_given(self) -> Transcript:
        wanted = self.expect.given_reservations if self.expect else None
        have = len(self.given.reservations) if self.given else 0
        if wanted is not None and len(wanted) > have:
            raise ValueError(
                f"expect.given_reservations lists {len(wanted)} reservations but given has "
                f"{have}; list at most one entry per given reservation, in order"
            )
        return self


def load_transcript(path: Path) -> Transcript:
    return load_yaml_model(path, Transcript)
