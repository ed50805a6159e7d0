"""Queries translated into the catalog's language, each one once: remembered in a SQLite file
(a cache around any translate function, kept beside the embedding cache; search code only
calls it).

Hybrid search asks for a translation when a query is not in the catalog's language and no
stored translated title matches it by a word. Any engine works: the translator is a function
`(texts, source, target) -> translations` (the shop passes its translation desk, so the
configured router, the translation memory and the glossary apply). A failing engine (missing
model, unsupported pair) means "no translation": the query is then searched by meaning only.

`allow(source, target)` says which pairs are worth translating at search time. The shop allows
every engine but the local LLM (`quick_routes`): on this 2-core machine Qwen2.5-Coder-1.5B took
13 to 52 s per query and got none of 8 German demo-shop queries right ("Duftkerze" -> "Dust
mask", "Wecker" -> "Switcher"); Bergamot (pt) and a remote server are fast enough to translate
while the shopper waits.

`engine(source, target)` names what answers a pair (the router's route, "bergamot" or
"openai:..."): a translation is remembered with it and used only while the same engine answers,
so a seller who moves a pair to a remote server gets its readings, not the old engine's. A
cache file written before engines were recorded is emptied when opened.

`fallback` reads a query whose pair has no allowed engine (or whose engine failed) another
way: the shop passes word-by-word glosses from the installed FreeDict dictionaries
(backends/local/dictionaries.py), so "Duftkerze" is searched as "scented candle" too.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from borderless.errors import BorderlessError

__all__ = ["Gloss", "QueryTranslator", "TranslateTexts", "quick_routes"]

TranslateTexts = Callable[[Sequence[str], str, str], Sequence[str]]
Gloss = Callable[[str, str, str], "str | None"]  # (query, source, target) -> a word-by-word reading
SLOW_ENGINES = ("llm",)  # router specs too slow (and too weak on short queries) at search time


def quick_routes(route: Callable[[str, str], str]) -> Callable[[str, str], bool]:
    """allow() for QueryTranslator: pairs whose route (`TranslationDesk.engine_for`) has no
    slow engine; a pair with no route at all is not allowed."""

    def allow(source: str, target: str) -> bool:
        try:
            hops = route(source, target).split(" then ")
        except BorderlessError:
            return False
        return not any(h.split(":")[0] in SLOW_ENGINES for h in hops)

    return allow


class QueryTranslator:
    """`translator(query, source, target)` -> the query in `target`, or None when none is had.

    `engine_calls` and `engine_seconds` count what the engine cost (cache hits cost nothing);
    `path=None` keeps the translations in memory only.
    """

    def __init__(
        self,
        translate: TranslateTexts,
        path: Path | None = None,
        allow: Callable[[str, str], bool] | None = None,
        fallback: Gloss | None = None,
        engine: Callable[[str, str], str] | None = None,
    ) -> None:
        self.translate = translate
        self.allow = allow
        self.fallback = fallback
        self.engine = engine
        self.fallback_calls = 0
        self.fallback_seconds = 0.0
        self.engine_calls = 0
        self.engine_seconds = 0.0
        self._memory: dict[tuple[str, str, str, str], str] = {}
        self._failing: set[tuple[str, str]] = set()  # pairs whose engine failed in this process
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(query_translations)")}
            with self._db:
                if columns and "engine" not in columns:  # written before engines were recorded
                    self._db.execute("DROP TABLE query_translations")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS query_translations (engine TEXT, source TEXT, "
                    "target TEXT, query TEXT, translation TEXT, ms REAL, "
                    "PRIMARY KEY (engine, source, target, query))"
                )

    def __call__(self, query: str, source: str, target: str) -> str | None:
        text = " ".join(query.split())
        if not text or source == target:
            return None
        if (source, target) in self._failing or (
            self.allow is not None and not self.allow(source, target)
        ):
            return self._gloss(text, source, target)
        key = (self._engine_name(source, target), source, target, text)
        found = self._remembered(key)
        if found is not None:
            return found or None
        start = time.perf_counter()
        try:
            out = list(self.translate([text], source, target))
        except BorderlessError:
            self._failing.add((source, target))
            return self._gloss(text, source, target)
        finally:
            seconds = time.perf_counter() - start
            self.engine_calls += 1
            self.engine_seconds += seconds
        translation = " ".join(out[0].split()) if out else ""
        if translation.casefold() == text.casefold():
            translation = ""  # the engine left it as it was: nothing new to search with
        self._remember(key, translation, seconds * 1000)
        return translation or None

    def _engine_name(self, source: str, target: str) -> str:
        if self.engine is None:
            return ""
        try:
            return self.engine(source, target)
        except BorderlessError:
            return ""

    def _gloss(self, text: str, source: str, target: str) -> str | None:
        """The fallback's reading (not cached: a dictionary answers in well under a ms)."""
        if self.fallback is None:
            return None
        start = time.perf_counter()
        try:
            found = self.fallback(text, source, target)
        except BorderlessError:
            return None
        finally:
            self.fallback_calls += 1
            self.fallback_seconds += time.perf_counter() - start
        found = " ".join((found or "").split())
        return found if found and found.casefold() != text.casefold() else None

    def stored_cost(self) -> tuple[int, float]:
        """(translations made, mean engine ms each) over everything the cache file holds."""
        if self._db is None:
            n, seconds = self.engine_calls, self.engine_seconds
            return n, (seconds * 1000 / n if n else 0.0)
        with self._lock:
            n, ms = self._db.execute("SELECT COUNT(*), AVG(ms) FROM query_translations").fetchone()
        return int(n), float(ms or 0.0)

    def _remembered(self, key: tuple[str, str, str, str]) -> str | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if self._db is None:
                return None
            row = self._db.execute(
                "SELECT translation FROM query_translations "
                "WHERE engine = ? AND source = ? AND target = ? AND query = ?",
                key,
            ).fetchone()
            if row is not None:
                self._memory[key] = str(row[0])
                return str(row[0])
            return None

    def _remember(self, key: tuple[str, str, str, str], translation: str, ms: float) -> None:
        with self._lock:
            self._memory[key] = translation
            if self._db is not None:
                with self._db:
                    self._db.execute(
                        "INSERT OR REPLACE INTO query_translations VALUES (?, ?, ?, ?, ?, ?)",
                        (*key, translation, ms),
                    )
