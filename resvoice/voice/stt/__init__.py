"""Speech to text: the `STT` protocol and one module per provider."""
