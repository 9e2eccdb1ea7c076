"""The voice layer: speech in, speech out, around one core `AgentSession`.

`stt/` and `tts/` hold one module per provider behind the `STT` and `TTS` protocols; the voice
session (epochs, barge-in, sentence streaming) composes them. Audio inside is PCM16 mono
little-endian; `resvoice.audio` converts at the edges.
"""
