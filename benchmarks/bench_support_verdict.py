"""Support replies through the default engine, checked by the verdict: what is sent, what not.

    python benchmarks/bench_support_verdict.py [--out benchmarks/RESULTS.md]

The assistant machine-translates a reply text the answers file has no text for in the
customer's language and the cited FAQ answer (written in English). Until 2026-12-03 the
default answers file's lines (order template, login, handoff, rephrase) were written in en de
fr es zh only; they are now written in all 14 languages, so here only the FAQ answer is
machine-translated (a seller's own answers file may still leave lines to the engine). Since
2026-12-03 the demo FAQ's answers are written in all 14 languages too (`### de` blocks, quoted
as written); this benchmark reads the FAQ without them, as a shop whose FAQ is in English
only, so that the figures below stay those of the engine and the verdict. Since
2026-12-02 each such translation is judged by the verdict (capabilities/verdict, greetings
allowed) and one that needs review is not sent: that part goes out in English and
`Reply.review` says why.

Here every non-English language gets four replies through the shop's default translation
route (Bergamot for pt, the local LLM for the rest): an order reply (order template + the
delivery FAQ answer), a handoff, a login request and a rephrase request. Each translated part
is listed in benchmarks/out/support_verdict.tsv with the verdict's reasons. The parts were
judged by hand (benchmarks/data/support_replies_judged.tsv, its header says how); the table
counts per language the parts sent and turned away, and, against those judgements, precision
and recall of "not sent" (a part the engine now writes differently is counted as not judged).
Nothing was tuned here: the verdict's rules were fixed on copy and catalog translations
(bench_verdict.py).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench_support_languages import ORDER, Book
from report import emit

from borderless.capabilities.support.answers import DEFAULTS
from borderless.capabilities.support.assistant import Assistant, ConversationState
from borderless.capabilities.support.facts import LANGUAGES
from borderless.capabilities.support.intents import Prediction
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.verdict import needs_review
from borderless.config import load_settings
from borderless.wiring import Services

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "data"
OUT = ROOT / "out" / "support_verdict.tsv"
JUDGED = ROOT / "data" / "support_replies_judged.tsv"
# (intent the classifier returns, customer id, message): one reply path each.
SCENARIOS = [
    ("track_order", "C", ORDER.id),
    ("contact_human_agent", "C", "?"),
    ("track_order", None, "?"),  # not signed in: the login line
    ("oos", "C", "zzz qqq"),  # nothing placed, no FAQ match: the rephrase line
]


class Scripted:
    def __init__(self) -> None:
        self.label = "track_order"

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return [Prediction(self.label, 0.99, self.label) for _ in texts]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--languages", default="", help="only these (default: all but en)")
    args = parser.parse_args()
    settings = load_settings(shared_data_dir=DATA.resolve(), llm_threads=2)
    services = Services(settings)
    engine = services.backends.translator(settings.translator)
    # the FAQ in English only (see the docstring): every answer goes through the engine
    english = [replace(e, translations={}) for e in read_knowledge(DEFAULTS / "faq.md")]
    knowledge = KnowledgeBase(english, services.backends.embedder(settings.embeddings))
    judged: list[tuple[str, str, str, tuple[str, ...]]] = []

    def check(text: str, language: str, source: str, source_language: str,
              keep: Sequence[str]) -> list[str]:  # fmt: skip
        reasons = needs_review(text, language, source, source_language, keep,
                               letter_endings=False)  # fmt: skip
        judged.append((language, source, text, tuple(reasons)))
        return reasons

    classifier = Scripted()
    only = [x for x in args.languages.split(",") if x]
    started = time.perf_counter()
    for language in only or [x for x in LANGUAGES if x != "en"]:
        bot = Assistant(classifier, knowledge, Book(), translator=engine, check=check)
        for label, customer, message in SCENARIOS:
            classifier.label = label
            reply = bot.reply(ConversationState(customer, language), message)
            print(language, label, reply.language, "|", reply.text[:150], flush=True)
    seconds = time.perf_counter() - started
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter="\t")
        out.writerow(["language", "source", "translation", "verdict"])
        for language, source, text, reasons in judged:
            out.writerow([language, source, text, "; ".join(reasons) or "ok"])
    lines = [x for x in JUDGED.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    hand = {(r["language"], r["translation"]): r["judged"] == "needs review"
            for r in csv.DictReader(lines, delimiter="\t")}  # fmt: skip
    by_language: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    compared: dict[str, list[tuple[bool, bool]]] = defaultdict(list)  # (judged bad, not sent)
    for language, _, text, reasons in judged:
        by_language[language].append(reasons)
        if (language, text) in hand:
            compared[language].append((hand[(language, text)], bool(reasons)))

    def scores(pairs: Sequence[tuple[bool, bool]]) -> str:
        caught = sum(1 for bad, held in pairs if bad and held)
        held, bad = sum(h for _, h in pairs), sum(b for b, _ in pairs)
        precision = f"{caught / held:.2f}" if held else "–"
        recall = f"{caught / bad:.2f}" if bad else "–"
        return f"{bad} | {precision} | {recall} | {bad - caught}"

    rows = []
    for language, found in by_language.items():
        why: dict[str, int] = defaultdict(int)
        for reasons in found:
            for reason in reasons:
                why[reason.split(":")[0].split(" (")[0]] += 1
        named = ", ".join(f"{k} {n}" for k, n in sorted(why.items(), key=lambda kv: -kv[1]))
        sent = sum(1 for r in found if not r)
        rows.append(f"| {language} | {len(found)} | {sent} | {len(found) - sent} | "
                    f"{scores(compared[language])} | {named or '–'} |")  # fmt: skip
    total = sum(len(v) for v in by_language.values())
    sent_all = sum(1 for v in by_language.values() for r in v if not r)
    every = [pair for pairs in compared.values() for pair in pairs]
    rows.append(f"| all | {total} | {sent_all} | {total - sent_all} | {scores(every)} | |")
    unjudged = total - len(every)
    emit(
        "Support replies through the default engine: the verdict on translated parts",
        f"`python benchmarks/bench_support_verdict.py --out benchmarks/RESULTS.md` "
        f"({seconds:.0f} s, engine `{settings.translator}`). Four replies per language (order "
        "status with the delivery FAQ answer, handoff, login, rephrase); each distinct part "
        "machine-translated for the customer is judged once (`needs_review`, greetings "
        "allowed). *sent*: the verdict passed it and the customer gets the translation; "
        "*not sent*: that part went out in English and the reply says so. Every part, with "
        "its reasons, is in benchmarks/out/support_verdict.tsv. *judged bad*: parts judged "
        "needs review by hand (benchmarks/data/support_replies_judged.tsv: wrong meaning or "
        "facts, English left, non-words, puzzling grammar); *precision*, *recall*: of not "
        "sent against those; *bad sent*: judged bad, sent all the same "
        f"({unjudged} parts not judged). Before 2026-12-02 every part was sent. Since "
        "2026-12-03 the answers file's lines are written in all 14 languages (by the "
        "engineers; not machine-translated), so the one part left to the engine is the "
        "cited FAQ answer: the run before, with the lines of nine languages machine-"
        "translated, had 49 parts, 21 judged bad, 10 of them sent. The demo FAQ now has "
        "its answers written in all 14 languages as well (quoted as written, docs/support.md);"
        " here it is read in English only, as a shop that has not written them.",
        [
            "language",
            "translated parts",
            "sent",
            "not sent",
            "judged bad",
            "precision",
            "recall",
            "bad sent",
            "reasons (parts)",
        ],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
