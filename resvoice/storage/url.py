"""Parse a `DATABASE_URL` into a `DatabaseURL`, never letting a password into messages.

Accepted forms:

* `sqlite:///relative/path.db` (relative to the working directory)
* `sqlite:////absolute/path.db`
* `sqlite:///:memory:`
* `postgresql://user:password@host:port/dbname` (also `postgres://`, `postgresql+driver://`)
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import SplitResult, urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from resvoice.errors import ConfigError

__all__ = ["ACCEPTED_FORMS", "DatabaseURL", "mask_password", "parse_database_url"]

ACCEPTED_FORMS = (
    "sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:///:memory: "
    "or postgresql://user:password@host/dbname"
)


class DatabaseURL(BaseModel):
    """A parsed database URL. `url` keeps the full text (secret); `masked` is safe to show."""

    model_config = ConfigDict(frozen=True)

    backend: Literal["sqlite", "postgres"]
    masked: str
    url: SecretStr
    path: str | None = None  # sqlite: a file path or ":memory:"

    def __str__(self) -> str:
        return self.masked


def parse_database_url(text: str) -> DatabaseURL:
    """Parse `text`; raises `ConfigError` naming the accepted forms (password masked)."""
    text = text.strip()
    masked = mask_password(text)
    scheme, sep, rest = text.partition(":")
    scheme = scheme.lower()
    if not sep:
        raise _bad(masked, "it has no scheme")
    if scheme == "sqlite":
        if not rest.startswith("///"):
            raise _bad(masked, "a sqlite URL needs three slashes before the path")
        path = rest[3:]
        if not path:
            raise _bad(masked, "the sqlite path is empty")
        if "?" in path or "#" in path:
            raise _bad(masked, "sqlite URLs take no query or fragment")
        return DatabaseURL(backend="sqlite", masked=masked, url=SecretStr(text), path=path)
    if scheme in {"postgres", "postgresql"} or scheme.startswith("postgresql+"):
        parts = _split(text, masked)
        if not parts.hostname and not parts.path.strip("/"):
            raise _bad(masked, "a postgres URL needs a host or a database name")
        return DatabaseURL(backend="postgres", masked=masked, url=SecretStr(text))
    raise _bad(masked, f"unknown scheme {scheme!r}")


def mask_password(text: str) -> str:
    """The URL with any password replaced by `***`, also when the URL is malformed.

    The user info runs from `://` to the last `@`, so a password holding `@`, `:` or `/`
    (unencoded, as people type them) is still hidden; masking too much is harmless.
    """
    text = text.strip()
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    userinfo, _, host = rest.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    return f"{head}://{user}:***@{host}" if colon else text


def _split(text: str, masked: str) -> SplitResult:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        # Not chained: urllib's message can quote a piece of the password.
        raise _bad(masked, "it cannot be parsed") from None
    return parts


def _bad(masked: str, why: str) -> ConfigError:
    return ConfigError(f"bad database URL {masked!r}: {why}; use {ACCEPTED_FORMS}")
