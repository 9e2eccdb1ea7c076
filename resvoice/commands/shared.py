"""What every command shares: the consoles, the `--db`/`--model`/`--stt`/`--tts` options,
loading settings, the database a command opens, and a `ResvoiceError` (or a malformed
setting) turned into one red line and exit code 2."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from resvoice.config import Settings
from resvoice.errors import ConfigError, ResvoiceError

if TYPE_CHECKING:
    from resvoice.storage.base import Storage

T = TypeVar("T")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///path.db or postgresql://...); overrides DATABASE_URL.",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Model for the OpenAI brain; overrides RESVOICE_OPENAI_MODEL.",
        show_default=False,
    ),
]
SttOption = Annotated[
    str | None,
    typer.Option("--stt", help="auto | deepgram | whisper | none; overrides RESVOICE_STT."),
]
TtsOption = Annotated[
    str | None,
    typer.Option("--tts", help="auto | deepgram | piper | espeak; overrides RESVOICE_TTS."),
]


def load_settings(model: str | None = None) -> Settings:
    """The settings (environment and `.env`), with `--model` over RESVOICE_OPENAI_MODEL; a
    malformed one is one red line naming the variable, and exit code 2."""
    with errors_exit_2():
        try:
            settings = Settings()
        except ValidationError as exc:
            raise ConfigError(_bad_settings(exc)) from None
    return settings.model_copy(update={"openai_model": model}) if model else settings


def run(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a `ResvoiceError` becomes one red line and exit code 2."""
    with errors_exit_2():
        return asyncio.run(work)


@contextmanager
def errors_exit_2() -> Iterator[None]:
    """A `ResvoiceError` raised inside becomes one red line on stderr (never wrapped) and exit
    code 2."""
    try:
        yield
    except ResvoiceError as exc:
        # escaped: a path or hint such as `resvoice[serve]` is text, not console markup
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def run_on_db(db: str | None, work: Callable[[Storage], Awaitable[T]], *, create: bool = True) -> T:
    """Run `work` on the database `--db` (or DATABASE_URL) names, as `run` runs a coroutine;
    `create=False` (read commands) refuses a database that does not exist yet."""
    settings = load_settings()

    async def opened() -> T:
        async with open_db(db, settings, create=create) as storage:
            return await work(storage)

    return run(opened())


@asynccontextmanager
async def open_db(
    db: str | None, settings: Settings, *, create: bool = True
) -> AsyncIterator[Storage]:
    """The database `--db` (or DATABASE_URL) names, closed when the command is done; a read
    command passes `create=False` and never leaves an empty database behind."""
    from resvoice.storage import open_storage

    url = db or settings.database_url
    if not create:
        await asyncio.to_thread(require_database, url)
    storage = await open_storage(url)
    try:
        yield storage
    finally:
        await storage.close()


def require_database(url: str) -> None:
    """`ConfigError` when `url` names a SQLite file that does not exist (read commands never
    create one); a Postgres database is checked by connecting."""
    from pathlib import Path

    from resvoice.storage.url import parse_database_url

    parsed = parse_database_url(url)
    if parsed.backend != "sqlite" or parsed.path in (None, ":memory:"):
        return
    if not Path(parsed.path).expanduser().is_file():
        raise ConfigError(f"no database at {parsed.path}; `resvoice seed --db {url}` creates one")


def _bad_settings(exc: ValidationError) -> str:
    """Which variables are wrong and why; never their values, which may be secrets."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
        for error in exc.errors(include_url=False, include_input=False)
    )
    return f"{problems} (fix it in the environment or .env)"
