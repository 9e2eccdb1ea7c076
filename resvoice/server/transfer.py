"""Transfer to a human over the Twilio REST API, as the core's `TransferAction`.

When the core escalates a call, `CallTransfer.transfer()` says whether a human can take it (a
number is configured and humans are on). The caller then hears the agent's hold line; once it has
been played the stream handler calls `redirect()`, which replaces the live call's TwiML with a
`<Dial>` to AGENT_PHONE_NUMBER (with a timeout). Twilio posts the dial's outcome to
`/twilio/dial`, whose answer takes a voicemail for a callback when nobody picked up. The
escalation row records every outcome. One transfer per call, whatever asks for more.

A transfer sets a deadline on its escalation (now + the dial timeout + a margin, again when the
dial starts); should the outcome never arrive, the sweep (`sweep.py`) of any live server fails
the escalation so staff call back. Recording an outcome clears the deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from resvoice.server import twiml
from resvoice.server.metrics import ServerMetrics
from resvoice.server.sweep import Clock, utc_now
from resvoice.storage.base import Storage
from resvoice.storage.records import EscalationRecord
from resvoice.twilio_rest import twilio_client

__all__ = ["CallTransfer", "TransferSettings", "record_dial_outcome", "twilio_client"]

log = logging.getLogger(__name__)


@dataclass
class TransferSettings:
    agent_number: str | None
    caller_id: str | None = None
    timeout_s: int = 20
    humans_available: bool = True
    outcome_margin_s: int = 60  # past the dial timeout, before the sweep fails the transfer


@dataclass
class CallTransfer:
    """The `TransferAction` of one call."""

    call_sid: str
    callback_base: str  # where Twilio can reach us, e.g. https://example.com
    settings: TransferSettings
    client: Client | None
    storage: Storage
    metrics: ServerMetrics
    clock: Clock = utc_now
    pending: EscalationRecord | None = None
    done: bool = False
    _asked: bool = field(default=False, repr=False)

    async def transfer(self, escalation: EscalationRecord) -> bool:
        if self._asked:
            return False
        self._asked = True
        able = bool(
            self.client is not None
            and self.settings.agent_number
            and self.settings.humans_available
        )
        if able:
            self.pending = escalation
            await self._set_deadline(escalation.id)  # covers this process dying before the dial
        else:
            self.metrics.transfers.labels(outcome="callback").inc()
        return able

    def twiml(self, escalation_id: int | None) -> str:
        """The `<Dial>` document the live call is redirected to."""
        assert self.settings.agent_number is not None
        query = urlencode({"escalation": escalation_id}) if escalation_id is not None else ""
        return twiml.transfer(
            self.settings.agent_number,
            timeout_s=self.settings.timeout_s,
            action_url=f"{self.callback_base}/twilio/dial" + (f"?{query}" if query else ""),
            caller_id=self.settings.caller_id,
        )

    async def redirect(self) -> bool:
        """Redirect the live call (once the hold line has played). False when Twilio refused;
        the escalation is then marked failed so staff call back."""
        escalation, self.pending = self.pending, None
        if escalation is None or self.done or self.client is None:
            return False
        self.done = True
        await self._set_deadline(escalation.id)
        try:
            await self.client.calls(self.call_sid).update_async(twiml=self.twiml(escalation.id))
        except (TwilioException, OSError) as exc:
            log.error("transfer failed", extra={"call_sid": self.call_sid, "error": str(exc)})
            self.metrics.transfers.labels(outcome="failed").inc()
            if escalation.id is not None:
                await self.storage.record_transfer_outcome(
                    escalation.id, "failed", f"transfer failed: {exc}; call the guest back"
                )
            return False
        self.metrics.transfers.labels(outcome="dialing").inc()
        log.info("call redirected to a human", extra={"call_sid": self.call_sid})
        return True

    async def _set_deadline(self, escalation_id: int | None) -> None:
        if escalation_id is None:
            return
        wait = dt.timedelta(seconds=self.settings.timeout_s + self.settings.outcome_margin_s)
        await self.storage.set_transfer_deadline(escalation_id, self.clock() + wait)


async def record_dial_outcome(
    storage: Storage, metrics: ServerMetrics, escalation_id: int | None, dial_status: str
) -> bool:
    """Twilio's `<Dial action>` callback: True when a human answered.

    Also when it comes after the sweep failed the transfer: the real outcome is recorded (see
    `Storage.record_transfer_outcome` for an escalation staff took meanwhile)."""
    answered = dial_status == "completed"
    metrics.transfers.labels(outcome="answered" if answered else "no_answer").inc()
    if escalation_id is not None:
        if answered:
            await storage.record_transfer_outcome(escalation_id, "transferred", "answered by staff")
        else:
            await storage.record_transfer_outcome(
                escalation_id, "callback", f"nobody answered ({dial_status}); voicemail offered"
            )
    return answered
