"""The `resvoice` command line. Each command composes the core; none re-implements it."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from resvoice.config import Settings
from resvoice.errors import ConfigError, ResvoiceError

if TYPE_CHECKING:
    from resvoice.storage.base import Storage

T = TypeVar("T")

app = typer.Typer(
    name="resvoice",
    help="A voice agent that answers a restaurant's phone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
DEFAULT_RESTAURANT = Path("fixtures/restaurant.yaml")


def main() -> None:
    app()


def _with_model(settings: Settings, model: str | None) -> Settings:
    return settings.model_copy(update={"openai_model": model}) if model else settings


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a `ResvoiceError` becomes one red line and exit code 2."""
    try:
        return asyncio.run(work)
    except ResvoiceError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)  # one line
        raise typer.Exit(2) from None


@asynccontextmanager
async def _storage(db: str | None, settings: Settings) -> AsyncIterator[Storage]:
    """The database `--db` (or DATABASE_URL) names, closed when the command is done."""
    from resvoice.storage import open_storage

    storage = await open_storage(db or settings.database_url)
    try:
        yield storage
    finally:
        await storage.close()


@app.command()
def seed(
    file: Annotated[
        Path, typer.Option("--file", "-f", help="Restaurant data file (YAML).")
    ] = DEFAULT_RESTAURANT,
    db: DbOption = None,
    embedder: Annotated[
        str | None,
        typer.Option(help="auto | hashing | minilm | sentence-transformers | openai"),
    ] = None,
) -> None:
    """Load a restaurant's menu, policies, FAQ, tables and hours (safe to run again)."""
    settings = Settings()

    async def work() -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        from resvoice.restaurant.loader import load_profile
        from resvoice.restaurant.seeding import seed_restaurant
        from resvoice.runtime import embedder_from_settings

        profile = load_profile(file)
        chosen = embedder_from_settings(settings, embedder)
        async with _storage(db, settings) as storage:
            with Progress(
                TextColumn("embedding with [bold]{task.fields[embedder]}[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("embed", total=None, embedder=chosen.name)
                summary = await seed_restaurant(
                    storage,
                    profile,
                    chosen,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
        out.print(
            f"Seeded [bold]{profile.restaurant.name}[/]: {summary.tables} tables, "
            f"{summary.documents} documents ({summary.embedded} embedded with {chosen.name}, "
            f"{summary.removed} removed)."
        )

    _run(work())


@app.command()
def replay(
    files: Annotated[list[Path], typer.Argument(help="Transcript YAML files.", show_default=False)],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file.")] = False,
    brain: Annotated[
        str | None, typer.Option(help="rules | openai; overrides the transcripts' own.")
    ] = None,
    model: ModelOption = None,
    voice: Annotated[
        bool, typer.Option("--voice", help="Through the whole voice loop: speech in, speech out.")
    ] = False,
    fast: Annotated[
        bool, typer.Option("--fast", help="With --voice: stream audio faster than real time.")
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option(help="With --voice: write a stereo WAV per call here (caller left)."),
    ] = None,
    stt: Annotated[
        str | None, typer.Option(help="With --voice: auto | deepgram | whisper.")
    ] = None,
    tts: Annotated[
        str | None, typer.Option(help="With --voice: auto | deepgram | piper | espeak.")
    ] = None,
    whisper_model: Annotated[
        Path | None, typer.Option(help="With --voice: a CTranslate2 Whisper model directory.")
    ] = None,
) -> None:
    """Run transcripts as phone calls and check their expectations (text, or --voice).

    Exit status: 0 all passed, 1 an expectation failed, 2 a file could not be read or parsed.
    """
    settings = _with_model(Settings(), model)

    async def work() -> int:
        from resvoice.replay.report import print_result
        from resvoice.replay.runner import ReplayResult, replay_file
        from resvoice.runtime import Runtime

        if not voice and (fast or record or stt or tts or whisper_model):
            raise ConfigError("--fast, --record, --stt, --tts and --whisper-model need --voice")
        runtime = await Runtime.open(settings, db)
        status = 0
        passed = 0
        try:
            if voice:
                from resvoice.replay.voice import (
                    VoiceReplayOptions,
                    replay_voice_file,
                    voice_providers,
                )

                providers = voice_providers(settings, stt=stt, tts=tts, whisper_model=whisper_model)
                options = VoiceReplayOptions(fast=fast, record_dir=record)
            for path in files:
                result: ReplayResult
                if voice:
                    result = await replay_voice_file(runtime, path, providers, options, brain=brain)
                else:
                    result = await replay_file(runtime, path, brain=brain)
                if as_json:
                    sys.stdout.write(json.dumps(result.json_line()) + "\n")
                    sys.stdout.flush()
                else:
                    print_result(out, result)
                passed += result.passed
                status = max(status, 2 if result.unreadable else 0 if result.passed else 1)
        finally:
            await runtime.close()
        if not as_json:
            colour = "green" if passed == len(files) else "red"
            out.print(f"[{colour}]{passed} of {len(files)} transcripts passed[/]")
        return status

    raise typer.Exit(_run(work()))


@app.command()
def talk(
    db: DbOption = None,
    text: Annotated[
        bool, typer.Option("--text", help="Typed mode: type the caller's words, no audio.")
    ] = False,
    brain: Annotated[str | None, typer.Option(help="rules | openai")] = None,
    stt: Annotated[
        str | None,
        typer.Option(help="auto | deepgram | whisper | none; overrides RESVOICE_STT."),
    ] = None,
    tts: Annotated[
        str | None, typer.Option(help="auto | deepgram | piper | espeak; overrides RESVOICE_TTS.")
    ] = None,
    input_device: Annotated[
        str | None, typer.Option(help="Microphone: index or part of its name.")
    ] = None,
    output_device: Annotated[
        str | None, typer.Option(help="Speaker: index or part of its name.")
    ] = None,
    list_devices: Annotated[
        bool, typer.Option("--list-devices", help="List audio devices and exit.")
    ] = False,
) -> None:
    """Talk to the agent from this terminal: the microphone, or the keyboard with --text.

    Without a microphone, an audio device or a speech recogniser it starts in typed mode and
    says why. Every call is saved; `resvoice sessions list` shows them.
    """
    settings = Settings()
    if list_devices:
        from resvoice.tui.audio import list_devices as describe_devices

        try:
            out.print(describe_devices(), highlight=False)
        except ResvoiceError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
        return

    async def work() -> None:
        from resvoice.runtime import Runtime
        from resvoice.tui.launch import TalkOptions, run_talk

        runtime = await Runtime.open(settings, db)
        options = TalkOptions(
            text=text,
            brain=brain,
            stt=stt,
            tts=tts,
            input_device=input_device,
            output_device=output_device,
        )
        try:
            await run_talk(runtime, options)
        finally:
            await runtime.close()

    _run(work())


sessions = typer.Typer(help="Saved calls: list them, or show one in full.", no_args_is_help=True)
app.add_typer(sessions, name="sessions")


@sessions.command("list")
def sessions_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="How many calls, newest first.")] = 20,
) -> None:
    """List saved calls (talk, serve and replay), newest first."""
    settings = Settings()

    async def work() -> None:
        from resvoice.tui.sessions import print_session_list

        async with _storage(db, settings) as storage:
            await print_session_list(out, storage, limit)

    _run(work())


