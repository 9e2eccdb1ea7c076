"""The `resvoice` commands, one module per command or command group; `resvoice.cli` composes
them into the app. Each command composes the core; none re-implements it."""
