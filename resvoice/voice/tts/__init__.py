"""Text to speech: the `TTS` protocol and one module per provider."""
