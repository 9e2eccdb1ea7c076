"""resvoice: a voice agent that answers a restaurant's phone."""

__version__ = "0.1.0"
