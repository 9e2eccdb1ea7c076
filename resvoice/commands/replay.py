"""`resvoice replay`: run transcripts as calls, as text or through the voice loop, and check
their expectations; the exit code says whether all passed."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from resvoice.commands.shared import DbOption, ModelOption, load_settings, out, run
from resvoice.errors import ConfigError


def replay(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Transcript YAML files.", show_default=False)
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Run the transcripts shipped with resvoice too.")
    ] = False,
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
    noise: Annotated[
        str | None,
        typer.Option(help="With --voice: a noisy line, street | babble | hum (synthesised)."),
    ] = None,
    noise_db: Annotated[
        float,
        typer.Option(help="With --noise: the noise this many dB below the caller's speech."),
    ] = 10.0,
    stt: Annotated[
        str | None, typer.Option(help="With --voice: auto | deepgram | whisper | whisper-base.")
    ] = None,
    tts: Annotated[
        str | None, typer.Option(help="With --voice: auto | deepgram | piper | espeak.")
    ] = None,
    whisper_model: Annotated[
        Path | None, typer.Option(help="With --voice: a CTranslate2 Whisper model directory.")
    ] = None,
    callers: Annotated[
        str | None, typer.Option(help="With --voice: caller voices: espeak | piper | mixed.")
    ] = None,
    phone_line: Annotated[
        bool,
        typer.Option("--phone-line", help="With --voice: callers through 8 kHz mu-law."),
    ] = False,
    no_corrections: Annotated[
        bool,
        typer.Option("--no-corrections", help="With --voice: callers agree to a wrong read-back."),
    ] = False,
    each_alone: Annotated[
        bool,
        typer.Option(
            "--each-alone",
            help="Run each file on the book as it stood before the run: what a file booked is "
            "taken off when it ends (by default files share the book, as real calls do).",
        ),
    ] = False,
) -> None:
    """Run transcripts as phone calls and check their expectations (text, or --voice).

    Exit status: 0 all passed, 1 an expectation failed, 2 a file could not be read or parsed.
    """
    settings = load_settings(model)

    async def work() -> int:
        from contextlib import AbstractAsyncContextManager, nullcontext

        from resvoice.replay.own_book import own_book
        from resvoice.replay.report import print_result, voice_summary
        from resvoice.replay.runner import (
            ReplayResult,
            VoiceStats,
            crashed_result,
            replay_file,
        )
        from resvoice.runtime import Runtime

        paths = list(files or [])
        if demo:
            from resvoice.demo import transcript_files

            paths += transcript_files()
        if not paths:
            raise ConfigError("give transcript files to replay, or --demo for the shipped ones")
        if not voice and (
            fast
            or record
            or stt
            or tts
            or whisper_model
            or callers
            or phone_line
            or no_corrections
            or noise
        ):
            raise ConfigError(
                "--fast, --record, --noise, --stt, --tts, --whisper-model, --callers, "
                "--phone-line and --no-corrections need --voice"
            )
        if callers not in (None, "espeak", "piper", "mixed"):
            raise ConfigError(f"--callers must be espeak, piper or mixed, not {callers!r}")
        from resvoice.replay.noise import NOISE_KINDS

        if noise is not None and noise not in NOISE_KINDS:
            raise ConfigError(f"--noise {noise!r}: use one of {', '.join(NOISE_KINDS)}")
        status = 0
        passed = 0
        corrected = 0
        voiced: list[VoiceStats] = []
        async with await Runtime.open(settings, db) as runtime:
            if voice:
                from resvoice.replay.voice import (
                    VoiceReplayOptions,
                    replay_voice_file,
                    voice_providers,
                )

                providers = await voice_providers(
                    runtime, stt=stt, tts=tts, whisper_model=whisper_model
                )
                options = VoiceReplayOptions(
                    fast=fast,
                    record_dir=record,
                    callers=callers or "mixed",  # type: ignore[arg-type]  # checked above
                    phone_line=phone_line,
                    correct=not no_corrections,
                    noise=noise,  # type: ignore[arg-type]  # checked against NOISE_KINDS
                    noise_db=noise_db,
                )
            for path in paths:
                result: ReplayResult
                try:
                    book: AbstractAsyncContextManager[None] = (
                        own_book(runtime.storage) if each_alone else nullcontext()
                    )
                    async with book:
                        if voice:
                            result = await replay_voice_file(
                                runtime, path, providers, options, brain=brain
                            )
                        else:
                            result = await replay_file(runtime, path, brain=brain)
                except Exception as exc:  # one file's failure never stops the others
                    result = crashed_result(path, exc)
                if as_json:
                    sys.stdout.write(json.dumps(result.json_line()) + "\n")
                    sys.stdout.flush()
                else:
                    print_result(out, result)
                passed += result.passed
                corrected += bool(result.voice and result.voice.corrections)
                if result.voice is not None:
                    voiced.append(result.voice)
                status = max(status, 2 if result.unreadable else 0 if result.passed else 1)
        if not as_json:
            colour = "green" if passed == len(paths) else "red"
            out.print(f"[{colour}]{passed} of {len(paths)} transcripts passed[/]")
            if voice and not no_corrections:
                out.print(f"{corrected} of {len(paths)} calls needed a correction")
            if voiced:
                out.print(voice_summary(voiced))
        return status

    raise typer.Exit(run(work()))
