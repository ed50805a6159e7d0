"""Machine translations kept for reading: each text put into English once per engine while the
service runs, not again on every view.

Staff read a customer's conversation in English ("Read in English" on the conversation page).
The local LLM takes 3 to 10 s a message here, and the page translated every message again on
each reload. Readings are kept per (engine, source language, target language, text), the
oldest dropped past `size`; a reading is never sent to anyone, so keeping it in memory (lost
on a restart) is enough. A different engine for the pair reads again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Generic, TypeVar

__all__ = ["Readings"]

T = TypeVar("T")
Key = tuple[str, str, str, str]  # engine, source, target, text


class Readings(Generic[T]):
    """A bounded, thread-safe store of readings (least recently used dropped first)."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self._kept: OrderedDict[Key, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._kept)

    def known(self, engine: str, source: str, target: str, texts: Sequence[str]) -> dict[str, T]:
        """The readings kept for `texts`, by text."""
        found: dict[str, T] = {}
        with self._lock:
            for text in texts:
                key = (engine, source, target, text)
                if key in self._kept:
                    self._kept.move_to_end(key)
                    found[text] = self._kept[key]
        return found

    def keep(self, engine: str, source: str, target: str, read: dict[str, T]) -> None:
        with self._lock:
            for text, reading in read.items():
                key = (engine, source, target, text)
                self._kept[key] = reading
                self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
