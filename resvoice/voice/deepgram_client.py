"""One place that builds a `deepgram-sdk` async client for the Deepgram STT and TTS modules.

The SDK is imported here, lazily, so `resvoice.voice` imports without the `deepgram` extra.
`base_url` points listen and speak at a self-hosted Deepgram or a local fake; an `http(s)://`
or `ws(s)://` URL is accepted and both schemes are derived from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from resvoice.errors import ConfigError, MissingExtraError

if TYPE_CHECKING:
    from deepgram import AsyncDeepgramClient


def make_client(api_key: str, base_url: str | None = None) -> AsyncDeepgramClient:
    """An `AsyncDeepgramClient` for `api_key`, aimed at `base_url` when given."""
    if not api_key:
        raise ConfigError("DEEPGRAM_API_KEY is empty: set it, or choose an offline provider")
    try:
        from deepgram import AsyncDeepgramClient
        from deepgram.environment import DeepgramClientEnvironment
    except ImportError as exc:
        raise MissingExtraError("Deepgram", "deepgram", missing=exc.name) from exc
    if base_url is None:
        return AsyncDeepgramClient(api_key=api_key)
    http_url, ws_url = split_base_url(base_url)
    environment = DeepgramClientEnvironment(
        base=http_url, production=ws_url, agent=ws_url, agent_rest=http_url
    )
    return AsyncDeepgramClient(api_key=api_key, environment=environment)


def split_base_url(base_url: str) -> tuple[str, str]:
    """`http://host:port/prefix` -> (`http://host:port/prefix`, `ws://host:port/prefix`)."""
    parts = urlsplit(base_url.strip())
    secure = {"http": False, "ws": False, "https": True, "wss": True}.get(parts.scheme)
    if secure is None or not parts.netloc:
        raise ConfigError(
            f"RESVOICE_DEEPGRAM_URL must look like https://host[:port] or wss://host[:port],"
            f" got {base_url!r}"
        )
    path = parts.path.rstrip("/")
    http_url = urlunsplit(("https" if secure else "http", parts.netloc, path, "", ""))
    ws_url = urlunsplit(("wss" if secure else "ws", parts.netloc, path, "", ""))
    return http_url, ws_url
