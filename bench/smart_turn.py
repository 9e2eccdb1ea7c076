"""Benchmark: would Pipecat's Smart Turn v3.2 help the offline voice's end of turn? (issue 20)

Smart Turn is an audio-only end-of-turn classifier (BSD-2, 8.7 MB ONNX) that ships inside the
`pipecat-ai` wheel. It is not a dependency of resvoice; to measure it, fetch the wheel alone
(`pip download pipecat-ai --no-deps`), unzip it and pass the model: `python -m bench.smart_turn
--model .../pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx`.
The model is loaded on its own with onnxruntime; its input (the last 8 s of audio, normalised,
as 80 x 800 Whisper log-mel features) is computed here in numpy from the documented recipe.

It classifies, for the same synthetic callers as `bench.turn_taking`:
- the end of each finished caller line (should be "complete"; "incomplete" would cost a hold),
- every pause inside a phone number or a name, 300 ms into it (should be "incomplete"; the
  words-only rule of `resvoice.voice.stt.endpoint` is shown beside it),
and times one inference. Without `--model` (as in `bench/run`) it prints that it was skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from resvoice.audio import INTERNAL_RATE
from resvoice.percentile import percentile

WINDOW_S = 8
N_FFT, HOP = 400, 160
TRAILING_SILENCE_MS = 300


def log_mel(pcm: bytes) -> np.ndarray[Any, Any]:
    """Smart Turn's input for 16 kHz PCM16: the last 8 s (zeros before a shorter clip),
    normalised to zero mean and unit variance, as Whisper's log-mel spectrogram (80 x 800)."""
    from faster_whisper.feature_extractor import FeatureExtractor

    x = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    size = WINDOW_S * INTERNAL_RATE
    x = x[-size:] if x.size >= size else np.concatenate([np.zeros(size - x.size, np.float32), x])
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")  # centred frames
    starts = np.arange(0, padded.size - N_FFT + 1, HOP)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    spectrum = np.abs(np.fft.rfft(padded[starts[:, None] + np.arange(N_FFT)] * window)) ** 2
    filters = FeatureExtractor.get_mel_filters(INTERNAL_RATE, N_FFT, n_mels=80)  # Slaney
    mel = np.log10(np.maximum(filters @ spectrum.T, 1e-10))[:, :-1]
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)


class SmartTurn:
    """The ONNX model alone on one thread; `complete()` is P(the turn is over)."""

    def __init__(self, path: Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = options.intra_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(path), options)

    def complete(self, pcm: bytes) -> float:
        features = log_mel(pcm)[np.newaxis]
        return float(self._session.run(None, {"input_features": features})[0].reshape(-1)[0])


async def main(model: Path | None, rounds: int) -> None:
    if model is None or not await asyncio.to_thread(model.is_file):
        print("skipped: give --model smart-turn-v3.2-cpu.onnx (from `pip download pipecat-ai`)")
        return
    from bench.turn_taking import CUTOFFS, LINES, caller_voices, speak, uptime
    from resvoice.voice.stt.endpoint import sounds_unfinished

    turn = SmartTurn(model)
    voices = caller_voices()
    silence = bytes(int(INTERNAL_RATE * TRAILING_SILENCE_MS / 1000) * 2)
    ends: list[float] = []
    for voice in voices:
        for line in LINES:
            ends.append(turn.complete(await speak(voice, line) + silence))
    pauses: list[tuple[str, float, bool]] = []
    for voice in voices:
        for _expect, pieces, _pause in CUTOFFS:
            heard = b""
            for piece in pieces[:-1]:
                heard += await speak(voice, piece)
                said = " ".join(pieces[: pieces.index(piece) + 1])
                pauses.append((said, turn.complete(heard + silence), sounds_unfinished(said)))
                heard += silence
    timings = []
    sample = await speak(voices[0], LINES[0]) + silence
    for _ in range(rounds):
        started = time.perf_counter()
        turn.complete(sample)
        timings.append((time.perf_counter() - started) * 1000)
    incomplete_at_pauses = sum(p < 0.5 for _, p, _ in pauses)
    words_at_pauses = sum(w for _, _, w in pauses)
    either = sum(p < 0.5 or w for _, p, w in pauses)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"uptime: {await uptime()}")
    print()
    print("| measure | samples | p50 | p95 | note |")
    print("|---|---|---|---|---|")
    print(f"| Smart Turn inference, ms (8 s window, 1 thread) | {len(timings)} "
          f"| {percentile(timings, 50):.0f} | {percentile(timings, 95):.0f} | |")  # fmt: skip
    print(f"| finished lines judged complete | {len(ends)} | {sum(e >= 0.5 for e in ends)} "
          f"| | P(complete) min {min(ends):.2f} |")  # fmt: skip
    print(f"| pauses in numbers/names judged incomplete: Smart Turn | {len(pauses)} "
          f"| {incomplete_at_pauses} | | |")  # fmt: skip
    print(f"| ... by the words-only rule (endpoint.sounds_unfinished) | {len(pauses)} "
          f"| {words_at_pauses} | | |")  # fmt: skip
    print(f"| ... by either | {len(pauses)} | {either} | | |")
    for said, p, words in pauses:
        print(f"  {said!r}: P(complete) {p:.2f}, words unfinished {words}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=None, help="smart-turn-v3.2-cpu.onnx")
    parser.add_argument("--rounds", type=int, default=20, help="inferences timed")
    args = parser.parse_args()
    asyncio.run(main(args.model, args.rounds))
