"""Brands and product types learnt from the seller's own titles, without labels.

Product types recur at the head of titles ("... T-LIGHT HOLDER", "... CAKE STAND"): every
title's head word is counted with the words before it, and a longer type is kept while it
holds at least `extend_ratio` of the titles of the shorter one ("t-light holder" holds half
the "holder" titles; "heart t-light holder" a tenth). Brands recur as the first word: a word
that starts at least `min_count` titles and stands first in most titles it appears in is a
brand, but only in a catalog whose titles carry model numbers (electronics, not a gift shop,
where "REGENCY" and "JUMBO" also start many titles). A brand of two words ("Polk Audio",
"Case Logic") is a leading pair of words that starts at least `min_count` titles and stands first
in most titles it appears in; a one-word brand is extended by a word that names a company
("audio", "acoustics", "electronics") when at least `phrase_share` of its titles go on with it:
every "polk" title is "polk audio". Counts alone cannot tell a company's second word from a
product line ("escort passport", "nintendo ds" also follow their brand in nearly every title of
Abt-Buy), so other pairs are not joined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from borderless.capabilities.attributes.nouns import NOUN_FIRST, nouns
from borderless.capabilities.attributes.patterns import WIDE, model_like
from borderless.capabilities.attributes.tokens import (
    HEAD_FIRST,
    STOP,
    Token,
    content_tokens,
    masks,
    singular,
    tokens,
)
from borderless.capabilities.catalog.attributes import Vocabulary, load_vocabulary

__all__ = ["CatalogLexicon", "head_phrases", "wide_remainder"]

# Words that end a company's name, not a product line's.
_COMPANY = {"audio", "acoustics", "electronics", "labs", "lab", "technologies", "technology",
            "industries", "international", "systems", "instruments", "corporation", "corp",
            "inc", "ltd", "gmbh"}  # fmt: skip
_NOT_BRANDS = STOP | {"new", "the", "set", "pack", "kit", "mini", "pro", "digital", "portable",
               "wireless", "universal", "premium", "deluxe", "classic", "original"}  # fmt: skip


def head_phrases(
    content: list[Token], language: str, title: str = "", head: int | None = None, longest: int = 3
) -> list[list[Token]]:
    """The head word and the phrases of adjacent words that end (head-first: start) with it,
    shortest first."""
    if not content:
        return []
    first = language in HEAD_FIRST
    at = head if head is not None else (0 if first else len(content) - 1)
    out = [[content[at]]]
    while len(out) < longest:
        phrase = out[-1]
        nxt = at + len(phrase) if first else at - len(phrase)
        if not 0 <= nxt < len(content):
            break
        left, right = (phrase[-1], content[nxt]) if first else (content[nxt], phrase[0])
        if title and title[left.end : right.start].strip(" -") != "":
            break  # something sits between them (a colour, a pack size): not one phrase
        out.append([*phrase, content[nxt]] if first else [content[nxt], *phrase])
    return out


def phrase_key(phrase: list[Token], language: str) -> str:
    words = [t.key for t in phrase]
    index = 0 if language in HEAD_FIRST else -1
    words[index] = singular(words[index], language)
    return " ".join(words)


def wide_remainder(text: str, language: str, vocabulary: Vocabulary) -> tuple[str, int]:
    """Chinese/Japanese: the characters after the last known fact, and where they start."""
    covered = sorted(masks(text, language, vocabulary))
    start = 0
    for s, e in covered:
        if text[start:s].strip(" 0123456789-/·、，,") == "":
            start = max(start, e)
        else:
            break
    tail_from = max([e for s, e in covered if e <= len(text)], default=0)
    tail = text[tail_from:].strip(" 0123456789-/·、，,")
    if tail:
        return tail[-6:], text.rindex(tail[-6:])
    # the facts come last ("陶瓷碗3件套"): take the words before them
    body_end = min([s for s, e in covered if s >= start], default=len(text))
    body = text[start:body_end].strip(" 0123456789-/·、，,")
    return (body[-4:], text.index(body[-4:], start)) if body else ("", 0)


def _word(key: str, vocabulary: Vocabulary) -> bool:
    """A word that may end a brand's name: letters, not a code, a stop word or a known fact."""
    return (
        key.replace("-", "").isalpha()
        and key not in STOP
        and not model_like(key)
        and not vocabulary.find(key, "en")
    )


