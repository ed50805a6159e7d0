"""Which languages' dictionaries know a word: evidence for the language of a short text.

A lone shopping query gives a character model little to go by: Lingua called "umbrella" and
"hello" Italian, "teapot" Polish and "paraguas" Portuguese (89.7% right on the demo shop's 756
queries). Whether a language's dictionary has the word settles most of these. The word lists
are the stems of the Hunspell dictionaries the verdict's spelling check already uses (Debian's
hunspell-* packages, verdict/spelling.py), read from their .dic files without the affix rules:
"umbrella" and "Regenschirm" are there, most plurals are not. Only the languages that share
the Latin script are read: the others are told apart by their script.

Kept as sorted 64-bit hashes (BLAKE2b) of the lowercased stems, about 1.5 million, 15 MB in
memory. Reading the dictionaries takes about 7 s, so the result is saved once per machine in
the user's cache folder (BORDERLESS_CACHE_DIR, else $XDG_CACHE_HOME/borderless, else
~/.cache/borderless), named by the dictionary files' sizes and times: an updated dictionary
is read again. Every later process (each CLI call, each service worker) loads the file in
milliseconds. Where the folder cannot be written the lists are built in memory. Without the
dictionaries installed no word is known and detection is Lingua's alone
(benchmarks/bench_languages.py measures both).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderless.capabilities.verdict.spelling import Speller

__all__ = ["SHARED_SCRIPT", "WordLists", "cache_dir", "word_lists"]

# The market languages written in the Latin script: the ones a short text can be confused among.
SHARED_SCRIPT = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr")
FORMAT = 1  # of the saved file: a change to the hashing or the reading makes it stale
log = logging.getLogger("borderless.language")
_WORD = re.compile(r"[^\W\d_]+")
_ENCODING = re.compile(rb"^SET\s+(\S+)", re.MULTILINE)

Hashes = npt.NDArray[np.int64]
Masks = npt.NDArray[np.uint16]


def _hash(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class WordLists:
    """Sorted stem hashes, each with a bit per language whose dictionary lists the stem."""

    def __init__(self, languages: Sequence[str], hashes: Hashes, masks: Masks) -> None:
        self.languages = tuple(languages)
        self.hashes = hashes
        self.masks = masks

    @classmethod
    def build(cls, files: Mapping[str, Sequence[Path]]) -> WordLists:
        """From the .dic files of each language (several files of one language are merged)."""
        languages = tuple(code for code in SHARED_SCRIPT if files.get(code))
        hashes: list[Hashes] = []
        bits: list[Masks] = []
        for bit, code in enumerate(languages):
            mine = np.unique(np.fromiter(_stem_hashes(files[code]), dtype=np.int64))
            hashes.append(mine)
            bits.append(np.full(len(mine), 1 << bit, dtype=np.uint16))
        every = np.concatenate(hashes) if hashes else np.zeros(0, np.int64)
        masks = np.concatenate(bits) if bits else np.zeros(0, np.uint16)
        order = np.argsort(every, kind="stable")
        every, masks = every[order], masks[order]
        unique, starts = np.unique(every, return_index=True)
        merged = np.bitwise_or.reduceat(masks, starts) if len(starts) else masks
        return cls(languages, unique, merged.astype(np.uint16))

    def save(self, path: Path) -> None:
        """Written beside, then moved in whole: another process never reads half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial.npz")
        np.savez(partial, languages=np.array(self.languages), hashes=self.hashes,
                 masks=self.masks)  # fmt: skip
        os.replace(partial, path)

    @classmethod
    def load(cls, path: Path) -> WordLists:
        with np.load(path) as saved:
            languages = [str(code) for code in saved["languages"]]
            return cls(languages, saved["hashes"], saved["masks"])

    def known(self, text: str) -> dict[str, float]:
        """Per language with a word list: the share of the text's words its dictionary lists."""
        words = [w.lower() for w in _WORD.findall(text)]
        if not words or not self.languages:
            return {}
        if not len(self.hashes):
            return {code: 0.0 for code in self.languages}
        wanted = np.array([_hash(w) for w in words], dtype=np.int64)
        at = np.searchsorted(self.hashes, wanted).clip(0, len(self.hashes) - 1)
        found = np.where(self.hashes[at] == wanted, self.masks[at], 0)
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
                out.append(_hash(stem))
    return out


def cache_dir() -> Path:
    """Where the built word lists are kept for the next process."""
    given = os.environ.get("BORDERLESS_CACHE_DIR", "").strip()
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "borderless"


def cached(files: Mapping[str, Sequence[Path]], folder: Path) -> WordLists:
    """The word lists of `files`: loaded from `folder` when saved there for these very files,
    else built (and saved there when the folder can be written)."""
    stamp = hashlib.sha256(f"format {FORMAT}".encode())
    for code in sorted(files):
        for path in files[code]:
            try:
                seen = path.stat()
                stamp.update(f"{code}\t{path}\t{seen.st_size}\t{seen.st_mtime_ns}\n".encode())
            except OSError:
                stamp.update(f"{code}\t{path}\tmissing\n".encode())
    path = folder / f"wordlists-{stamp.hexdigest()[:16]}.npz"
    try:
        return WordLists.load(path)
    except (OSError, ValueError, KeyError):
        pass  # not built yet, or a file we cannot read: build it
    lists = WordLists.build(files)
    try:
        lists.save(path)
    except OSError as error:
        log.info("word lists kept in memory only (%s): %s", path, error)
    return lists


_LISTS: WordLists | None = None
_LOCK = threading.Lock()


def word_lists() -> WordLists:
    """The installed dictionaries' word lists, once per process (and built once per machine)."""
    global _LISTS
    with _LOCK:
        if _LISTS is None:
            speller = Speller()
            files = {code: [p.with_suffix(".dic") for p in speller.dictionaries(code)]
                     for code in SHARED_SCRIPT}  # fmt: skip
            _LISTS = cached(files, cache_dir())
        return _LISTS
