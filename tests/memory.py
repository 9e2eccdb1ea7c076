"""Helpers for memory-across-calls tests: what survives once calls have ended."""

from __future__ import annotations

import gc
import weakref
from collections import Counter
from typing import Any


class Tracked:
    """Weak references to per-call objects, by kind."""

    def __init__(self) -> None:
        self.refs: list[tuple[str, weakref.ref[Any]]] = []

    def add(self, kind: str, obj: object) -> None:
        self.refs.append((kind, weakref.ref(obj)))

    def alive(self) -> list[str]:
        """The kinds of tracked objects still alive (collect garbage first)."""
        return [kind for kind, ref in self.refs if ref() is not None]

    def kinds(self) -> Counter[str]:
        """How many objects of each kind were tracked."""
        return Counter(kind for kind, _ in self.refs)


def resvoice_objects() -> Counter[str]:
    """How many objects of each `resvoice` class the garbage collector tracks."""
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        cls = type(obj)
        module = getattr(cls, "__module__", None)
        if isinstance(module, str) and module.startswith("resvoice"):
            counts[f"{module}.{cls.__qualname__}"] += 1
    return counts
