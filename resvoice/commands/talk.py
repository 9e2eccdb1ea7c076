"""`resvoice talk`: the terminal simulator, by microphone or keyboard, or the audio devices."""

from __future__ import annotations

from typing import Annotated

import typer

from resvoice.commands.shared import (
    DbOption,
    SttOption,
    TtsOption,
    errors_exit_2,
    load_settings,
    out,
    run,
)


def talk(
    db: DbOption = None,
    text: Annotated[
        bool, typer.Option("--text", help="Typed mode: type the caller's words, no audio.")
    ] = False,
    brain: Annotated[str | None, typer.Option(help="rules | openai")] = None,
    stt: SttOption = None,
    tts: TtsOption = None,
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
    settings = load_settings()
    if list_devices:
        from resvoice.tui.audio import list_devices as describe_devices

        with errors_exit_2():
            out.print(describe_devices(), highlight=False)
        return

    async def work() -> None:
        from resvoice.runtime import Runtime
        from resvoice.tui.launch import TalkOptions, run_talk

        options = TalkOptions(
            text=text,
            brain=brain,
            stt=stt,
            tts=tts,
            input_device=input_device,
            output_device=output_device,
        )
        async with await Runtime.open(settings, db) as runtime:
            await run_talk(runtime, options)

    run(work())