class CatalogLexicon:
    """Counts from a whole catalog: type phrases, first words and model-number share."""

    def __init__(self, min_count: int = 2, extend_ratio: float = 0.25, brand_share: float = 0.5,
                 branded_share: float = 0.3, phrase_share: float = 0.8) -> None:  # fmt: skip
        self.min_count = min_count
        self.phrase_share = phrase_share
        self.extend_ratio = extend_ratio
        self.brand_share = brand_share
        self.branded_share = branded_share

    def fit(
        self, titles: Sequence[str], languages: Sequence[str] | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> CatalogLexicon:  # fmt: skip
        vocab = vocabulary or load_vocabulary()
        langs = list(languages) if languages is not None else ["en"] * len(titles)
        self.heads_: Counter[str] = Counter()
        self.wide_suffixes_: Counter[str] = Counter()
        self.df_: Counter[str] = Counter()
        first: Counter[str] = Counter()
        first_pairs: Counter[tuple[str, str]] = Counter()
        pairs_df: Counter[tuple[str, str]] = Counter()
        with_model = 0
        # German: the first noun is the product (nouns.py)
        self.nouns_ = nouns(
            {w.key for t, lang in zip(titles, langs, strict=True) if lang in NOUN_FIRST
             for w in tokens(t)}
        ) if any(lang in NOUN_FIRST for lang in langs) else frozenset()  # fmt: skip
        for title, language in zip(titles, langs, strict=True):
            if language in WIDE:
                tail, _ = wide_remainder(title, language, vocab)
                self.wide_suffixes_.update({tail[-n:] for n in range(1, len(tail) + 1)})
                continue
            words = tokens(title)
            keys = [w.key for w in words]
            self.df_.update(set(keys))
            leading = [k for k in keys if k not in _NOT_BRANDS]  # "new Canon ...": Canon
            if leading:
                first[leading[0]] += 1
            pairs_df.update(set(pairwise(keys)))
            if len(keys) > 1:
                first_pairs[keys[0], keys[1]] += 1
            with_model += any(model_like(k) for k in keys)
            content = content_tokens(title, language, vocab, materials=False)
            head = self.noun_index(content, language)
            self.heads_.update(
                {phrase_key(p, language) for p in head_phrases(content, language, title, head)}
            )
        spaced = sum(1 for lang in langs if lang not in WIDE) or 1
        self.branded_ = with_model / spaced >= self.branded_share
        self.brands_: frozenset[str] = frozenset(
            word
            for word, count in first.items()
            if self.branded_
            and count >= self.min_count
            and count / self.df_[word] >= self.brand_share
            and word not in _NOT_BRANDS
            and any(ch.isalpha() for ch in word)
            and not model_like(word)
            and not vocab.find(word, "en")
        )
        self.brand_phrases_: frozenset[tuple[str, str]] = frozenset(
            (a, b)
            for (a, b), count in first_pairs.items()
            if self.branded_
            and count >= self.min_count
            and _word(b, vocab)
            and a not in STOP
            and any(ch.isalpha() for ch in a)
            and not model_like(a)
            and (
                # "polk audio": nearly every "polk" title goes on with "audio"
                (a in self.brands_ and b in _COMPANY and count / first[a] >= self.phrase_share)
                # "case logic": "case" is a product word, the pair stands first
                or (a not in self.brands_ and count / pairs_df[a, b] >= self.brand_share
                    and a not in _NOT_BRANDS and not vocab.find(a, "en"))
            )
        )  # fmt: skip
        return self

    def noun_index(self, content: list[Token], language: str) -> int | None:
        """German: the first noun, when the dictionary knows one (None otherwise)."""
        if language not in NOUN_FIRST:
            return None
        return next((i for i, t in enumerate(content) if t.key in self.nouns_), None)

    def head_index(self, content: list[Token], language: str) -> int:
        """The word that is most often the head where it appears (the last one on a tie);
        in German the first noun."""
        if language in HEAD_FIRST or not content:
            return 0
        noun = self.noun_index(content, language)
        if noun is not None:
            return noun
        heads = [self.heads_.get(singular(t.key, language), 0) for t in content]
        # how often a word is the head when it appears: "ornament" nearly always, "bird" rarely
        scores = [
            h / self.df_.get(t.key, 1) if h >= self.min_count else 0.0
            for h, t in zip(heads, content, strict=True)
        ]
        best = max(scores)
        return max(i for i, s in enumerate(scores) if s == best)

    def type_phrase(self, phrases: list[list[Token]], language: str) -> list[Token] | None:
        """The longest phrase the catalog backs, starting from the head word."""
        if not phrases:
            return None
        chosen = phrases[0]
        count = self.heads_.get(phrase_key(chosen, language), 0)
        for phrase in phrases[1:]:
            longer = self.heads_.get(phrase_key(phrase, language), 0)
            if longer < self.min_count or longer < self.extend_ratio * count:
                break
            chosen, count = phrase, longer
        return chosen

    def wide_type(self, tail: str) -> str:
        """Chinese/Japanese: the longest ending of `tail` that recurs in the catalog."""
        best = tail[-2:] if len(tail) > 2 else tail
        count = self.wide_suffixes_.get(best, 0)
        for n in range(len(best) + 1, min(len(tail), 6) + 1):
            longer = self.wide_suffixes_.get(tail[-n:], 0)
            if longer < self.min_count or longer < self.extend_ratio * count:
                break
            best, count = tail[-n:], longer
        return best
