"""Settings -> a running server's context: storage, Twilio client, voice providers, console
auth. `resvoice serve` calls `builder`'s function inside the server's event loop and
`close_context` when the server stops: the runtime owns every provider, so closing it closes
each of them once."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from resvoice.agent.session import AgentSession
from resvoice.audio import INTERNAL_RATE
from resvoice.config import Settings
from resvoice.errors import ConfigError
from resvoice.runtime import Runtime
from resvoice.server.calls import VoiceCall
from resvoice.server.capacity import max_calls_for
from resvoice.server.context import ConsoleAuth, ServerContext
from resvoice.server.signature import SignatureCheck
from resvoice.server.transfer import TransferSettings, twilio_client
from resvoice.voice.session import VoiceConfig, VoiceSession
from resvoice.voice.stt.base import STT
from resvoice.voice.transport import AudioOutput
from resvoice.voice.tts.base import TTS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    database_url: str | None = None
    insecure: bool = False
    stt: str | None = None
    tts: str | None = None


def check_settings(settings: Settings, insecure: bool) -> None:
    """Refuse to start without what Twilio's checks need (one line each, exit 2)."""
    if insecure:
        return
    if settings.twilio_auth_token is None:
        raise ConfigError(
            "TWILIO_AUTH_TOKEN is needed to check Twilio's signatures; set it, or pass "
            "--insecure-dev for a local tunnel"
        )


async def voice_providers(runtime: Runtime, options: ServeOptions) -> tuple[STT, TTS]:
    """The recogniser and voice of every call, owned (and closed) by the runtime."""
    stt = await runtime.stt(options.stt)
    tts = await runtime.tts(options.tts, sample_rate=INTERNAL_RATE)
    return stt, tts


def voice_factory(
    stt: STT, tts: TTS, config: VoiceConfig | None = None
) -> Callable[[AgentSession, AudioOutput], VoiceCall]:
    def make(agent: AgentSession, output: AudioOutput) -> VoiceCall:
        return VoiceSession(agent, stt, tts, output, config)

    return make


def builder(settings: Settings, options: ServeOptions) -> Callable[[], Awaitable[ServerContext]]:
    async def build() -> ServerContext:
        runtime = await Runtime.open(settings, options.database_url)
        try:
            return await _context(runtime, settings, options)
        except BaseException:
            await runtime.close()
            raise

    return build


async def _context(runtime: Runtime, settings: Settings, options: ServeOptions) -> ServerContext:
    stt, tts = await voice_providers(runtime, options)
    await _warm_up(tts)
    token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else None
    client = None
    if settings.twilio_account_sid and token:
        client = twilio_client(settings.twilio_account_sid, token, settings.twilio_api_url)
    elif settings.agent_phone_number:
        log.warning("AGENT_PHONE_NUMBER set without Twilio credentials: transfers disabled")
    password = settings.console_password
    ctx = ServerContext(
        runtime=runtime,
        voice_factory=voice_factory(stt, tts),
        signatures=SignatureCheck(token, settings.public_url, insecure=options.insecure),
        console_auth=ConsoleAuth(
            token=settings.console_token.get_secret_value() if settings.console_token else None,
            user=settings.console_user,
            password=password.get_secret_value() if password else None,
        ),
        transfer_settings=TransferSettings(
            agent_number=settings.agent_phone_number,
            caller_id=settings.twilio_phone_number,
            timeout_s=settings.transfer_timeout_s,
            humans_available=settings.humans_available,
            outcome_margin_s=settings.transfer_outcome_margin_s,
        ),
        twilio=client,
        insecure=options.insecure,
        sweep_interval_s=settings.transfer_sweep_interval_s,
        max_calls=max_calls_for(settings.max_calls, stt.name),
        start_timeout_s=settings.stream_start_timeout_s,
    )
    log.info("call limit", extra={"max_calls": ctx.max_calls, "stt": stt.name})
    return ctx


async def _warm_up(tts: TTS) -> None:
    """Load the voice before the first caller waits for it (a local model loads lazily)."""
    started = time.perf_counter()
    async for _ in tts.synthesize("Hello."):
        pass  # run to the end, so the stream closes itself
    log.info(
        "voice ready", extra={"tts": tts.name, "ms": round((time.perf_counter() - started) * 1000)}
    )


async def close_context(ctx: ServerContext) -> None:
    """Close the runtime and with it storage and every provider of the server's calls."""
    await ctx.runtime.close()
