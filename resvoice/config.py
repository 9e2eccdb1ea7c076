"""Settings, read from the environment and `.env` in one place, and the factories they drive.

`python -m resvoice.config --markdown` prints the configuration table of
`docs/configuration.md` from the fields below (a test keeps the two equal).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('resvoice', appauthor=False)) / 'resvoice.db'}"


class Settings(BaseSettings):
    """Every knob of resvoice. Environment variables win over `.env`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        alias="DATABASE_URL",
        description="Where calls, bookings and knowledge live: `sqlite:///relative.db`, "
        "`sqlite:////absolute.db` or `postgresql://...` (`--db` overrides it).",
        json_schema_extra={"shown_default": "sqlite:///<user data dir>/resvoice/resvoice.db"},
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        alias="OPENAI_API_KEY",
        description="Turns on the OpenAI brain and embeddings.",
    )
    openai_base_url: str | None = Field(
        default=None,
        alias="OPENAI_BASE_URL",
        description="Any OpenAI-compatible server (Ollama, vLLM...); without a key a "
        "placeholder is sent.",
    )
    deepgram_api_key: SecretStr | None = Field(
        default=None,
        alias="DEEPGRAM_API_KEY",
        description="Deepgram Flux STT and Aura 2 TTS; unset, the offline voice (Whisper + "
        "Silero VAD, Piper or eSpeak NG).",
    )
    deepgram_url: str | None = Field(
        default=None,
        alias="RESVOICE_DEEPGRAM_URL",
        description="Base URL for Deepgram listen and speak (self-hosted Deepgram, tests).",
    )
    deepgram_eager_eot: float | None = Field(
        default=None,
        alias="RESVOICE_DEEPGRAM_EAGER_EOT",
        ge=0.3,
        le=0.9,
        description="Flux eager end-of-turn threshold; unset: no EagerEndOfTurn events.",
    )
    twilio_account_sid: str | None = Field(
        default=None,
        alias="TWILIO_ACCOUNT_SID",
        description="With the auth token, places transfers to a human (Twilio REST).",
    )
    twilio_auth_token: SecretStr | None = Field(
        default=None,
        alias="TWILIO_AUTH_TOKEN",
        description="Checks every Twilio webhook's signature; with the SID, places transfers.",
    )
    twilio_phone_number: str | None = Field(
        default=None,
        alias="TWILIO_PHONE_NUMBER",
        description="The caller ID of transfers; texts to guests go out from it.",
    )
    twilio_messaging_service_sid: str | None = Field(
        default=None,
        alias="TWILIO_MESSAGING_SERVICE_SID",
        description="Texts to guests go out from this Messaging Service instead.",
    )
    texts: Literal["on", "off"] = Field(
        default="on",
        alias="RESVOICE_TEXTS",
        description="Confirmation texts to guests (sent by Twilio when its credentials are set).",
    )
    text_timeout_s: float = Field(
        default=10.0,
        alias="RESVOICE_TEXT_TIMEOUT",
        gt=0,
        le=120,
        description="Seconds one text send may take before it counts as failed (retried once).",
    )
    agent_phone_number: str | None = Field(
        default=None,
        alias="AGENT_PHONE_NUMBER",
        description="The human that escalated calls are transferred to.",
    )
    public_url: str | None = Field(
        default=None,
        alias="PUBLIC_URL",
        description="The server's public base URL (proxy, tunnel); Twilio signatures use it.",
    )
    twilio_api_url: str | None = Field(
        default=None,
        alias="RESVOICE_TWILIO_API_URL",
        description="Replaces https://api.twilio.com (a local fake in tests).",
    )
    console_token: SecretStr | None = Field(
        default=None,
        alias="RESVOICE_CONSOLE_TOKEN",
        description="The staff console's token (`/console?token=...` once, then a cookie).",
    )
    console_user: str | None = Field(
        default=None,
        alias="RESVOICE_CONSOLE_USER",
        description="Or HTTP basic auth for the console (with the password); with neither "
        "this nor a token the console is off.",
    )
    console_password: SecretStr | None = Field(
        default=None,
        alias="RESVOICE_CONSOLE_PASSWORD",
        description="The console's basic-auth password.",
    )
    transfer_timeout_s: int = Field(
        default=20,
        alias="RESVOICE_TRANSFER_TIMEOUT",
        ge=5,
        le=600,
        description="Seconds the human's phone rings before the caller is offered a voicemail.",
    )
    transfer_outcome_margin_s: int = Field(
        default=60,
        alias="RESVOICE_TRANSFER_OUTCOME_MARGIN",
        ge=10,
        le=3600,
        description="Seconds past the dial timeout a transfer's outcome may take before the sweep "
        "marks it failed (claimable, so staff call the guest back).",
    )
    transfer_sweep_interval_s: float = Field(
        default=30.0,
        alias="RESVOICE_TRANSFER_SWEEP_INTERVAL",
        ge=1,
        le=3600,
        description="How often `serve` looks for transfers whose outcome never came.",
    )
    stream_start_timeout_s: float = Field(
        default=5.0,
        alias="RESVOICE_STREAM_START_TIMEOUT",
        gt=0,
        le=60,
        description="Seconds a media stream may stay open without sending Twilio's `start`.",
    )

    timezone: str | None = Field(
        default=None,
        alias="RESVOICE_TIMEZONE",
        description="Overrides the restaurant's own timezone from its data file.",
    )
    phone_region: str | None = Field(
        default=None,
        alias="RESVOICE_PHONE_REGION",
        description=(
            "Region (ISO country) of phone numbers spoken without a country code; default: the"
            " country of the restaurant's own phone number."
        ),
    )
    brain: Literal["auto", "rules", "openai"] = Field(
        default="auto",
        alias="RESVOICE_BRAIN",
        description="`rules`, `openai`, or `auto` (OpenAI when a key is set).",
    )
    embedder: Literal["auto", "hashing", "minilm", "sentence-transformers", "openai"] = Field(
        default="auto",
        alias="RESVOICE_EMBEDDER",
        description="`hashing`, `minilm`, `sentence-transformers`, `openai`; auto: OpenAI "
        "with a key, else hashing.",
    )
    rag_timeout_s: float = Field(
        default=2.0,
        alias="RESVOICE_RAG_TIMEOUT",
        gt=0,
        description="Seconds before the agent answers without retrieved context.",
    )
    openai_model: str = Field(
        default="gpt-4.1-mini",
        alias="RESVOICE_OPENAI_MODEL",
        description="The model the OpenAI brain asks (any name an OpenAI-compatible server knows).",
    )
    openai_api: Literal["auto", "responses", "chat"] = Field(
        default="auto",
        alias="RESVOICE_OPENAI_API",
        description="Responses API, Chat Completions, or auto (Responses, Chat on a 404).",
    )
    first_token_timeout_s: float = Field(
        default=4.0,
        alias="RESVOICE_FIRST_TOKEN_TIMEOUT",
        gt=0,
        description="Seconds the OpenAI brain may stay silent before the rules brain answers.",
    )
    inter_token_timeout_s: float = Field(
        default=3.0,
        alias="RESVOICE_INTER_TOKEN_TIMEOUT",
        gt=0,
        description="Seconds the OpenAI brain may stall mid-reply before the rules brain goes on.",
    )
    openai_retries: int = Field(
        default=2,
        alias="RESVOICE_OPENAI_RETRIES",
        ge=0,
        description="Retries of a model request on 429, 5xx or a dropped connection.",
    )
    max_turns_missing_data: int = Field(
        default=5,
        alias="RESVOICE_MAX_TURNS_MISSING_DATA",
        ge=1,
        description="Booking turns before a stuck caller is handed to a human.",
    )
    humans_available: bool = Field(
        default=True,
        alias="RESVOICE_HUMANS_AVAILABLE",
        description="Whether a human can take transfers; when not, the agent offers a callback.",
    )
    max_calls: int | None = Field(
        default=None,
        alias="RESVOICE_MAX_CALLS",
        ge=1,
        le=10_000,
        description="Calls `serve` takes at once; past it a caller hears that all lines are busy "
        "and can leave a message for a callback. Unset: the measured figure for the voice in use "
        "(resvoice/server/capacity.py, docs/benchmarks.md).",
    )
    stt: Literal["auto", "deepgram", "whisper", "whisper-base", "none"] = Field(
        default="auto",
        alias="RESVOICE_STT",
        description=(
            "Speech recogniser; auto: Deepgram with a key, else offline Whisper tiny.en;"
            " whisper-base: the second offline model (its extra)."
        ),
    )
    tts: Literal["auto", "deepgram", "piper", "espeak"] = Field(
        default="auto",
        alias="RESVOICE_TTS",
        description="Agent voice; auto: Deepgram with a key, else Piper (eSpeak without it).",
    )
    whisper_model: Path | None = Field(
        default=None,
        alias="RESVOICE_WHISPER_MODEL",
        description="A CTranslate2 Whisper directory; unset: tiny.en from the offline extra.",
    )
    end_silence_ms: float = Field(
        default=600.0,
        alias="RESVOICE_END_SILENCE_MS",
        ge=200,
        le=3000,
        description="Offline STT: silence that ends a caller's turn.",
    )
    min_speech_ms: float = Field(
        default=300.0,
        alias="RESVOICE_MIN_SPEECH_MS",
        ge=0,
        le=2000,
        description="Offline STT: speech needed before a turn starts (blips never barge in).",
    )

    resume_after_s: float = Field(
        default=1.5,
        alias="RESVOICE_RESUME_AFTER",
        ge=0.2,
        le=10,
        description="After a barge-in that no real turn follows within this many seconds (a "
        "cough, 'mm-hmm', noise), the agent resumes the sentence it was cut off in.",
    )

    record: bool = Field(
        default=False,
        alias="RESVOICE_RECORD",
        description="on: record each spoken call as a stereo WAV (caller left, agent right), "
        "with a spoken notice in the greeting; a caller may opt out.",
    )
    recordings_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("resvoice", appauthor=False)) / "recordings",
        alias="RESVOICE_RECORDINGS_DIR",
        json_schema_extra={"shown_default": "<user data dir>/resvoice/recordings"},
        description="Where recorded calls go, one <call id>.wav each.",
    )

    def recordings(self) -> Path | None:
        """Where calls are recorded, or None when `RESVOICE_RECORD` is off."""
        return self.recordings_dir if self.record else None

    def resolved_brain(self) -> Literal["rules", "openai"]:
        """`auto` means OpenAI when a key is set, the offline rules brain otherwise."""
        if self.brain == "auto":
            return "openai" if self.openai_api_key else "rules"
        return self.brain


def settings_table() -> str:
    """Every setting as a markdown table: environment variable, default, meaning."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for field in Settings.model_fields.values():
        rows.append(f"| `{field.alias}` | {_shown_default(field)} | {field.description} |")
    return "\n".join(rows) + "\n"


def _shown_default(field: FieldInfo) -> str:
    extra = field.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("shown_default"), str):
        return f"`{extra['shown_default']}`"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"


if __name__ == "__main__":
    if sys.argv[1:] != ["--markdown"]:
        sys.exit("usage: python -m resvoice.config --markdown")
    sys.stdout.write(settings_table())
