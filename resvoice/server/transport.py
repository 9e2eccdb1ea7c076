"""The agent's voice on a Twilio media stream: an `AudioOutput`.

The voice session writes PCM16 16 kHz; this converts it to mu-law 8 kHz in 20 ms frames and
paces them out in real time (the frames released at one tick go out as one `media` message:
Twilio plays a payload of any length, and a message per 20 ms frame cost the server a
websocket send each), staying at most `lead_ms` ahead of what the caller has heard. Twilio
buffers what it is sent and a barge-in `clear` drops all of it, so the lead only bounds how much
goes over the wire for nothing; it is a few hundred ms so that a busy event loop (200 calls on
one core) tops up long before the caller's buffer runs dry. The first frames of an utterance go
out at once; the rest at the ticks of the process's one `PacingClock` (no timer per call), which
tops up every speaking call in one pass. Marks go out in order
after the audio before them; Twilio echoes each once played. After a `clear`, Twilio also echoes
the marks it dropped: those were not heard, so `played()` says to ignore them.

What the voice writes is kept as it came (PCM16 16 kHz) and turned into mu-law frames only
when the pump needs them for the lead, the chunks written together converted in one call: a
synthesiser that hands over a whole sentence at once costs one conversion per tick, not a burst
of them when 200 calls start replying together, and audio a barge-in clears is never converted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from resvoice.audio import INTERNAL_RATE
from resvoice.audio.telephone import PhoneEncoder
from resvoice.server import twilio_wire as wire
from resvoice.server.metrics import ServerMetrics
from resvoice.server.pacing import PacingClock

log = logging.getLogger(__name__)

TWILIO_RATE = 8000
FRAME_MS = 20
FRAME_BYTES = TWILIO_RATE * FRAME_MS // 1000  # mu-law: one byte per sample
SILENCE = b"\xff"  # mu-law code of zero
# chunks written within this of each other count as written together: converted in one call,
# their frames stamped with the first one's time (what late frames are counted from)
SAME_MOMENT_S = 0.002

Send = Callable[[str], Awaitable[None]]


class TwilioOutput:
    sample_rate = INTERNAL_RATE

    def __init__(
        self,
        send: Send,
        stream_sid: str,
        metrics: ServerMetrics | None = None,
        *,
        lead_ms: float = 400.0,
        clock: PacingClock | None = None,
    ) -> None:
        self._send = send
        self._sid = stream_sid
        self._prefix = wire.media_prefix(stream_sid)
        self._metrics = metrics
        self._lead_s = lead_ms / 1000
        # a clock of its own when none is shared: ticks at a quarter of the lead, so a top-up
        # comes while three quarters of the lead are still left to play
        self._clock = clock or PacingClock(max(FRAME_MS / 1000, self._lead_s / 4))
        self._encoder = PhoneEncoder(INTERNAL_RATE, TWILIO_RATE)  # one filter for the call
        self._partial = b""  # mu-law bytes short of a whole frame
        # written, not yet converted: (PCM16 chunk, monotonic time written) or a mark name
        self._written: deque[tuple[bytes, float] | str] = deque()
        # converted: (mu-law frame, monotonic time written) or a mark name
        self._queue: deque[tuple[bytes, float] | str] = deque()
        self._outbox: list[str] = []  # paced out, for the sender task to put on the wire
        self._epoch = 0  # bumped by clear(): what the sender holds from before is dropped
        self._ready = asyncio.Event()
        self._lock = asyncio.Lock()
        self._outstanding: set[str] = set()  # marks sent, not yet echoed
        self._dropped: set[str] = set()  # marks cleared before they were played
        self._playout_end = 0.0  # monotonic time the caller finishes hearing what we sent
        self._last_written = 0.0  # when the audio last converted was written
        self._closed = False
        self._drained = asyncio.Event()
        self._drained.set()
        self.frames_sent = 0
        self.late_frames = 0

    # --- AudioOutput ------------------------------------------------------------------------

    async def write(self, pcm: bytes) -> None:
        now = time.monotonic()
        self._written.append((pcm, now))
        self._drained.clear()
        self._pump_now(now)

    async def mark(self, name: str) -> None:
        self._written.append(name)
        self._drained.clear()
        self._pump_now(time.monotonic())

    async def clear(self) -> None:
        self._written.clear()
        self._queue.clear()
        self._outbox.clear()
        self._epoch += 1
        self._partial = b""
        self._encoder.reset()
        self._dropped |= self._outstanding
        self._outstanding.clear()
        self._playout_end = 0.0
        self._clock.forget(self)
        self._drained.set()
        await self._emit(wire.clear_frame(self._sid))

    # --- Twilio side ------------------------------------------------------------------------

    def played(self, name: str) -> bool:
        """Twilio echoed mark `name`: True when it was really played (not cleared)."""
        if name in self._dropped:
            self._dropped.discard(name)
            return False
        self._outstanding.discard(name)
        self._check_drained()
        return True

    async def drained(self) -> None:
        """Wait until everything written has been played (every mark echoed)."""
        await self._drained.wait()

    @property
    def pending_ms(self) -> float:
        """Audio queued here, not yet sent."""
        frames = sum(1 for item in self._queue if not isinstance(item, str))
        written = sum(len(item[0]) for item in self._written if not isinstance(item, str))
        return (
            frames * FRAME_MS
            + len(self._partial) / TWILIO_RATE * 1000
            + written / (2 * INTERNAL_RATE) * 1000
        )

    def pump(self, now: float) -> bool:
        """Release the frames and marks due at `now` (up to the lead) to the sender; True while
        audio is still queued. The pacing clock calls this at each tick."""
        if self._closed:
            return False
        queue, outbox, frame_s = self._queue, self._outbox, FRAME_MS / 1000
        sent = late = 0
        released: list[bytes] = []  # frames released together go out as one media message
        while queue or self._written:
            if not queue:
                self._convert()  # the lead is not full and nothing converted is waiting
                continue
            item = queue[0]
            if isinstance(item, str):
                queue.popleft()
                if released:
                    outbox.append(self._prefix + wire.media_text(b"".join(released)))
                    released.clear()
                self._outstanding.add(item)
                outbox.append(wire.mark_frame(self._sid, item))
                continue
            if self._playout_end - now + frame_s > self._lead_s:
                break  # the caller has a full lead buffered: the next tick tops it up
            queue.popleft()
            frame, queued_at = item
            if queued_at < self._playout_end < now:
                # the frame was here before the caller's buffer ran dry, yet went out after:
                # the caller heard a gap that was our fault, not the synthesiser's
                late += 1
            self._playout_end = max(self._playout_end, now) + frame_s
            sent += 1
            released.append(frame)
        if released:
            outbox.append(self._prefix + wire.media_text(b"".join(released)))
        if sent:
            self.frames_sent += sent
            self.late_frames += late
            if self._metrics is not None:
                self._metrics.frames_sent.inc(sent)
                if late:
                    self._metrics.late_frames.inc(late)
        if outbox:
            self._ready.set()
        return bool(queue or self._written)

    async def run(self) -> None:
        """Put paced frames on the wire until `close()`."""
        while not self._closed:
            if not self._outbox:
                self._check_drained()
                self._ready.clear()
                await self._ready.wait()
                continue
            batch, self._outbox = self._outbox, []
            epoch = self._epoch
            for text in batch:
                if self._epoch != epoch or self._closed:
                    break  # cleared while we sent: the rest of the batch is not to be heard
                await self._emit(text)

    def close(self) -> None:
        self._closed = True
        self._clock.forget(self)
        self._ready.set()
        self._drained.set()

    # --- helpers ----------------------------------------------------------------------------

    def _pump_now(self, now: float) -> None:
        if self.pump(now):
            self._clock.want(self)

    def _check_drained(self) -> None:
        if not (self._written or self._queue or self._outbox or self._outstanding or self._partial):
            self._drained.set()

    def _convert(self) -> None:
        """Turn the oldest written audio into frames (the chunks written at one moment in one
        call), or, at a mark, the filter's tail into the utterance's last frames and the mark
        after them."""
        head = self._written.popleft()
        if isinstance(head, str):
            tail = self._partial + self._encoder.flush()
            self._partial = b""
            for start in range(0, len(tail), FRAME_BYTES):
                frame = tail[start : start + FRAME_BYTES]
                self._queue.append((frame.ljust(FRAME_BYTES, SILENCE), self._last_written))
            self._queue.append(head)
            return
        pcm, at = head
        chunks = [pcm]
        while self._written:
            following = self._written[0]
            if isinstance(following, str) or following[1] - at >= SAME_MOMENT_S:
                break
            chunks.append(following[0])
            self._written.popleft()
        self._last_written = at
        data = self._partial + self._encoder.process(b"".join(chunks))
        whole = len(data) - len(data) % FRAME_BYTES
        for start in range(0, whole, FRAME_BYTES):
            self._queue.append((data[start : start + FRAME_BYTES], at))
        self._partial = data[whole:]

    async def _emit(self, text: str) -> None:
        async with self._lock:
            try:
                await self._send(text)
            except Exception as exc:  # the peer went away; the handler notices and ends the call
                if not self._closed:
                    log.info("media stream send failed", extra={"error": repr(exc)})
                self.close()
