"""Support: an angry customer goes to a person, in 14 languages.

    python benchmarks/bench_support_anger.py [--out benchmarks/RESULTS.md]

The assistant hands a conversation over on words of anger (defaults/answers.json, "anger"), on
shouting (mostly capitals, "!!") and on the intents complaint and contact_human_agent. Until
2026-12-04 the words existed in en, de, fr, es and zh only, and nothing measured them: a
furious Japanese, Korean or Turkish customer without capitals or "!!" was answered by the bot.

Test set: benchmarks/data/support_anger_14.csv, 12 angry and 12 calm messages per language
(336), written by a helper that never saw the word lists (an AI model, not native speakers),
after the lists for the nine new languages were written. It was told to avoid capitals and
"!!", so the words are what is tested, and to write calm messages that report a problem or use a
negative word harmlessly ("the worst part is I need it by Friday"). Half a of each language
(every other message) was read to mend the lists; half b is reported and chose nothing. The
calm messages of the other support test sets (benchmarks/data/support_messages_14.csv, 14
languages, and the 196 FAQ questions) count too: none of them is angry.

*before*: the word lists as they were (five languages), kept in this script; *now*: the default
answers file. *flagged*: the anger rule (words or shouting) fires. *handed over*: the whole
assistant (default intent model, trained in this run) hands the conversation to a person, for
any reason, on that one message; for calm messages only a handoff for anger counts as wrong.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from bench_support_faq import read_questions
from bench_support_languages import DATA, Book, Remembered, read_messages
from report import emit

from borderless.backends.base import Embedder
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState
from borderless.capabilities.support.intents import train_intents
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.seed import seed_examples
from borderless.config import load_settings
from borderless.languages import MARKET_LANGUAGES
from borderless.wiring import Services

MESSAGES = Path(__file__).resolve().parent / "data" / "support_anger_14.csv"
# The anger words before 2026-12-04 (five languages).
OLD_ANGER = {
    "en": ("angry", "furious", "disgusting", "unacceptable", "ridiculous", "worst", "scam",
           "useless", "rubbish", "fed up", "sick of", "outrageous", "terrible service",
           "pathetic", "lawyer", "sue you"),
    "de": ("wütend", "sauer", "unverschämt", "inakzeptabel", "frechheit", "betrug", "katastrophe",
           "unmöglich", "schlechtester", "anwalt"),
    "fr": ("furieux", "furieuse", "inadmissible", "inacceptable", "honteux", "arnaque",
           "scandaleux", "nul", "avocat"),
    "es": ("enfadado", "enfadada", "furioso", "furiosa", "inaceptable", "vergüenza", "estafa",
           "harto", "harta", "pésimo", "abogado"),
    "zh": ("生气", "愤怒", "气死", "垃圾", "骗子", "太差", "投诉", "恶心", "退钱", "律师"),
}  # fmt: skip


def read_anger() -> list[tuple[str, str, bool, str]]:
    """(language, text, angry, half)"""
    with MESSAGES.open(encoding="utf-8") as f:
        return [(r["language"], r["text"], r["expected"] == "angry", r["half"])
                for r in csv.DictReader(f)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    now = Answers.load()
    before = Answers(now.intents, now.replies, OLD_ANGER)
    messages = read_anger()
    others = [(lang, m.text) for lang, m, _ in read_messages()]
    others += [(lang, text) for lang, _, text in read_questions()]

    settings = load_settings(shared_data_dir=DATA.resolve(), llm_threads=2)
    services = Services(settings)
    embedders: list[Embedder] = [Remembered(e) for e in services.intent_embedders()]
    model = train_intents(seed_examples(settings.shared_data_dir), embedders)
    kb_embedder = services.backends.embedder(settings.embeddings)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), kb_embedder)
    bot = Assistant(model, knowledge, Book(), now, translator=None)

    def handed(language: str, text: str) -> str | None:
        return bot.reply(ConversationState("C", language), text).handoff

    handoffs = {(lang, text): handed(lang, text) for lang, text, _, _ in messages}
    angry_others = {(lang, text) for lang, text in others if now.is_angry(text)}
    seconds = time.perf_counter() - started

    def share(hits: list[bool]) -> str:
        return f"{sum(hits)}/{len(hits)}"

    def flagged(rule: Answers, language: str | None, angry: bool, half: str) -> list[bool]:
        return [rule.is_angry(text) for lang, text, a, h in messages
                if a == angry and h == half and language in (None, lang)]  # fmt: skip

    def handed_over(language: str | None, angry: bool, half: str) -> list[bool]:
        return [(handoffs[(lang, text)] is not None) if angry
                else handoffs[(lang, text)] == "angry customer"
                for lang, text, a, h in messages
                if a == angry and h == half and language in (None, lang)]  # fmt: skip

    rows = []
    for language in [*MARKET_LANGUAGES, None]:
        mine = [text for lang, text in others if language in (None, lang)]
        cells = [
            share(flagged(before, language, True, "b")),
            f"**{share(flagged(now, language, True, 'b'))}**",
            share(handed_over(language, True, "b")),
            share(flagged(before, language, False, "b")),
            f"**{share(flagged(now, language, False, 'b'))}**",
            share(handed_over(language, False, "b")),
            f"{sum(before.is_angry(t) for t in mine)} / {sum(now.is_angry(t) for t in mine)} "
            f"of {len(mine)}",
        ]
        rows.append(f"| {language or 'all'} | " + " | ".join(cells) + " |")
    validation = (
        f"angry flagged {share(flagged(before, None, True, 'a'))} before, "
        f"{share(flagged(now, None, True, 'a'))} now; calm flagged "
        f"{share(flagged(before, None, False, 'a'))} before, "
        f"{share(flagged(now, None, False, 'a'))} now"
    )
    missed = [f"{lang}: {text!r}" for lang, text, a, h in messages
              if a and h == "b" and handoffs[(lang, text)] is None]  # fmt: skip
    wrong = [f"{lang}: {text!r}" for lang, text, a, h in messages if not a and now.is_angry(text)]
    wrong += [f"{lang}: {text!r}" for lang, text in sorted(angry_others)]
    emit(
        "Support: angry customers handed over, 14 languages",
        f"`python benchmarks/bench_support_anger.py --out benchmarks/RESULTS.md` ({seconds:.0f} "
        "s, the intent model trained in this run). benchmarks/data/support_anger_14.csv: 12 "
        "angry and 12 calm messages per language, written by a helper that never saw the word "
        "lists, without capitals or '!!' (see the script's docstring). Half a of each language "
        f"was read to mend the lists (there: {validation}); the table is half b, 6 angry and 6 "
        "calm messages a language, which chose nothing (words of fraud added on 2026-12-05 "
        'after a walk, "这是骗局", "이건 사기예요", "هذا احتيال" in zh, ko, ar, es, fr, nl, '
        "tr, moved Arabic from 3 to 4 of 6 here and no calm message). *flagged*: the anger "
        "rule fires "
        "(words of anger or shouting), with the word lists before 2026-12-04 (en, de, fr, es, "
        "zh only) and now (all 14). *handed over*: the whole assistant hands the conversation "
        "to a person on that message, for any reason (anger, the complaint or ask-for-a-person "
        "intents); for calm messages only a handoff for anger counts. *other calm messages*: "
        "the 14-language support test set and the 196 FAQ questions, none angry, flagged "
        f"before / now. Angry messages of half b not handed over: {'; '.join(missed) or 'none'}. "
        f"Calm messages flagged now (both halves and the other sets): "
        f"{'; '.join(wrong) or 'none'}.",
        [
            "language",
            "angry flagged, before",
            "angry flagged, now",
            "angry handed over, now",
            "calm flagged, before",
            "calm flagged, now",
            "calm handed over for anger, now",
            "other calm messages flagged, before / now",
        ],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