@sessions.command("show")
def sessions_show(
    conversation_id: Annotated[str, typer.Argument(metavar="ID", help="A call's id.")],
    db: DbOption = None,
) -> None:
    """Show one saved call: notepad, transcript and escalation."""
    settings = Settings()

    async def work() -> None:
        from resvoice.tui.sessions import print_session

        async with _storage(db, settings) as storage:
            await print_session(out, storage, conversation_id)

    _run(work())


@app.command()
def stats(
    db: DbOption = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only calls from this day on (YYYY-MM-DD, UTC).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    html_file: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a self-contained report page with charts."),
    ] = None,
) -> None:
    """How the agent is doing: captured data, escalations, completed calls and latency."""
    settings = Settings()

    async def work() -> None:
        from resvoice.insights.html import render_html
        from resvoice.insights.report import print_stats
        from resvoice.insights.stats import load_stats, parse_since

        start = parse_since(since) if since else None
        async with _storage(db, settings) as storage:
            figures = await load_stats(storage, start)
        if html_file is not None:
            page = render_html(figures)
            try:
                await asyncio.to_thread(html_file.write_text, page, encoding="utf-8")
            except OSError as exc:
                raise ResvoiceError(f"cannot write {html_file}: {exc.strerror or exc}") from None
        if as_json:
            sys.stdout.write(json.dumps(figures.as_json()) + "\n")
        else:
            print_stats(out, figures)
            if html_file is not None:
                out.print(f"report written to {html_file}")

    _run(work())


