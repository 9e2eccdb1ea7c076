"""Recover transfers whose outcome never came, in whichever server process is alive.

A transfer sets a deadline on its escalation (`CallTransfer`: the dial timeout plus a margin).
When the process that started it dies, or Twilio's `<Dial action>` callback never lands, the
escalation would stay `transferred` (not claimable) for ever. Every `resvoice serve` sweeps once
at startup and then every `RESVOICE_TRANSFER_SWEEP_INTERVAL` seconds: a `transferred` escalation
past its deadline becomes `failed`, with the reason, so staff call the guest back. The storage
makes it one conditional UPDATE, so sweeps of several processes fail each row exactly once; the
change reaches every console through the escalation feed.

A dial outcome arriving after the sweep still records the real outcome
(`Storage.record_transfer_outcome`): answered makes the escalation `transferred` again (nobody
needs to call back), unanswered makes it `callback`; an escalation staff already claimed or
resolved keeps its status and its detail says what Twilio reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable

from resvoice.errors import StorageError
from resvoice.server.metrics import ServerMetrics
from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

OVERDUE_DETAIL = (
    "the transfer's outcome never arrived (the server handling the call may have stopped); "
    "call the guest back"
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def sweep_overdue_transfers(
    storage: Storage, metrics: ServerMetrics, now: dt.datetime
) -> list[EscalationRecord]:
    """Fail the transfers overdue at `now`; returns those this process failed."""
    swept = await storage.fail_overdue_transfers(now, OVERDUE_DETAIL)
    for row in swept:
        metrics.transfers.labels(outcome="lost").inc()
        log.warning(
            "transfer outcome overdue: escalation failed for a call back",
            extra={"escalation": row.id, "call_sid": row.conversation_id},
        )
    return swept


async def run_sweeps(
    storage: Storage, metrics: ServerMetrics, clock: Clock, interval_s: float, stop: asyncio.Event
) -> None:
    """Sweep now, then every `interval_s` seconds, until `stop` is set; a failed sweep is logged
    and retried at the next interval. Stopping waits for a sweep in flight rather than
    cancelling it, so no storage call is abandoned half-way at shutdown."""
    while not stop.is_set():
        try:
            await sweep_overdue_transfers(storage, metrics, clock())
        except StorageError as exc:
            log.warning("transfer sweep failed", extra={"error": str(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
