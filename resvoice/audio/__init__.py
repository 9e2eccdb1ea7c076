"""Audio utilities: codecs, resampling, framing, WAV files, levels. PCM16 mono inside."""

INTERNAL_RATE = 16_000
"""Every stage between the transport and the providers speaks PCM16 mono at this rate."""
