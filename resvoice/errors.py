"""Exceptions of resvoice; each message says what went wrong and what to do about it."""

from __future__ import annotations


class ResvoiceError(Exception):
    """Base class for errors a user can act on (printed as one line by the CLI)."""


class ConfigError(ResvoiceError):
    """A setting is missing or malformed (bad DATABASE_URL, unknown provider...)."""


class StorageError(ResvoiceError):
    """The database could not be opened, migrated or queried."""


class NotSeededError(StorageError):
    """The database holds no restaurant yet."""

    def __init__(self) -> None:
        super().__init__("the database holds no restaurant yet: run `resvoice seed` first")


class FixtureError(ResvoiceError):
    """A YAML file (restaurant data or a replay transcript) is malformed.

    The message names the file, the line and the field.
    """

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.detail = message
        where = path if line is None else f"{path}:{line}"
        what = f" ({field})" if field else ""
        super().__init__(f"{where}: {message}{what}")


class VoiceProviderError(ResvoiceError):
    """A speech provider (STT or TTS) failed and could not recover: bad key, unreachable
    server, or repeated errors. The message names the provider and says what to check."""
