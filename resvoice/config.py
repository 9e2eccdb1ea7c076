"""Settings, read from the environment and `.env` in one place, and the factories they drive."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    return f"sqlite:///{Path(user_data_dir('resvoice', appauthor=False)) / 'resvoice.db'}"


class Settings(BaseSettings):
    """Every knob of resvoice. Environment variables win over `.env`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url, alias="DATABASE_URL")
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    deepgram_api_key: SecretStr | None = Field(default=None, alias="DEEPGRAM_API_KEY")
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
    twilio_account_sid: str | None = Field(default=None, alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: SecretStr | None = Field(default=None, alias="TWILIO_AUTH_TOKEN")
    twilio_phone_number: str | None = Field(default=None, alias="TWILIO_PHONE_NUMBER")
    twilio_messaging_service_sid: str | None = Field(
        default=None,
        alias="TWILIO_MESSAGING_SERVICE_SID",
        description="Texts go out from this Messaging Service (else from TWILIO_PHONE_NUMBER).",
    )
    texts: Literal["on", "off"] = Field(
        default="on",
        alias="RESVOICE_TEXTS",
        description="Confirmation texts to guests; sent by Twilio when its credentials are set.",
    )
    text_timeout_s: float = Field(
        default=10.0,
        alias="RESVOICE_TEXT_TIMEOUT",
        gt=0,
        le=120,
        description="Seconds one text send may take before it counts as failed (retried once).",
    )
    agent_phone_number: str | None = Field(default=None, alias="AGENT_PHONE_NUMBER")
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
    console_token: SecretStr | None = Field(default=None, alias="RESVOICE_CONSOLE_TOKEN")
    console_user: str | None = Field(default=None, alias="RESVOICE_CONSOLE_USER")
    console_password: SecretStr | None = Field(default=None, alias="RESVOICE_CONSOLE_PASSWORD")
    transfer_timeout_s: int = Field(default=20, alias="RESVOICE_TRANSFER_TIMEOUT", ge=5, le=600)
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

    timezone: str | None = Field(
        default=None,
        alias="RESVOICE_TIMEZONE",
        description="Overrides the restaurant's own timezone from its data file.",
    )
    phone_region: str = Field(default="US", alias="RESVOICE_PHONE_REGION")
    brain: Literal["auto", "rules", "openai"] = Field(default="auto", alias="RESVOICE_BRAIN")
    embedder: Literal["auto", "hashing", "minilm", "sentence-transformers", "openai"] = Field(
        default="auto", alias="RESVOICE_EMBEDDER"
    )
    rag_timeout_s: float = Field(default=2.0, alias="RESVOICE_RAG_TIMEOUT", gt=0)
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
    openai_retries: int = Field(default=2, alias="RESVOICE_OPENAI_RETRIES", ge=0)
    max_turns_missing_data: int = Field(default=5, alias="RESVOICE_MAX_TURNS_MISSING_DATA", ge=1)
    humans_available: bool = Field(
        default=True,
        alias="RESVOICE_HUMANS_AVAILABLE",
        description="Whether a human can take transfers; when not, the agent offers a callback.",
    )
    stt: Literal["auto", "deepgram", "whisper", "none"] = Field(
        default="auto",
        alias="RESVOICE_STT",
        description="Speech recogniser; auto: Deepgram with a key, else offline Whisper.",
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

    def resolved_brain(self) -> Literal["rules", "openai"]:
        """`auto` means OpenAI when a key is set, the offline rules brain otherwise."""
        if self.brain == "auto":
            return "openai" if self.openai_api_key else "rules"
        return self.brain