db_app = typer.Typer(
    help="Show, apply and move the database: migrations, export and import (either backend).",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command("status")
def db_status(db: DbOption = None) -> None:
    """Show which schema migrations are applied and which are pending (writes nothing)."""
    settings = Settings()

    async def work() -> int:
        from resvoice.storage.admin import migration_status

        status = await migration_status(db or settings.database_url)
        out.print(f"{status.backend} database {status.database}", highlight=False)
        for done in status.applied:
            out.print(
                f"  applied  {done.version:04d}_{done.name}  {done.applied_at:%Y-%m-%d %H:%M}"
            )
        for todo in status.pending:
            out.print(f"  pending  {todo.version:04d}_{todo.name}")
        if status.newer_than_code:
            err.print(
                f"[red]error:[/red] database schema v{status.current} is newer than this "
                f"resvoice (v{status.latest}); upgrade resvoice",
                highlight=False,
                soft_wrap=True,
            )
            return 2
        out.print(f"schema v{status.current} of v{status.latest}", highlight=False)
        return 0

    raise typer.Exit(_run(work()))


@db_app.command("migrate")
def db_migrate(db: DbOption = None) -> None:
    """Apply pending schema migrations (also done on every start); refuses a newer database."""
    settings = Settings()

    async def work() -> None:
        from resvoice.storage.admin import apply_migrations

        applied = await apply_migrations(db or settings.database_url)
        for migration in applied:
            out.print(f"applied {migration.version:04d}_{migration.name}")
        if not applied:
            out.print("up to date: nothing to apply")

    _run(work())


@db_app.command("export")
def db_export(
    file: Annotated[
        Path | None, typer.Argument(help="Where to write JSON lines; stdout when omitted.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the restaurant, knowledge, reservations, calls and escalations as JSON lines."""
    settings = Settings()

    async def work() -> None:
        from resvoice.storage.transfer import export_lines

        async with _storage(db, settings) as storage:
            lines = [line async for line in export_lines(storage)]
        text = "".join(f"{line}\n" for line in lines)
        if file is None:
            sys.stdout.write(text)
        else:
            await asyncio.to_thread(file.write_text, text, encoding="utf-8")
            err.print(f"exported {len(lines) - 1} records to {file}", highlight=False)

    _run(work())


@db_app.command("import")
def db_import(
    file: Annotated[Path, typer.Argument(help="A `resvoice db export` file (JSON lines).")],
    db: DbOption = None,
) -> None:
    """Load an export into an empty database of either backend (e.g. SQLite -> Postgres)."""
    settings = Settings()

    async def work() -> None:
        from resvoice.errors import FixtureError
        from resvoice.storage.transfer import import_lines, parse_lines

        try:
            text = await asyncio.to_thread(file.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FixtureError(str(file), f"cannot read it: {exc}") from None
        lines = parse_lines(text.splitlines(), str(file))
        async with _storage(db, settings) as storage:
            summary = await import_lines(storage, lines)
        out.print(
            f"imported {summary.documents} documents, {summary.reservations} reservations, "
            f"{summary.sessions} calls and {summary.escalations} escalations"
        )

    _run(work())


eval_app = typer.Typer(help="Measure the agent on data nobody here wrote.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("dialogues")
def eval_dialogues(
    file: Annotated[Path, typer.Argument(help="Dialogue turns, JSONL (see ../shared/eval).")],
    brain: Annotated[str, typer.Option(help="Whose extractor to measure.")] = "rules",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N turns.", show_default=False)
    ] = None,
    errors: Annotated[int, typer.Option(min=0, help="How many of the worst errors to show.")] = 10,
) -> None:
    """Party size, date and time precision/recall/accuracy and joint accuracy per turn."""

    async def work() -> None:
        from resvoice.insights.dialogues import evaluate, extractor_for, load_turns
        from resvoice.insights.eval_report import print_eval

        extractor = extractor_for(brain)
        turns = await asyncio.to_thread(load_turns, file, limit)
        report = await evaluate(turns, extractor)
        if as_json:
            sys.stdout.write(json.dumps(report.as_dict()) + "\n")
        else:
            print_eval(out, report, source=file.name, errors=errors)

    _run(work())


@app.command()
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
    stt: Annotated[
        str | None, typer.Option(help="auto | deepgram | whisper | none; overrides RESVOICE_STT.")
    ] = None,
    tts: Annotated[
        str | None, typer.Option(help="auto | deepgram | piper | espeak; overrides RESVOICE_TTS.")
    ] = None,
) -> None:
    """Answer Twilio phone calls: webhooks, media streams, the staff console and /metrics."""
    settings = Settings()
    try:
        from resvoice.server.compose import ServeOptions, builder, check_settings, close_context
        from resvoice.server.run import run
    except ImportError as exc:
        err.print(f"[red]error:[/red] serve needs its extra: pip install 'resvoice[serve]' ({exc})")
        raise typer.Exit(2) from None
    try:
        check_settings(settings, insecure_dev)
        if insecure_dev:
            err.print(
                "[bold red]INSECURE DEV MODE:[/] Twilio signatures are not checked. "
                "Never expose this server to the internet."
            )
        options = ServeOptions(database_url=db, insecure=insecure_dev, stt=stt, tts=tts)
        run(builder(settings, options), close_context, host, port)
    except ResvoiceError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


if __name__ == "__main__":
    main()
