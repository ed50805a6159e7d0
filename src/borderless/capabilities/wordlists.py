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

# Grammar words (articles, pronouns, prepositions, conjunctions, the commonest verbs) of each
# language: a word of this table is known in exactly the languages whose list holds it.
# Hunspell's stems list short words in many languages ("el" in the Portuguese, Dutch and
# Turkish dictionaries, "mis" in the Dutch and Turkish ones, "os" in six), so "cancela el
# segundo" and "muéstrame mis pedidos" were Portuguese.
GRAMMAR: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the a an and or of to in on at for with from by is are was be it this that my"
        " your our i you he she we they me not no do does did have has will can what where"
        " when why how which who per",
        "de": "der die das den dem des ein eine einen einem einer eines und oder aber nicht"
        " kein keine mit von zu zum zur für auf aus bei nach ist sind war bin hat haben habe"
        " wird ich du er sie es wir ihr mein meine meinen dein deine sein seine unser wo wie"
        " was warum wann welche bitte danke auch noch schon sehr im am ins vom da in an um"
        " über unter vor ohne durch gegen",
        "fr": "le la les un une des du de au aux et ou mais ne pas avec pour sur dans par est"
        " sont ai a avons avez ont je tu il elle nous vous ils mon ma mes ton ta tes son sa"
        " ses notre nos votre vos leur ce cette ces où quand comment pourquoi quel quelle qui"
        " que merci très aussi me te se si en non",
        "es": "el la los las un una unos unas del al y o pero no con para por sin en de es"
        " son está están estoy ha han he has hay yo tú él ella ellos mi mis tu tus su sus"
        " nuestro nuestra este esta estos estas ese esa qué dónde cuándo cómo cuál quién"
        " gracias muy también me te se le les lo a si uno",
        "pt": "o a os as um uma uns umas do da dos das ao aos no na nos nas pelo pela e ou mas"
        " não com para por sem em de é são está estão estou foi tem têm tenho há eu tu ele"
        " ela nós vocês eles elas meu minha meus minhas seu sua seus suas nosso nossa este"
        " esta esse essa isso isto que onde quando como porque qual quem obrigado obrigada"
        " muito também me te se lhe você",
        "it": "il lo la i gli le un uno una del della dei degli delle al alla ai dal dalla nel"
        " nella nei con per su in di da e o ma non è sono ho hai ha abbiamo hanno io tu lui"
        " lei noi voi loro mio mia miei mie tuo tua suo sua nostro questo questa quello che"
        " dove quando come perché quale chi grazie molto anche mi ti si ci vi a ne",
        "nl": "de het een en of maar niet geen met van voor op aan in uit bij naar is zijn"
        " was ben heb heeft hebben wordt ik jij je hij zij ze wij we mijn jouw haar ons onze"
        " uw dit dat deze die waar wanneer hoe waarom welke wie bedankt ook nog al te per",
        "pl": "i a lub albo ale nie z ze w we na do od po dla o przez jest są był była jestem"
        " ja ty on ona my wy oni mój moja moje mojego twój twoja jego jej nasz nasza ten ta"
        " to te gdzie kiedy jak dlaczego który która co kto dziękuję bardzo też już się mi"
        " ma",
        "tr": "ve veya ama değil ile için bu şu o bir da de mi mı mu mü ben sen biz siz"
        " onlar benim senin bizim sizin nerede ne zaman nasıl neden hangi kim teşekkürler çok",
    }.items()
}
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
        # each grammar word's bits: the languages whose GRAMMAR lists it
        self.grammar: dict[str, int] = {}
        for bit, code in enumerate(self.languages):
            for word in GRAMMAR.get(code, ()):
                self.grammar[word] = self.grammar.get(word, 0) | (1 << bit)

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
        for i, word in enumerate(words):
            if word in self.grammar:
                found[i] = self.grammar[word]
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
