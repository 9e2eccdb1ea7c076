"""Senders of text messages behind the core's `Messenger` protocol (`agent/messenger.py`)."""
