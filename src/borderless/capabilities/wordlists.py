"""Which languages' dictionaries know a word: evidence for the language of a short text.

A lone shopping query gives a character model little to go by: Lingua called "umbrella" and
"hello" Italian, "teapot" Polish and "paraguas" Portuguese (89.7% right on the demo shop's 756
queries). Whether a language's dictionary has the word settles most of these. The word lists
are the stems of the Hunspell dictionaries the verdict's spelling check already uses (Debian's
hunspell-* packages, verdict/spelling.py), read from their .dic files without the affix rules:
"umbrella" and "Regenschirm" are there, most plurals are not. Only the languages that share
the Latin script are read: the others are told apart by their script.

Kept as 64-bit hashes of the lowercased stems (about 1.5 million, 15 MB), built on first use
in about 4 s; Python's own string hash, so nothing is written to disk and nothing is shared
between processes. Without the dictionaries installed, no word is known and detection is
Lingua's alone (benchmarks/bench_languages.py measures both).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderless.capabilities.verdict.spelling import Speller

__all__ = ["SHARED_SCRIPT", "WordLists", "word_lists"]

# The market languages written in the Latin script: the ones a short text can be confused among.
SHARED_SCRIPT = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr")
log = logging.getLogger("borderless.language")
_WORD = re.compile(r"[^\W\d_]+")
_ENCODING = re.compile(rb"^SET\s+(\S+)", re.MULTILINE)


class WordLists:
    """Sorted stem hashes, each with a bit per language whose dictionary lists the stem."""

    def __init__(self, files: dict[str, Sequence[Path]]) -> None:
        self.languages = tuple(code for code in SHARED_SCRIPT if files.get(code))
        hashes: list[npt.NDArray[np.int64]] = []
        bits: list[npt.NDArray[np.uint16]] = []
        for bit, code in enumerate(self.languages):
            mine = np.unique(np.fromiter(_stem_hashes(files[code]), dtype=np.int64))
            hashes.append(mine)
            bits.append(np.full(len(mine), 1 << bit, dtype=np.uint16))
        every = np.concatenate(hashes) if hashes else np.zeros(0, np.int64)
        masks = np.concatenate(bits) if bits else np.zeros(0, np.uint16)
        order = np.argsort(every, kind="stable")
        every, masks = every[order], masks[order]
        self.hashes, starts = np.unique(every, return_index=True)
        self.masks = np.bitwise_or.reduceat(masks, starts) if len(starts) else masks

    def known(self, text: str) -> dict[str, float]:
        """Per language with a word list: the share of the text's words its dictionary lists."""
        words = [w.lower() for w in _WORD.findall(text)]
        if not words or not self.languages:
            return {}
        wanted = np.array([hash(w) for w in words], dtype=np.int64)
        at = np.searchsorted(self.hashes, wanted).clip(0, max(len(self.hashes) - 1, 0))
        found = self.masks[at] * (self.hashes[at] == wanted) if len(self.hashes) else wanted * 0
        return {
            code: float(np.mean((found & (1 << bit)) > 0))
            for bit, code in enumerate(self.languages)
        }


def _stem_hashes(files: Sequence[Path]) -> list[int]:
    out = []
    for dic in files:
        try:
            declared = _ENCODING.search(dic.with_suffix(".aff").read_bytes()[:4096])
            encoding = declared.group(1).decode("ascii") if declared else "utf-8"
            lines = dic.read_text(encoding=encoding, errors="replace").splitlines()
        except (OSError, LookupError) as error:  # unreadable, or an encoding Python lacks
            log.warning("word list %s not read: %s", dic, error)
            continue
        for line in lines[1:]:  # the first line is the entry count
            stem = line.split("/", 1)[0].split("\t", 1)[0].strip().lower()
            if stem:
                out.append(hash(stem))
    return out


_LISTS: WordLists | None = None
_LOCK = threading.Lock()


def word_lists() -> WordLists:
    """The installed dictionaries' word lists, built once per process."""
    global _LISTS
    with _LOCK:
        if _LISTS is None:
            speller = Speller()
            _LISTS = WordLists(
                {code: [p.with_suffix(".dic") for p in speller.dictionaries(code)]
                 for code in SHARED_SCRIPT}
            )  # fmt: skip
        return _LISTS
