"""Everything one server app shares between its routes (no module-level state)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from twilio.rest import Client

from resvoice.runtime import Runtime
from resvoice.server.board import EscalationBoard, StorageBoard
from resvoice.server.calls import CallRegistry, VoiceFactory
from resvoice.server.hub import Hub
from resvoice.server.metrics import ServerMetrics
from resvoice.server.pacing import PacingClock
from resvoice.server.signature import SignatureCheck, StreamTokens
from resvoice.server.sweep import Clock, utc_now
from resvoice.server.transfer import CallTransfer, TransferSettings
from resvoice.storage.records import TextMessage

if TYPE_CHECKING:
    from resvoice.book.staff import StaffBook


@dataclass(frozen=True)
class ConsoleAuth:
    """Console protection: a token (`?token=` once, then a cookie) or HTTP basic auth."""

    token: str | None = None
    user: str | None = None
    password: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.token or (self.user and self.password))


@dataclass
class ServerContext:
    runtime: Runtime
    voice_factory: VoiceFactory
    signatures: SignatureCheck
    console_auth: ConsoleAuth
    transfer_settings: TransferSettings
    twilio: Client | None = None
    insecure: bool = False
    drain_timeout_s: float = 10.0
    tokens: StreamTokens = field(default_factory=StreamTokens)
    calls: CallRegistry = field(default_factory=CallRegistry)
    hub: Hub = field(default_factory=Hub)
    metrics: ServerMetrics = field(default_factory=ServerMetrics)
    pacing: PacingClock = field(default_factory=PacingClock)  # every call's outbound audio
    board: EscalationBoard | None = None
    clock: Clock = utc_now  # wall time of transfer deadlines and sweeps (tests inject one)
    sweep_interval_s: float = 30.0
    start_timeout_s: float = 5.0  # a media stream that has not sent `start` by then is closed
    staff_book: StaffBook | None = None  # the console's Bookings view changes the book here
    texted: asyncio.Queue[int] = field(default_factory=asyncio.Queue)  # reservations texted
    max_calls: int | None = None  # calls at once; past it callers hear "lines busy" (None: no cap)

    @property
    def at_capacity(self) -> bool:
        """Taking one more call would pass `max_calls` (calls live plus streams about to start)."""
        if self.max_calls is None:
            return False
        return len(self.calls.calls) + self.tokens.pending >= self.max_calls

    def __post_init__(self) -> None:
        if self.board is None:
            self.board = StorageBoard(self.runtime.storage)
        if self.max_calls is not None:
            self.metrics.limit_calls(lambda: float(self.max_calls or 0))
        self.runtime.text_observer = self._text_done

    def _text_done(self, text: TextMessage) -> None:
        """Every text of this server's calls and staff is counted on /metrics; a staff text's
        outcome is shown on the consoles (`console_book.relay_text_outcomes`)."""
        self.metrics.texts.labels(status=text.status).inc()
        if text.reservation_id is not None:
            self.texted.put_nowait(text.reservation_id)

    def call_transfer(self, call_sid: str, callback_base: str) -> CallTransfer:
        return CallTransfer(
            call_sid=call_sid,
            callback_base=callback_base,
            settings=self.transfer_settings,
            client=self.twilio,
            storage=self.runtime.storage,
            metrics=self.metrics,
            clock=self.clock,
        )
