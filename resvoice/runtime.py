"""The composition root: settings + storage + restaurant -> sessions. Front ends start here.

Nothing in `agent/` reads settings or knows which providers exist; this module picks them.
A `Runtime` owns every provider it opens (storage, embedder, OpenAI client, each STT and TTS
made by `stt()`/`tts()`, and the process's speech models) and closes each once when it
closes: front ends use it as `async with await Runtime.open(settings) as runtime:`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from resvoice.agent.brains.base import Brain
from resvoice.agent.clock import Clock, SystemClock
from resvoice.agent.escalation import RecordedTransfer, TransferAction
from resvoice.agent.messenger import LoggingMessenger, Messenger
from resvoice.agent.session import AgentSession, SessionConfig
from resvoice.agent.text_outbox import TextOutbox, TextPolicy
from resvoice.config import Settings
from resvoice.errors import ConfigError, NotSeededError
from resvoice.language.known_names import preload as preload_names
from resvoice.language.phone_validity import region_of
from resvoice.restaurant.profile import RestaurantProfile
from resvoice.retrieval.base import Embedder
from resvoice.retrieval.factory import make_embedder
from resvoice.retrieval.hybrid import HybridRetriever
from resvoice.storage import open_storage
from resvoice.storage.base import Storage
from resvoice.storage.records import TextMessage
from resvoice.voice.models import ModelCache

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic import SecretStr

    from resvoice.agent.brains.openai.client import OpenAIModel
    from resvoice.book.staff import StaffBook
    from resvoice.voice.stt.base import STT
    from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)

# stored embedder name -> the factory kind that produces it
_EMBEDDER_KINDS = {
    "hashing-v1": "hashing",
    "minilm-l6-v2-int8": "minilm",
    "all-MiniLM-L6-v2": "sentence-transformers",
    "text-embedding-3-small": "openai",
}


def make_brain(name: str, settings: Settings, openai: OpenAIModel | None = None) -> Brain:
    """A brain for one call; `openai` shares one client (and its API detection) across calls."""
    if name == "rules":
        from resvoice.agent.brains.rules.brain import RulesBrain

        return RulesBrain()
    if name == "openai":
        return (openai or openai_model(settings)).brain()
    raise ConfigError(f"the {name!r} brain is not available in this build; use --brain rules")


def openai_model(settings: Settings) -> OpenAIModel:
    from resvoice.agent.brains.openai.client import connect

    return connect(
        api_key=_revealed(settings.openai_api_key),
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        api=settings.openai_api,
        first_token_timeout_s=settings.first_token_timeout_s,
        inter_token_timeout_s=settings.inter_token_timeout_s,
        retries=settings.openai_retries,
    )


def embedder_from_settings(settings: Settings, kind: str | None = None) -> Embedder:
    return make_embedder(
        kind or settings.embedder,
        openai_api_key=_revealed(settings.openai_api_key),
        openai_base_url=settings.openai_base_url,
    )


def stt_from_settings(
    settings: Settings,
    kind: str | None = None,
    whisper_model: Path | None = None,
    *,
    models: ModelCache | None = None,
) -> STT:
    """The recogniser the settings (or a front end's `--stt`/`--whisper-model`) name."""
    from resvoice.voice.factory import make_stt

    return make_stt(
        kind or settings.stt,
        deepgram_api_key=_revealed(settings.deepgram_api_key),
        deepgram_url=settings.deepgram_url,
        deepgram_eager_eot=settings.deepgram_eager_eot,
        whisper_model=whisper_model or settings.whisper_model,
        end_silence_ms=settings.end_silence_ms,
        min_speech_ms=settings.min_speech_ms,
        models=models,
    )


def tts_from_settings(
    settings: Settings,
    kind: str | None = None,
    *,
    sample_rate: int,
    espeak_voice: str = "en-us",
    models: ModelCache | None = None,
) -> TTS:
    """The agent voice the settings (or a front end's `--tts`) name, at `sample_rate`."""
    from resvoice.voice.factory import make_tts

    return make_tts(
        kind or settings.tts,
        deepgram_api_key=_revealed(settings.deepgram_api_key),
        deepgram_url=settings.deepgram_url,
        sample_rate=sample_rate,
        espeak_voice=espeak_voice,
        models=models,
    )


def messenger_from_settings(settings: Settings) -> Messenger:
    """Twilio SMS when the account, token and a sender (a Messaging Service SID or
    TWILIO_PHONE_NUMBER) are set; otherwise a messenger that only logs."""
    token = _revealed(settings.twilio_auth_token)
    sender = settings.twilio_messaging_service_sid or settings.twilio_phone_number
    if not (settings.twilio_account_sid and token and sender):
        return LoggingMessenger()
    from resvoice.sms.twilio_sms import TwilioMessenger
    from resvoice.twilio_rest import twilio_client

    return TwilioMessenger(
        twilio_client(
            settings.twilio_account_sid,
            token,
            settings.twilio_api_url,
            timeout_s=settings.text_timeout_s,
        ),
        from_number=settings.twilio_phone_number,
        messaging_service_sid=settings.twilio_messaging_service_sid,
        timeout_s=settings.text_timeout_s,
    )


@dataclass
class Runtime:
    settings: Settings
    storage: Storage
    profile: RestaurantProfile
    retriever: HybridRetriever
    models: ModelCache = field(default_factory=ModelCache, repr=False)
    """Speech models loaded once for every provider this runtime makes."""
    text_observer: Callable[[TextMessage], None] | None = field(default=None, repr=False)
    """Told of every text's outcome (serve counts them on /metrics)."""
    _openai: OpenAIModel | None = field(default=None, init=False, repr=False)
    _sender: Messenger | None = field(default=None, init=False, repr=False)
    _outboxes: weakref.WeakSet[TextOutbox] = field(
        default_factory=weakref.WeakSet, init=False, repr=False
    )
    _closers: list[Callable[[], Awaitable[None]]] = field(
        default_factory=list, init=False, repr=False
    )
    _closed: bool = field(default=False, init=False, repr=False)

    @classmethod
    async def open(cls, settings: Settings, database_url: str | None = None) -> Runtime:
        storage = await open_storage(database_url or settings.database_url)
        try:
            profile = await storage.load_profile()
            info = await storage.embedder_info()
            if profile is None or info is None:
                raise NotSeededError()
            kind = _EMBEDDER_KINDS.get(info.name)
            if kind is None:
                raise ConfigError(
                    f"the knowledge was embedded with {info.name!r}, which this resvoice "
                    "cannot load; run `resvoice seed` again"
                )
            embedder = embedder_from_settings(settings, kind)
        except BaseException:
            await storage.close()
            raise
        if settings.timezone:
            profile = profile.model_copy(
                update={
                    "restaurant": profile.restaurant.model_copy(
                        update={"timezone": settings.timezone}
                    )
                }
            )
        runtime = cls(settings, storage, profile, HybridRetriever(storage, embedder))
        await asyncio.to_thread(preload_names)  # not on a call's loop at its first spelling
        if settings.resolved_brain() == "openai":
            await runtime._preload_openai()
        return runtime

    async def _preload_openai(self) -> None:
        """Import the SDK off the event loop (about a second) and connect before any call;
        a problem here is left for the first OpenAI call to report, as calls may not need it."""
        from resvoice.agent.brains.openai.client import preload

        try:
            await asyncio.to_thread(preload)
            self._openai = openai_model(self.settings)
        except ConfigError:
            pass

    async def __aenter__(self) -> Runtime:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def stt(self, kind: str | None = None, whisper_model: Path | None = None) -> STT:
        """A recogniser (`kind` or the settings'), made off the event loop since offline
        models load as it is made; the runtime closes it."""
        stt = await asyncio.to_thread(
            stt_from_settings, self.settings, kind, whisper_model, models=self.models
        )
        self.own(stt.aclose)
        return stt

    async def tts(
        self, kind: str | None = None, *, sample_rate: int, espeak_voice: str = "en-us"
    ) -> TTS:
        """A voice (`kind` or the settings') at `sample_rate`, made off the event loop; the
        runtime closes it."""
        tts = await asyncio.to_thread(
            tts_from_settings,
            self.settings,
            kind,
            sample_rate=sample_rate,
            espeak_voice=espeak_voice,
            models=self.models,
        )
        self.own(tts.aclose)
        return tts

    def own(self, aclose: Callable[[], Awaitable[None]]) -> None:
        """Close something with the runtime (before storage, in reverse order of owning)."""
        if self._closed:
            raise RuntimeError("the runtime is closed")
        self._closers.append(aclose)

    def text_sender(self) -> Messenger:
        """What sends guests' texts (see `messenger_from_settings`); made once, closed with
        the runtime."""
        if self._sender is None:
            self._sender = messenger_from_settings(self.settings)
            close = getattr(self._sender, "aclose", None)
            if close is not None:
                self.own(close)
        return self._sender

    def outbox(
        self,
        messenger: Messenger | None = None,
        *,
        conversation_id: str | None = None,
        reservation_id: int | None = None,
    ) -> TextOutbox:
        """Texts of one call or one staff change, sent off the caller's path by `messenger`
        (the runtime's sender by default) under `RESVOICE_TEXTS`."""
        sender = messenger or self.text_sender()
        off = None
        if self.settings.texts == "off":
            off = "texts are off (RESVOICE_TEXTS=off)"
        elif isinstance(sender, LoggingMessenger):
            off = "no SMS sender configured (TWILIO_* settings)"
        outbox = TextOutbox(
            sender,
            self.storage,
            conversation_id=conversation_id,
            reservation_id=reservation_id,
            policy=TextPolicy(off=off),
            on_outcome=self.text_observer,
        )
        self._outboxes.add(outbox)
        return outbox

    def staff_book(self) -> StaffBook:
        """The book as staff change it, texting guests through this runtime's sender."""
        from resvoice.book.staff import StaffBook

        clock = self.clock()
        return StaffBook(
            self.storage,
            self.profile,
            now=clock.now,
            outbox=lambda reservation_id: self.outbox(reservation_id=reservation_id),
            phone_region=self.phone_region,
        )

    @property
    def phone_region(self) -> str:
        """The country a number said without its code belongs to: the setting, else the
        restaurant's own (a London restaurant hears "07700 900123" as a UK mobile)."""
        return self.settings.phone_region or region_of(self.profile.restaurant.phone) or "US"

    def clock(self) -> Clock:
        return SystemClock(self.profile.restaurant.timezone)

    def session(
        self,
        *,
        conversation_id: str | None = None,
        caller_id: str | None = None,
        clock: Clock | None = None,
        brain: str | None = None,
        transfer: TransferAction | None = None,
        messenger: Messenger | None = None,
    ) -> AgentSession:
        settings = self.settings
        name = brain or settings.resolved_brain()
        if name == "openai" and self._openai is None:
            self._openai = openai_model(settings)
        conversation_id = conversation_id or f"call-{uuid.uuid4().hex[:12]}"
        if messenger is None:  # texts leave through an outbox; a messenger given is used as is
            messenger = self.outbox(conversation_id=conversation_id)
        return AgentSession(
            conversation_id=conversation_id,
            storage=self.storage,
            profile=self.profile,
            brain=make_brain(name, settings, self._openai),
            retriever=self.retriever,
            clock=clock or self.clock(),
            transfer=transfer or RecordedTransfer(settings.humans_available),
            caller_id=caller_id,
            messenger=messenger,
            config=SessionConfig(
                phone_region=self.phone_region,
                rag_timeout_s=settings.rag_timeout_s,
                max_turns_missing_data=settings.max_turns_missing_data,
            ),
        )

    async def close(self) -> None:
        """Close every provider once, newest first, storage last; idempotent. A provider that
        fails to close is logged and the rest still close."""
        if self._closed:
            return
        self._closed = True
        for outbox in list(self._outboxes):  # texts still queued go out before storage closes
            await outbox.drain()
        closers = self._closers[::-1]
        self._closers.clear()
        if self._openai is not None:
            closers.append(self._openai.close)
        embedder_close = getattr(self.retriever.embedder, "close", None)
        if embedder_close is not None:
            closers.append(embedder_close)
        for close in closers:
            try:
                await close()
            except Exception:
                log.exception("runtime.close_failed")
        self.models.close()
        await self.storage.close()


def _revealed(secret: SecretStr | None) -> str | None:
    """A key as the provider constructors take it: the plain string, or None when unset."""
    return secret.get_secret_value() if secret else None
