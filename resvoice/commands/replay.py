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
    settings = load_settings(model)

    async def work() -> int:
        from resvoice.replay.report import print_result
        from resvoice.replay.runner import ReplayResult, crashed_result, replay_file
        from resvoice.runtime import Runtime

        paths = list(files or [])
        if demo:
            from resvoice.demo import transcript_files

            paths += transcript_files()
        if not paths:
            raise ConfigError("give transcript files to replay, or --demo for the shipped ones")
        if not voice and (fast or record or stt or tts or whisper_model):
            raise ConfigError("--fast, --record, --stt, --tts and --whisper-model need --voice")
        status = 0
        passed = 0
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
                options = VoiceReplayOptions(fast=fast, record_dir=record)
            for path in paths:
                result: ReplayResult
                try:
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
                status = max(status, 2 if result.unreadable else 0 if result.passed else 1)
        if not as_json:
            colour = "green" if passed == len(paths) else "red"
            out.print(f"[{colour}]{passed} of {len(paths)} transcripts passed[/]")
        return status

    raise typer.Exit(run(work()))
