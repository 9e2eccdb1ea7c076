"""Text normalisation for TTS (pass-through until branch voice-offline's lands)."""

from __future__ import annotations


def speakable(text: str) -> str:
    return text
