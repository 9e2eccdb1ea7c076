"""The outbox that holds caller audio for a recogniser's socket, and the socket->caller timeline."""

from __future__ import annotations

import pytest

from resvoice.voice.stt.socket_audio import Outbox, Timeline

RATE = 16_000


def test_outbox_takes_fixed_size_pieces_with_positions_and_gives_back() -> None:
    box = Outbox(RATE, max_bytes=10_000)
    box.put(b"a" * 100)
    box.put(b"b" * 50)
    assert box.take(60) == (0, b"a" * 60)
    box.give_back(b"a" * 60)  # the send failed
    assert box.take(120) == (0, b"a" * 100 + b"b" * 20)
    assert box.size == 30
    assert box.take(120) == (120, b"b" * 30)
    assert not box


def test_outbox_drops_the_oldest_audio_beyond_its_bound() -> None:
    box = Outbox(RATE, max_bytes=3200)  # 100 ms
    for n in range(4):
        box.put(bytes([n]) * 1600)  # 50 ms each
    assert box.dropped_ms == pytest.approx(100.0)
    assert box.take(1600) == (3200, bytes([2]) * 1600)
    box.put(bytes([4]) * 3200)  # while that piece was being sent: drops piece 3
    box.give_back(bytes([2]) * 1600)  # older than what was dropped: dropped too
    assert box.dropped_ms == pytest.approx(200.0)
    assert box.take(9999) == (6400, bytes([4]) * 3200)


def test_timeline_maps_socket_time_across_gaps_and_silence() -> None:
    line = Timeline(RATE)
    line.new_connection()
    line.sent_audio(pushed_pos=32_000, n_bytes=16_000)  # 1.0-1.5 s of caller audio
    line.sent_silence(pushed_pos=48_000, n_bytes=16_000)  # 0.5 s keep-alive
    line.sent_audio(pushed_pos=48_000, n_bytes=16_000)  # caller audio resumes at 1.5 s
    line.sent_audio(pushed_pos=96_000, n_bytes=16_000)  # 1 s was dropped before this piece
    assert line.pushed_ms(0.25) == pytest.approx(1250.0)
    assert line.pushed_ms(0.75) == pytest.approx(1500.0)  # inside the silence: time stands
    assert line.pushed_ms(1.25) == pytest.approx(1750.0)
    assert line.pushed_ms(1.75) == pytest.approx(3250.0)
