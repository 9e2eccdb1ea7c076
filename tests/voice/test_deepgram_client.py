"""RESVOICE_DEEPGRAM_URL: one base URL gives both the REST and the websocket address."""

from __future__ import annotations

import pytest

from resvoice.errors import ConfigError
from resvoice.voice.deepgram_client import make_client, split_base_url


@pytest.mark.parametrize(
    ("base", "http", "ws"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "ws://127.0.0.1:8080"),
        ("https://dg.example.com/", "https://dg.example.com", "wss://dg.example.com"),
        (
            "wss://dg.example.com/proxy/",
            "https://dg.example.com/proxy",
            "wss://dg.example.com/proxy",
        ),
        ("ws://localhost:9000", "http://localhost:9000", "ws://localhost:9000"),
    ],
)
def test_split_base_url(base: str, http: str, ws: str) -> None:
    assert split_base_url(base) == (http, ws)


@pytest.mark.parametrize("base", ["ftp://host", "localhost:8080", "https://"])
def test_bad_base_url_names_the_setting(base: str) -> None:
    with pytest.raises(ConfigError, match="RESVOICE_DEEPGRAM_URL"):
        split_base_url(base)


def test_empty_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="DEEPGRAM_API_KEY"):
        make_client("")
