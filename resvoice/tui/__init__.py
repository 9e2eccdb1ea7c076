"""`resvoice talk`: the terminal simulator, a Textual app around one call at a time.

Importing this package is cheap; Textual, sounddevice and the voice pipeline load only when
the app starts (`resvoice.tui.app`, `resvoice.tui.audio`).
"""
