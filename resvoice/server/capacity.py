"""How many calls one `serve` process takes at once, and what a caller past that hears.

The limits are measured, not guessed (docs/benchmarks.md, `bench/run`):

- `OFFLINE_MAX_CALLS`: with the offline voice (Whisper + Silero VAD + Piper on this machine's
  CPU), the most simultaneous calls before the p95 turn latency passes 1.5 s
  (`python -m bench.offline_capacity`). Recognition and synthesis share bounded worker pools,
  so one call more slows every call's turns: the limit keeps the calls already taken sounding
  right.
- `STREAM_MAX_CALLS`: with a cloud voice (Deepgram), the frame path itself is the limit: 200
  calls per process met the frame targets (`python -m bench.serve_load`).

Past the limit a new call is not put through to the agent: it hears that all lines are busy
and is offered a callback (see `twiml.lines_busy`), and staff get an escalation row of reason
`lines_busy`, status `callback`, with the caller's number, like an unanswered transfer.
`RESVOICE_MAX_CALLS` overrides the measured figure.
"""

from __future__ import annotations

__all__ = ["LOCAL_RECOGNISERS", "OFFLINE_MAX_CALLS", "STREAM_MAX_CALLS", "max_calls_for"]

OFFLINE_MAX_CALLS = 4
"""Measured on an idle 2-core machine (docs/benchmarks.md, host speed 52-58 ms on
`bench._machine`): `bench.offline_capacity` kept the p95 turn latency under 1.5 s with 4 calls
at once (1140 and 1270 ms in two runs) and passed it with 5 (1708 ms). A slower or shared
machine measures its own figure and sets `RESVOICE_MAX_CALLS` (an earlier build machine
shared with other work held only 1)."""

STREAM_MAX_CALLS = 200
"""Measured with `bench.serve_load` (providers faked): 200 calls met the frame targets."""

LOCAL_RECOGNISERS = frozenset({"whisper"})
"""Recognisers that run on this machine's CPU (their capacity is `OFFLINE_MAX_CALLS`)."""


def max_calls_for(configured: int | None, recogniser: str) -> int:
    """The call limit: `RESVOICE_MAX_CALLS` when set, else the measured figure for the voice."""
    if configured is not None:
        return configured
    return OFFLINE_MAX_CALLS if recogniser in LOCAL_RECOGNISERS else STREAM_MAX_CALLS
