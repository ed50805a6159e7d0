"""Traditional and Simplified Chinese: which one a text is written in, and one into the other.

A customer in Taiwan or Hong Kong writes Traditional characters ("我的訂單在哪裡？"); the
shop's Chinese texts (FAQ, replies, status names) are written in Simplified, and were sent so
(a walk). The support assistant reads such a message in Simplified (its examples and words of
anger are written so: "騙子" is "骗子") and answers in Traditional as Taiwan writes it
(OpenCC's s2twp: Taiwan's standard forms, 為 and 這裡, and its words, 登入 for 登录 "sign in",
連結 for 链接 "link"); character by character (s2tw) the FAQ read "請登錄", "鏈接", which a
reader in Taiwan takes for mainland text. Hong Kong's own words (s2hk) are not used.

OpenCC's dictionaries through `opencc-python-reimplemented` (pure Python, Apache-2.0, part of
the support extra); without it, texts are left as they are.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from typing import Any

__all__ = [
    "is_simplified",
    "is_traditional",
    "japanese_kanji",
    "shared_han",
    "to_simplified",
    "to_traditional",
]

# Kanji in Japanese's own forms (shinjitai), which neither Simplified nor Traditional Chinese
# writes (覧: 览, 覽; 発: 发, 發), and words of shop talk that Japanese writes in kanji alone and
# Chinese says otherwise (注文: 订单, 返品: 退货, 送料: 运费, 在庫: 库存). None of them stands in
# FLORES-200's 1,012 Chinese sentences, either script; 12 of 62,774 Chinese shopping reviews
# (chinese_reviews) hold one (恵, 黒...), each among many characters only Simplified writes.
_JAPANESE_KANJI = frozenset(
    "覧発払変込売読図広対応済単営歳県円続様検険験択訳価児伝両仏戻帰楽薬辺駅鉄釈悪圧囲栄塩"
    "桜拡覚気経軽権沢従焼効恵継剤雑賛歯実処証専戦総増帯団弾遅転脳満頼緑労録毎歩黒鶏"
)
_JAPANESE_WORDS = re.compile("注文|返品|送料|在庫|領収書|配達")


@cache
def _converter(config: str) -> Any | None:
    if importlib.util.find_spec("opencc") is None:
        return None
    from opencc import OpenCC

    return OpenCC(config)


def _changed(text: str, config: str) -> int:
    converter = _converter(config)
    if converter is None:
        return 0
    return sum(a != b for a, b in zip(text, converter.convert(text), strict=False))


def is_traditional(text: str) -> bool:
    """Whether `text` holds more characters only Traditional writes than only Simplified
    writes ("謝謝" yes, "谢谢" no, "你好" and Japanese kana-less text alike: no)."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return False
    if any("\u3040" <= ch <= "\u30ff" for ch in text) or japanese_kanji(text):
        return False  # kana: Japanese, whose 願 and 様 are no Traditional Chinese (a test)
    return _changed(text, "t2s") > _changed(text, "s2t")


def japanese_kanji(text: str) -> bool:
    """Whether Han text without kana is Japanese by its characters: it holds a kanji in a form
    only Japanese writes, or a word of shop talk only Japanese writes so, at least as often as
    characters only Simplified Chinese writes ("注文一覧", "返品方法": read as Chinese before,
    a walk; "会員登録" has 会, which Simplified shares, and 録, which it does not)."""
    japanese = sum(ch in _JAPANESE_KANJI for ch in text) + len(_JAPANESE_WORDS.findall(text))
    return japanese > 0 and japanese >= _changed(text, "s2t")


def is_simplified(text: str) -> bool:
    """Whether `text` holds more characters only Simplified writes than only Traditional
    writes ("谢谢" yes; "謝謝", "好" and "是的" no)."""
    return _changed(text, "s2t") > _changed(text, "t2s")


def shared_han(text: str) -> bool:
    """Whether every Han character of `text` is written alike in Simplified and Traditional
    Chinese (and so, mostly, in Japanese): "出荷日" yes, "请问订单" no. False without OpenCC."""
    return _converter("s2t") is not None and _changed(text, "s2t") == _changed(text, "t2s") == 0


def to_simplified(text: str) -> str:
    converter = _converter("t2s")
    return text if converter is None else str(converter.convert(text))


# Taiwan's words that the package's s2twp phrase table lacks: it wrote 賬戶 (account) and 質量
# (mass, to a reader in Taiwan) where Taiwan writes 帳戶 and, for goods, 品質
_TAIWAN = {"賬戶": "帳戶", "賬號": "帳號", "質量": "品質"}
_TAIWAN_WORDS = re.compile("|".join(_TAIWAN))


def to_traditional(text: str) -> str:
    """`text` in Traditional characters as Taiwan writes them."""
    converter = _converter("s2twp")
    if converter is None:
        return text
    return _TAIWAN_WORDS.sub(lambda m: _TAIWAN[m.group(0)], str(converter.convert(text)))
