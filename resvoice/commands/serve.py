"""`resvoice serve`: answer Twilio phone calls (needs the `serve` extra)."""

from __future__ import annotations

from typing import Annotated

import typer

from resvoice.commands.shared import (
    DbOption,
    SttOption,
    TtsOption,
    err,
    errors_exit_2,
    load_settings,
)
from resvoice.errors import MissingExtraError


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
    insecure_dev: Annotated[
        bool,
        typer.Option(
            "--insecure-dev",
            help="Skip Twilio signature and stream-token checks (local tunnels only).",
        ),
    ] = False,
    stt: SttOption = None,
    tts: TtsOption = None,
) -> None:
    """Answer Twilio phone calls: webhooks, media streams, the staff console and /metrics."""
    settings = load_settings()
    with errors_exit_2():
        try:
            from resvoice.server.compose import (
                ServeOptions,
                builder,
                check_settings,
                close_context,
            )
            from resvoice.server.run import run
        except ImportError as exc:
            raise MissingExtraError("serve", "serve", missing=exc.name) from None
        check_settings(settings, insecure_dev)
        if insecure_dev:
            err.print(
                "[bold red]INSECURE DEV MODE:[/] Twilio signatures are not checked. "
                "Never expose this server to the internet."
            )
        options = ServeOptions(database_url=db, insecure=insecure_dev, stt=stt, tts=tts)
        run(builder(settings, options), close_context, host, port)
