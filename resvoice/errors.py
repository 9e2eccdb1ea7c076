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


class MissingExtraError(ConfigError):
    """A feature needs an optional extra (`pip install 'resvoice[extra]'`) that is not installed.

    Every such message has one shape: "<feature> needs the <extra> extra (<missing> is not
    installed): pip install 'resvoice[<extra>]'", plus `alternative` (", or give ...") when
    the feature has another way in.
    """

    def __init__(
        self,
        feature: str,
        extra: str,
        *,
        missing: str | None = None,
        alternative: str | None = None,
        first: str | None = None,
    ) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(
            needs_extra(feature, extra, missing=missing, alternative=alternative, first=first)
        )


def needs_extra(
    feature: str,
    extra: str,
    *,
    missing: str | None = None,
    alternative: str | None = None,
    first: str | None = None,
) -> str:
    """The one-line "needs the X extra" message (for errors that are not `ConfigError`s)."""
    what = f" ({missing} is not installed)" if missing else ""
    before = f"{first}, then " if first else ""
    other = f", or {alternative}" if alternative else ""
    return f"{feature} needs the {extra} extra{what}: {before}{install_hint(extra)}{other}"


def install_hint(extra: str) -> str:
    """The command that installs one extra."""
    return f"pip install 'resvoice[{extra}]'"
