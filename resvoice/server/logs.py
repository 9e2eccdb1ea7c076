"""What `serve` logs: uvicorn's log configuration with every line passed through `Redact`, so
no query secret (a console `?token=`, a signature, a password) reaches the log, access log
included."""

from __future__ import annotations

import copy
import logging
import re
import sys
from typing import Any

from uvicorn.config import LOGGING_CONFIG

SECRET_KEYS = ("token", "access_token", "password", "secret", "signature", "key", "auth")
_SECRET = re.compile(
    r"(?P<key>(?:[A-Za-z0-9_]*?)(?:" + "|".join(SECRET_KEYS) + r"))=(?P<value>[^&\s\"']+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with the value of every `...token=`, `password=`, ... query parameter masked."""
    if "=" not in text:
        return text
    return _SECRET.sub(lambda match: f"{match['key']}=[redacted]", text)


class Redact(logging.Filter):
    """A handler filter: masks query secrets in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


def log_config(level: str = "info") -> dict[str, Any]:
    """Uvicorn's own logging setup with its handlers filtered; resvoice's warnings pass through
    the same filtered handler (still propagating, so a test's log capture sees them)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": f"{__name__}.Redact"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
        if handler.get("stream") == "ext://sys.stderr":
            handler["class"] = f"{__name__}.CurrentStderr"
            del handler["stream"]
    config["handlers"]["resvoice"] = {
        "formatter": "default",
        "class": f"{__name__}.CurrentStderr",
        "filters": ["redact"],
        "level": "WARNING",
    }
    config["loggers"]["resvoice"] = {"handlers": ["resvoice"], "propagate": True}
    return config


class CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler on whatever `sys.stderr` is when a line is written (as logging's last resort
    is), so a server run inside another program never writes to a stream it has closed."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr
