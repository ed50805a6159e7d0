"""Spelling against Hunspell dictionaries, through the `hunspell` program.

Debian ships a maintained dictionary for 12 of our 14 languages (hunspell-de-de, -fr, -es, -it,
-pt-pt, -pt-br, -nl, -pl, -ru, -tr, -ar, -ko, -en-us, -en-gb); Chinese and Japanese have none
and are checked by script instead (checks.py). The program is called once per language and
batch, with one word per line (`hunspell -l` prints the words it does not know); answers are
cached per process. The C program rather than a Python port (spylls): nothing to pin in
Python, and the slowest dictionary (Korean) loads in 2.7 s here, the others in 0.2 to 1.3 s.
Only words written in the language's own script are asked about: a Latin word in Russian copy
is a brand or a left-over source word (the untranslated check reads those).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["DICTIONARIES", "Speller", "dictionary_help", "in_script", "words_of"]

# Our language -> Hunspell dictionary names (any one of them knowing a word is enough).
DICTIONARIES: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB"), "de": ("de_DE",), "fr": ("fr_FR", "fr"), "es": ("es_ES",),
    "it": ("it_IT",), "pt": ("pt_PT", "pt_BR"), "nl": ("nl_NL", "nl"), "pl": ("pl_PL",),
    "ru": ("ru_RU",), "tr": ("tr_TR",), "ar": ("ar",), "ko": ("ko_KR", "ko"),
}  # fmt: skip
DEBIAN_PACKAGES = {
    "en": "hunspell-en-us", "de": "hunspell-de-de", "fr": "hunspell-fr", "es": "hunspell-es",
    "it": "hunspell-it", "pt": "hunspell-pt-pt", "nl": "hunspell-nl", "pl": "hunspell-pl",
    "ru": "hunspell-ru", "tr": "hunspell-tr", "ar": "hunspell-ar", "ko": "hunspell-ko",
}  # fmt: skip
SEARCH_PATH = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")

_SCRIPT = {
    "ru": r"[\u0400-\u04ff]+",
    "ar": r"[\u0600-\u06ff]+",
    "ko": r"[\uac00-\ud7af\u1100-\u11ff]+",
}
_LATIN = r"[A-Za-z\u00c0-\u024f]+"


def words_of(text: str, language: str) -> list[str]:
    """The words of `text` in `language`'s script, three letters or longer (an apostrophe
    splits words: "l'huile" is checked as "huile"; in Italian and French the elided word
    before it is not checked: "dell'", "all'", "jusqu'" are no words without their
    apostrophe; in Turkish the suffix after it is not checked: "ml'dir")."""
    pattern = _SCRIPT.get(language, _LATIN)
    # Hyphenated compounds go whole: Hunspell splits them itself ("Teelicht-Halter").
    found = re.finditer(rf"{pattern}(?:-{pattern})*", text)
    elides = language in ("it", "fr")
    # Turkish writes a suffix after an apostrophe on names, numbers and abbreviations
    # ("350 ml'dir", "İstanbul'da"): the suffix is no word of its own ("dir" was flagged)
    suffixed = language in ("tr", "az")
    return [m.group() for m in found if len(m.group()) >= 3
            and not (elides and text[m.end() : m.end() + 1] in ("'", "’"))
            and not (suffixed and text[m.start() - 1 : m.start()] in ("'", "’"))]  # fmt: skip


def _turkish_title(word: str) -> str:
    """ "İSTANBUL" -> "İstanbul", "KIRMIZI" -> "Kırmızı": Turkish small letters after the first."""
    from borderless.languages import lower

    return word[:1] + lower(word[1:], "tr")


def in_script(word: str, language: str) -> bool:
    """`word` (hyphens and apostrophes allowed) is written in `language`'s script."""
    pattern = _SCRIPT.get(language, _LATIN)
    return re.fullmatch(rf"{pattern}(?:[-'’]{pattern})*", word) is not None


def dictionary_help(language: str) -> str:
    package = DEBIAN_PACKAGES.get(language)
    if package is None:
        return f"no Hunspell dictionary exists for {language}"
    return f"install the dictionary: apt-get install hunspell {package}"


class Speller:
    """Which words Hunspell does not know, per language; `available` says where it can tell."""

    def __init__(self, paths: Iterable[str] | None = None) -> None:
        extra = os.environ.get("BORDERLESS_HUNSPELL_PATH", "")
        self.paths = tuple(paths or (*filter(None, extra.split(os.pathsep)), *SEARCH_PATH))
        self._known: dict[str, dict[str, bool]] = {}

    def dictionaries(self, language: str) -> list[Path]:
        found = []
        for name in DICTIONARIES.get(language, ()):
            for folder in self.paths:
                dic = Path(folder) / f"{name}.dic"
                if dic.exists() and dic.with_suffix(".aff").exists():
                    found.append(dic.with_suffix(""))
                    break
        return found

    def available(self, language: str) -> bool:
        return _program() is not None and bool(self.dictionaries(language))

    def unknown(self, words: Iterable[str], language: str) -> set[str]:
        """The words no dictionary of `language` knows (empty when none is installed)."""
        if not self.available(language):
            return set()
        known = self._known.setdefault(language, {})
        ask = sorted({w for w in words if w not in known})
        if ask:
            bad = self._ask(ask, language)
            if language in ("tr", "az"):
                # Hunspell reads Turkish capitals with Python's case rules: "İSTANBUL" was no
                # word (an attack); asked again as Turkish writes the word in small letters
                again = {w: _turkish_title(w) for w in bad if w.isupper()}
                if again:
                    still = self._ask(sorted(set(again.values())), language)
                    bad -= {w for w, form in again.items() if form not in still}
            known.update({w: w not in bad for w in ask})
        return {w for w in words if not known[w]}

    def compounds(self, words: Iterable[str], language: str) -> dict[str, list[str]]:
        """For unknown words: the parts still unknown when the word is read as a compound.
        Hyphenated words split at the hyphens ("Vintage-Blättern" -> ["Vintage"]); in German
        and Dutch a long word is accepted when it splits into two known words, with or
        without a linking s/n/en/es ("Geleeformen" = Gelee + Formen), which the Debian
        dictionaries do not all know."""
        pieces: dict[str, list[list[tuple[str, ...]]]] = {}
        for word in words:
            if "-" in word:
                pieces[word] = [[(p,) for p in word.split("-") if len(p) >= 3]]
            elif language in ("de", "nl") and len(word) >= 8:
                pieces[word] = [_splits(word)]
        asked = {p for ways in pieces.values() for way in ways for alt in way for p in alt}
        unknown = self.unknown(asked, language) if asked else set()
        out: dict[str, list[str]] = {}
        for word, ways in pieces.items():
            if "-" in word:
                out[word] = [alt[0] for alt in ways[0] if alt[0] in unknown]
            else:
                heads_tails = ways[0]
                ok = any(all(p not in unknown for p in alt) for alt in heads_tails)
                out[word] = [] if ok else [word]
        return out

    def _ask(self, words: list[str], language: str) -> set[str]:
        program = _program()
        assert program is not None
        names = ",".join(str(d) for d in self.dictionaries(language))
        done = subprocess.run(
            [program, "-d", names, "-i", "utf-8", "-l"],
            input="\n".join(words) + "\n",
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
        return set(done.stdout.split("\n")) - {""}


def _splits(word: str) -> list[tuple[str, ...]]:
    """(head, tail) readings of a compound: heads with and without a linking s/n/en/es,
    tails as written and capitalised (German nouns)."""
    out: list[tuple[str, ...]] = []
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        heads = {head} | {head[: -len(j)] for j in ("s", "n", "en", "es") if head.endswith(j)}
        for h in (h for h in heads if len(h) >= 3):
            for t in {tail, tail.capitalize()}:
                out.append((h, t))
    return out


@cache
def _program() -> str | None:
    return shutil.which("hunspell")
