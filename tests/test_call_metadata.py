"""A call's metadata is typed, and sessions saved before it was still load and keep every key."""

from __future__ import annotations

import datetime as dt
import json

from resvoice.call_metadata import CallMetadata, EscalationNote
from resvoice.storage.records import SessionRecord

# the metadata JSON of a session saved while metadata was a free-form dict
OLD = {
    "brain": "rules",
    "started_at": "2026-03-01T19:00:00+01:00",
    "ended_at": "2026-03-01T19:02:30+01:00",
    "ended_reason": "caller_hangup",
    "ended": True,
    "channel": "twilio",
    "stream_sid": "MZ1",
    "caller_id": "+14155550123",
    "reservation_id": 7,
    "brain_state": {"rules": {"intents": ["book"]}},
    "booking_started": True,
    "booking_turns": 3,
    "turn_latency_ms": [12.5, 8],
    "rag_latency_ms": [1.25],
    "sql_latency_ms": [0.5],
    "brain_fallbacks": 1,
    "brain_fallback_reasons": ["stalled 1 s mid-reply"],
    "reply_cuts": [{"turn": 0, "reason": "stalled 1 s mid-reply", "dropped": "Could I"}],
    "escalation": {"reason": "party_size", "state": "queued", "id": 3},
    "voice_turns": [{"end_of_speech_to_first_audio_ms": 640.0}],
    "voice_latency_ms": {"end_of_speech_to_first_audio_ms": {"p50": 640.0, "p95": 640.0}},
    "voice_errors": {"stt": 0, "tts": 1, "llm": 0},
    "from_a_later_version": {"kept": True},
}


def test_a_session_saved_as_a_dict_loads_typed() -> None:
    record = SessionRecord.model_validate({"conversation_id": "c1", "metadata": OLD})
    meta = record.metadata
    assert meta.started_at == dt.datetime(
        2026, 3, 1, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert meta.ended and meta.ended_reason == "caller_hangup" and meta.reservation_id == 7
    assert meta.escalation == EscalationNote(reason="party_size", state="queued", id=3)
    assert meta.turn_latency_ms == [12.5, 8.0] and meta.brain_fallbacks == 1
    assert meta.reply_cuts[0].dropped == "Could I"
    assert meta.voice_latency_ms["end_of_speech_to_first_audio_ms"].p95 == 640.0
    assert meta.voice_errors == {"stt": 0, "tts": 1, "llm": 0}


def test_saving_again_keeps_every_key_and_value() -> None:
    meta = CallMetadata.model_validate(OLD)
    again = json.loads(meta.model_dump_json())
    assert again.pop("from_a_later_version") == {"kept": True}
    assert CallMetadata.model_validate(again) == CallMetadata.model_validate(
        {k: v for k, v in OLD.items() if k != "from_a_later_version"}
    )
    for key, value in OLD.items():
        if key not in ("started_at", "ended_at", "turn_latency_ms", "from_a_later_version"):
            assert again[key] == value, key


def test_a_new_call_has_empty_figures() -> None:
    meta = CallMetadata()
    assert meta.brain_fallbacks == 0 and meta.voice_turns == [] and meta.escalation is None
    assert not meta.ended and meta.reservation_id is None


def test_per_turn_series_keep_the_recent_samples_only() -> None:
    from resvoice.call_metadata import RECENT_SAMPLES, keep_recent

    meta = CallMetadata()
    for n in range(RECENT_SAMPLES + 5):
        keep_recent(meta.turn_latency_ms, float(n))
    assert len(meta.turn_latency_ms) == RECENT_SAMPLES
    assert meta.turn_latency_ms[0] == 5.0 and meta.turn_latency_ms[-1] == RECENT_SAMPLES + 4
