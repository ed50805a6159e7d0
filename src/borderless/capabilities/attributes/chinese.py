"""Chinese product types: the last word of a title's main part, in jieba's words.

A Chinese title names its product last ("白色蕾丝蛋糕架": white lace cake stand), and may add
parts after a space that describe it ("镀银蜡烛碗 小号": silver-plated candle bowl, small; "金色骨
瓷马克杯 生命之树": gold bone-china mug, tree of life). So the main part is the one with the most
Chinese characters (the first on a tie), the known facts in it (colours, pack sizes "6件套",
sizes "中号") are set aside, and its last word is the type, with the word before it when the type
is one character ("蛋糕" + "架" = cake stand, "爱心" + "杯" = heart cup): a one-character head
says little alone. A Latin name inside the title ("复古广告牌Drink Me马克杯") does not split it.

Before, the type was the longest ending of the title's remainder that recurred in the catalog,
else its last two characters: "克杯" for 马克杯 (mug), "糕架" for 蛋糕架. On the 50 demo-shop titles
translated into Chinese by hand (benchmarks/RESULTS.md, "Product attributes: hand-labelled
titles") the type was 48% right that way; this rule was written after reading those misses, so
that set does not measure it blind. jieba is the `attributes` extra; without it the old way runs.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any

__all__ = ["chinese_type"]

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SIZES = re.compile(r"^(?:[大中小]号|特大|加大|迷你|\d+[号个件套包只片支]*|件套|号)$")
_LATIN = re.compile(r"[A-Za-z][A-Za-z'’ ]*[A-Za-z]")


@cache
def _jieba() -> Any:
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(logging.WARNING)
    return jieba


def chinese_type(title: str, covered: list[tuple[int, int]]) -> tuple[str, int] | None:
    """(type, where it starts in `title`), or None without jieba or a Chinese word to name."""
    jieba = _jieba()
    if jieba is None:
        return None
    # a Latin name inside the title ("复古广告牌Drink Me马克杯") is one piece of it, spaces and all
    shape = _LATIN.sub(lambda m: "x" * len(m.group(0)), title)
    parts = [(title[m.start() : m.end()], m.start()) for m in re.finditer(r"\S+", shape)]
    parts = [p for p in parts if _HAN.search(p[0])]
    if not parts:
        return None
    part, offset = max(parts, key=lambda p: len(_HAN.findall(p[0])))
    words = [(w, s + offset, e + offset) for w, s, e in jieba.tokenize(part)]
    # the Chinese words that are not a known fact or a size
    kept = [
        (w, s, e)
        for w, s, e in words
        if _HAN.search(w)
        and not _SIZES.match(w)
        and not any(cs <= s and e <= ce for cs, ce in covered)
    ]
    if not kept:
        return None
    head = len(kept) - 1
    first = head
    while (
        first > 0
        and kept[head][2] - kept[first][1] == 1
        and kept[first - 1][2] == kept[first][1]  # adjacent: one compound
    ):
        first -= 1
    start, end = kept[first][1], kept[head][2]
    return title[start:end], start
