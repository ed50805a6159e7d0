"""Support: which FAQ entry answers a customer's question, in 14 languages.

    python benchmarks/bench_support_faq.py [--out benchmarks/RESULTS.md]

An independent walk of the service (2026-12-03) asked "How much does shipping cost?" in eight
languages and never got the shipping-cost answer: the intent model reads it as Bitext's
delivery_options, whose one entry was "Which delivery options do you offer?". A Polish
"how do I return a product?" got the payment methods, a Japanese "where is my invoice?" was
out of scope. Two changes, measured here one by one and together:

- *entry lists*: an intent in defaults/answers.json may name several entries (delivery_options:
  options, shipping cost, delivery times; get_refund: returns, refund timing...), and the one
  most like the message is cited;
- *texts per language*: the knowledge base embeds each entry's written translations beside its
  English text, and an entry is as close to a message as its closest text (before, only the
  English question and answer were embedded).

Test set: benchmarks/data/support_faq_questions.csv, one question per FAQ entry (14) per
language (14), 196 questions written by the engineers (not native speakers) after the walk and
before either change was run, in the words a customer would use rather than the FAQ's headings.
The two changes were fixed before the first run. That run showed most misses to be questions
the intents read as out of scope, for which the knowledge base's threshold (0.45, chosen on
English-only texts) allowed no answer: so the threshold is scanned here on one half of the
questions and checked on the other (it did not hold there: the default keeps 0.45). A question
is answered right when the reply cites its entry. Out of scope: the 70 out-of-scope messages of
benchmarks/data/support_messages_14.csv, counted when the reply cites any entry (the knowledge
base's similarity threshold, 0.45, was chosen on English-only texts). The intent model is the
default (seed examples, E5 + USE), trained in this run; the knowledge base's embedder is the
shop's default (BORDERLESS_EMBEDDINGS).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_support_languages import Book, Remembered, read_messages, seeded
from report import emit

from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState
from borderless.capabilities.support.examples import read_labelled
from borderless.capabilities.support.intents import IntentModel, train_intents
from borderless.capabilities.support.knowledge import (
    MIN_SIMILARITY,
    KnowledgeBase,
    read_knowledge,
)
from borderless.capabilities.support.seed import MARKET_EXAMPLES
from borderless.languages import MARKET_LANGUAGES

QUESTIONS = Path(__file__).resolve().parent / "data" / "support_faq_questions.csv"
OLD = 0.45  # the knowledge base's threshold before 2026-12-03 (chosen on English texts only)
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45)


def read_questions() -> list[tuple[str, str, str]]:
    """(language, entry id, question)"""
    with QUESTIONS.open(encoding="utf-8") as f:
        return [(r["language"], r["entry"], r["text"]) for r in csv.DictReader(f)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    services, embedders, seed = seeded()
    settings = services.settings
    model = train_intents(seed, embedders)
    trained = time.perf_counter() - started
    markets = {e.text for e in read_labelled(DEFAULTS / MARKET_EXAMPLES)}
    model_before = train_intents([e for e in seed if e.text not in markets], embedders)
    entries = read_knowledge(DEFAULTS / "faq.md")
    kb_embedder = Remembered(services.backends.embedder(settings.embeddings))
    english = KnowledgeBase([replace(e, translations={}) for e in entries], kb_embedder, OLD)
    lists = Answers.load()
    first = replace(lists, intents={k: replace(a, kb=a.kb[:1]) for k, a in lists.intents.items()})
    questions = read_questions()
    out_of_scope = [(lang, m.text) for lang, m, _ in read_messages() if m.label == "oos"]
    ids = [e.id for e in entries]

    def run(
        answers: Answers, knowledge: KnowledgeBase, intents: IntentModel = model
    ) -> list[tuple[str, bool, str | None, str]]:
        """(language, in the validation half, entry cited or None, what it should be: an entry
        id, or "" for an out-of-scope message) per question, then per out-of-scope message."""
        bot = Assistant(intents, knowledge, Book(), answers, translator=None)
        found = []
        for language, entry, text in questions:
            reply = bot.reply(ConversationState("C", language), text)
            cited = reply.citations[0].id if reply.citations else None
            found.append((language, ids.index(entry) % 2 == 0, cited, entry))
            if cited != entry:
                misses[(id(answers), id(knowledge), id(intents))].append(
                    f"{language}: {text!r} ({reply.intent}: {cited or 'none'})"
                )
        for n, (language, text) in enumerate(out_of_scope):
            reply = bot.reply(ConversationState("C", language), text)
            found.append((language, n % 2 == 0, reply.citations[0].id if reply.citations else None,
                          ""))  # fmt: skip
        return found

    def score(found: list[tuple[str, bool, str | None, str]], half: bool | None) -> int:
        """Right answers less twice the wrong ones (a wrong entry, or any entry for an
        out-of-scope message): a wrong answer misleads, "please rephrase" does not."""
        kept = [f for f in found if half is None or f[1] == half]
        right = sum(c == e for _, _, c, e in kept if e)
        wrong = sum(c is not None and c != e for _, _, c, e in kept)
        return right - 2 * wrong

    misses: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    # The threshold under which the knowledge base cites nothing, for a message the intents
    # could not place: chosen on the even half (entries 1, 3, 5... of each language, every
    # other out-of-scope message), reported on the odd half.
    scanned = {}
    for threshold in THRESHOLDS:
        written = KnowledgeBase(entries, kb_embedder, threshold)
        scanned[threshold] = (written, run(lists, written))
    chosen = max(THRESHOLDS, key=lambda t: (score(scanned[t][1], True), t))
    written_old = KnowledgeBase(entries, kb_embedder, OLD)
    # the default without the questions written in the other 13 languages (2026-12-05)
    unwritten = KnowledgeBase([replace(e, questions={}) for e in entries], kb_embedder)
    configs = {
        "before": run(first, english),
        "entry lists": run(lists, english),
        "texts per language": run(first, written_old),
        "both, before the market examples": run(lists, scanned[MIN_SIMILARITY][0], model_before),
        "both (default)": scanned[MIN_SIMILARITY][1],
        f"both, threshold {chosen}": scanned[chosen][1],
        "default, questions unwritten": run(lists, unwritten),
    }
    default_misses = misses[(id(lists), id(scanned[MIN_SIMILARITY][0]), id(model))]
    top = [written_old._scores(text) for _, _, text in questions]  # the knowledge base alone
    first_right = sum(
        ids[int(np.argmax(t))] == e for t, (_, e, _) in zip(top, questions, strict=True)
    )
    median = float(np.median([t.max() for t in top]))
    seconds = time.perf_counter() - started

    def cell(found: list[tuple[str, bool, str | None, str]], language: str | None) -> str:
        asked = [f for f in found if f[3] and language in (None, f[0])]
        return f"{sum(c == e for _, _, c, e in asked)}/{len(asked)}"

    def oos(found: list[tuple[str, bool, str | None, str]], language: str | None) -> str:
        return str(sum(c is not None for lang, _, c, e in found
                       if not e and language in (None, lang)))  # fmt: skip

    rows = []
    for language in [*MARKET_LANGUAGES, None]:
        cells = [cell(found, language) for found in configs.values()]
        cells[4] = f"**{cells[4]}**"
        n_oos = sum(1 for lang, _ in out_of_scope if language in (None, lang))
        wrong = " / ".join(oos(found, language) for found in configs.values())
        rows.append(f"| {language or 'all'} | " + " | ".join(cells) + f" | {wrong} of {n_oos} |")
    kept, tried = score(configs["both (default)"], False), score(scanned[chosen][1], False)
    verdict = (
        f"the default, {MIN_SIMILARITY}, itself" if chosen == MIN_SIMILARITY
        else f"better there too ({tried} against {kept}): a candidate for the default"
        if tried > kept else f"no better there ({tried} against {kept}): the default keeps "
        f"{MIN_SIMILARITY}"
    )  # fmt: skip
    listed = ", ".join(map(str, THRESHOLDS))
    scan = ", ".join(f"{t}: {score(scanned[t][1], True)}" for t in THRESHOLDS)
    odd = "; ".join(
        f"{name}: {sum(c == e for _, h, c, e in found if e and not h)}/98 right, "
        f"{sum(c is not None and c != e for _, h, c, e in found if not h)} wrong"
        for name, found in configs.items()
    )
    emit(
        "Support: which FAQ entry answers",
        f"`python benchmarks/bench_support_faq.py --out benchmarks/RESULTS.md` ({seconds:.0f} s, "
        f"the intent model trained in {trained:.0f} s). 196 questions, one per FAQ entry and "
        "language (benchmarks/data/support_faq_questions.csv, written after the walk, before "
        "the changes were run; see the script's docstring). A question is right when the reply "
        "cites its entry. *before*: each intent cites its one entry, the knowledge base embeds "
        "the English texts only; *entry lists*: an intent names several entries "
        "(defaults/answers.json) and the one most like the message is cited; *texts per "
        "language*: each entry's written translations are embedded too; *both*: the two "
        f"together, the default since 2026-12-03; all four with the similarity threshold {OLD} "
        "(USE cosine) under which a message the intents could not place gets no FAQ answer. "
        "*both, before the market examples*: the default, its intent model trained without "
        "defaults/examples_markets.csv (2026-12-04: 4 requests per intent and 10 out-of-scope "
        "messages in each of the 13 other languages, written by helpers that never saw these "
        "questions, those within difflib 0.7 of a test message dropped: capabilities/support/"
        "seed.py); every other column with them. "
        "Most of what is still missed "
        "is that: the intent model reads the question as out of scope, and the knowledge base "
        f"alone finds its entry first for {first_right} of the 196 (any similarity) but at a "
        f"median similarity of {median:.2f}. So the threshold was scanned ({listed}) on the "
        "even half (the even entries of every language, every other out-of-scope "
        "message), scored as right answers less twice the wrong ones (a wrong entry, or an "
        f"answer to an out-of-scope message): {scan}; chosen there: {chosen}. On the odd half, "
        f"which did not choose it: {odd}; so {chosen} is {verdict}. The column *both, threshold "
        f"{chosen}* shows it on every question. Since 2026-12-05 every entry's question is also "
        "written in the 13 other languages (`### de: Wie lange dauert die Lieferung?` in "
        "defaults/faq.md, the headings put into each language by the engineer, before any "
        "run), and the default embeds each with its answer; *default, questions unwritten*: "
        "without them. "
        "*out of scope answered*: the "
        "test set's out-of-scope messages (benchmarks/data/support_messages_14.csv) that got "
        "a FAQ answer, in the columns' order. Questions the default still answers with another "
        f"entry or none (intent: entry cited): {'; '.join(default_misses) or 'none'}.",
        [
            "language",
            "before",
            "entry lists",
            "texts per language",
            "both, before the market examples",
            "both (default)",
            f"both, threshold {chosen}",
            "default, questions unwritten",
            "out of scope answered",
        ],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
