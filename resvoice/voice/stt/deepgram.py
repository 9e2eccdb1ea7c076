"""Deepgram Flux speech recognition: the v2 listen websocket, through `deepgram-sdk`.

Flux detects turns itself. This module holds the provider (settings checked once, one client
for every call); each call's socket, and the mapping of Flux's messages onto `STTEvent`s, is a
`DeepgramFluxStream` (`deepgram_stream.py`).
"""

from __future__ import annotations

from typing import Any

from resvoice.audio import INTERNAL_RATE
from resvoice.errors import ConfigError
from resvoice.voice.deepgram_client import make_client
from resvoice.voice.stt.deepgram_stream import DeepgramFluxStream

__all__ = ["FLUX_MODEL", "DeepgramFluxSTT", "DeepgramFluxStream"]

FLUX_MODEL = "flux-general-en"


class DeepgramFluxSTT:
    """Flux STT; one instance serves every call, each call opens its own stream (socket).

    Args:
        api_key: the Deepgram key (sent as `Authorization: Token ...`).
        base_url: a self-hosted Deepgram or a test fake (`RESVOICE_DEEPGRAM_URL`).
        eager_eot_threshold: 0.3-0.9; enables `EagerEndOfTurn`/`TurnResumed` (None: off).
        eot_threshold: 0.5-1.0 end-of-turn confidence (None: Deepgram's default, 0.7).
        eot_timeout_ms: 500-60000; a turn ends this long after speech whatever the confidence.
        keepalive_s: seconds without pushed audio before a silent keep-alive chunk is sent.
        max_buffer_ms: audio held while reconnecting; older audio is dropped beyond it.
        max_reconnects: consecutive failed connections before the stream gives up.
    """

    name = "deepgram"

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        *,
        model: str = FLUX_MODEL,
        sample_rate: int = INTERNAL_RATE,
        eager_eot_threshold: float | None = None,
        eot_threshold: float | None = None,
        eot_timeout_ms: int | None = None,
        keepalive_s: float = 3.0,
        max_buffer_ms: float = 5000.0,
        max_reconnects: int = 5,
        reconnect_delay_s: float = 0.25,
    ) -> None:
        _check_range("eager_eot_threshold", eager_eot_threshold, 0.3, 0.9)
        _check_range("eot_threshold", eot_threshold, 0.5, 1.0)
        _check_range("eot_timeout_ms", eot_timeout_ms, 500, 60000)
        if (eager_eot_threshold or 0.0) > (eot_threshold or 1.0):
            raise ConfigError("eager_eot_threshold must not exceed eot_threshold")
        self.sample_rate = sample_rate
        self._client = make_client(api_key, base_url)
        self._params: dict[str, Any] = {
            "model": model,
            "encoding": "linear16",
            "sample_rate": sample_rate,
            "eager_eot_threshold": eager_eot_threshold,
            "eot_threshold": eot_threshold,
            "eot_timeout_ms": eot_timeout_ms,
        }
        self._keepalive_s = keepalive_s
        self._max_buffer_bytes = int(max_buffer_ms * sample_rate / 1000) * 2
        self._max_reconnects = max_reconnects
        self._reconnect_delay_s = reconnect_delay_s
        self._streams: set[DeepgramFluxStream] = set()

    @property
    def errors(self) -> int:
        """Errors (Flux `Error` messages, unreadable messages, dropped sockets) of open streams."""
        return sum(stream.errors for stream in self._streams)

    async def open_stream(self) -> DeepgramFluxStream:
        """Connect a new stream; raises `VoiceProviderError` if the first connection fails."""
        stream = DeepgramFluxStream(
            self._client,
            self._params,
            sample_rate=self.sample_rate,
            keepalive_s=self._keepalive_s,
            max_buffer_bytes=self._max_buffer_bytes,
            max_reconnects=self._max_reconnects,
            reconnect_delay_s=self._reconnect_delay_s,
            on_close=self._streams.discard,
        )
        self._streams.add(stream)
        try:
            await stream.start()
        except BaseException:
            await stream.aclose()
            raise
        return stream

    async def aclose(self) -> None:
        for stream in list(self._streams):
            await stream.aclose()


def _check_range(name: str, value: float | None, low: float, high: float) -> None:
    if value is not None and not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
