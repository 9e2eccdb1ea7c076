"""Query secrets never reach a log line (the access log's arguments included)."""

from __future__ import annotations

import logging

from resvoice.server.logs import Redact, redact


def test_query_secrets_are_masked_and_the_rest_kept() -> None:
    line = "GET /console/events?token=abc123&page=2&PASSWORD=hunter2&auth_token=x HTTP/1.1"
    assert redact(line) == (
        "GET /console/events?token=[redacted]&page=2&PASSWORD=[redacted]"
        "&auth_token=[redacted] HTTP/1.1"
    )
    assert redact("no secrets here") == "no secrets here"


def test_the_filter_masks_uvicorn_access_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/console?token=s3cret", "1.1", 303), None,
    )  # fmt: skip
    assert Redact().filter(record)
    assert "s3cret" not in record.getMessage()
