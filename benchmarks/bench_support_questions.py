"""Support: two questions in one message, in 14 languages.

    python benchmarks/bench_support_questions.py [--out benchmarks/RESULTS.md] [--model DIR]

A walk (2026-12-04) found a message that asks two things ("How long does delivery take? And
can I pay with PayPal?") answered on the first alone: the intent model reads one label per
message. Since 2026-12-05 the assistant cuts a message where a second request may start
(capabilities/support/questions.py: after a sentence, before a language's "and"/"also", at a
comma in Chinese, Japanese and Korean) and keeps a cut only where the intent model reads a
different request on either side; each request is answered in turn, in one reply.

Test set: benchmarks/data/support_two_questions_14.csv, 12 messages per language (168),
written by a helper (an AI model writing as native customers) that saw no file of the
project, given the FAQ's topics by name: 5 with two questions in two sentences, 3 with two
questions in one sentence, and 4 with one question and a sentence of context or politeness
(a cut there must not add an answer nobody asked for). The cutting rules were written before
the set was read. Runs (two questions answered whole / one question answered / one question
with an extra, of 112 / 56 / 56; before: 0 / 44 / 13):
1. the rules as first written: 85 / 40 / 18;
2. after reading its misses: in a message with a question mark, a sentence without one asks
   nothing; a piece read as a complaint or a wish for a person starts no request: 77 / 43 / 15;
3. a sentence opening with a joining word ("und wie lösche ich mein konto") asks: 84 / 43 / 15;
4. each side of a cut read more surely than the whole message, chosen on the other support
   test sets (37 of their 2,257 one-request messages were answered otherwise after run 3, 5
   after this rule): 66 / 44 / 13;
5. Korean cut after a verb's ending -고 as well ("환불은 언제 되고 인보이스는 어디서..."), read in
   run 4's misses: 69 / 44 / 13 (Korean 2 -> 5 of 8), the default.
Runs 2, 3 and 5 were chosen on this set's misses: the figures are not held out for them.

A topic is answered when the reply cites its FAQ entry, or, for the order's status, tells the
customer's order (signed in as C with one order, as in bench_support_languages). *both*: a
two-question message with both topics answered; *one question*: its topic answered; *extra*:
a one-question message whose reply also cites an entry nobody asked for (the delivery-time
entry an order's status is told with is not counted). The language is detected from the
message. *before*: the assistant reading each message as one request; *after*: the default.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

from bench_support_languages import ORDER, Book, seeded
from report import emit

from borderless.capabilities.language import DetectedLanguage
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState, Reply
from borderless.capabilities.support.intents import IntentModel, train_intents
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.languages import MARKET_LANGUAGES

DATA = Path(__file__).resolve().parent / "data"
TESTS = DATA / "support_two_questions_14.csv"
# the other support test sets: each message makes one request (or is out of scope)
ONE_REQUEST = ("support_messages_14", "support_messages_numbers", "support_everyday_14",
               "support_problems_14", "support_products_14", "support_requests_27",
               "support_anger_14")  # fmt: skip
STATUS = "order_status"
WITH_STATUS = "how-long-does-delivery-take"  # cited beside an order's status


class OneRequest(Assistant):
    """The assistant as it was before 2026-12-05: every message one request."""

    def _each_request(
        self, state: ConversationState, text: str, detected: DetectedLanguage
    ) -> Reply | None:
        return None


def topics(reply: Reply) -> set[str]:
    """What the reply answers: the FAQ entries it cites, and the order's status when it
    tells the customer's order."""
    found = {c.id for c in reply.citations}
    if ORDER.id in reply.orders and reply.handoff is None:
        found.add(STATUS)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--model", type=Path, help="an intent model folder to load or save")
    args = parser.parse_args()
    started = time.perf_counter()
    services, embedders, seed = seeded()
    how = "trained in this run (the defaults)"
    if args.model is not None and args.model.exists():
        model = IntentModel.load(args.model, embedders)
        how = f"the defaults, loaded from {args.model.name}/ where an earlier run saved it"
    else:
        model = train_intents(seed, embedders)
        if args.model is not None:
            model.save(args.model)
    knowledge = KnowledgeBase(
        read_knowledge(DEFAULTS / "faq.md"),
        services.backends.embedder(services.settings.embeddings),
    )
    with TESTS.open(encoding="utf-8") as f:
        tests = [(r["language"], r["kind"], r["text"], r["first"], r["second"])
                 for r in csv.DictReader(f)]  # fmt: skip
    counts: dict[str, Counter[tuple[str, str]]] = {}
    misses: list[str] = []
    for name, kind in (("before", OneRequest), ("after", Assistant)):
        bot = kind(model, knowledge, Book(), Answers.load(), translator=None)
        counts[name] = Counter()
        for language, shape, text, first, second in tests:
            reply = bot.reply(ConversationState("C"), text)
            found = topics(reply)
            asked = {first, second} - {""}
            got = asked & found
            extra = found - asked - ({WITH_STATUS} if STATUS in asked else set())
            two = shape != "single"
            counts[name][(language, "both" if two else "one")] += got == asked
            counts[name][(language, "one of two")] += two and len(got) == 1
            counts[name][(language, "extra")] += not two and bool(extra)
            if name == "after" and (got != asked or (not two and extra)):
                misses.append(
                    f"{language}: {text!r} (asked {' + '.join(sorted(asked))}; answered "
                    f"{' + '.join(sorted(found)) or ('a person' if reply.handoff else 'nothing')})"
                )
    # The cost on messages that make one request: the other test sets' replies that change
    bots = [kind(model, knowledge, Book(), Answers.load(), translator=None)
            for kind in (OneRequest, Assistant)]  # fmt: skip
    others, changed = 0, []
    for name in ONE_REQUEST:
        with (DATA / f"{name}.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text = row.get("text") or row["message"]
                before, after = (b.reply(ConversationState("C"), text) for b in bots)
                others += 1
                if (before.text, before.handoff) != (after.text, after.handoff):
                    changed.append(
                        f"{row['language']}: {text!r} ({' + '.join(sorted(topics(before)))} -> "
                        f"{' + '.join(sorted(topics(after)))})"
                    )
    seconds = time.perf_counter() - started
    n = Counter((language, shape != "single") for language, shape, *_ in tests)

    def cell(language: str | None, key: str, two: bool) -> str:
        langs = MARKET_LANGUAGES if language is None else (language,)
        total = sum(n[(lang, two)] for lang in langs)
        before, after = (sum(counts[m][(lang, key)] for lang in langs) for m in counts)
        return f"{before}/{total} -> **{after}/{total}**"

    rows = [
        f"| {language or 'all'} | {cell(language, 'both', True)} | "
        f"{cell(language, 'one of two', True)} | {cell(language, 'one', False)} | "
        f"{cell(language, 'extra', False)} |"
        for language in [*MARKET_LANGUAGES, None]
    ]
    emit(
        "Support: two questions in one message, 14 languages",
        f"`python benchmarks/bench_support_questions.py --out benchmarks/RESULTS.md` "
        f"({seconds:.0f} s, the intent model {how}). 168 messages "
        "(benchmarks/data/support_two_questions_14.csv, written by a helper that saw no file "
        "of the project): per language 8 that ask two things (5 in two sentences, 3 in one "
        'sentence joined by an "and") and 4 that ask one thing beside a sentence of context '
        "or politeness. *before*: each message read as one request; *after*: cut where a second "
        "request starts (capabilities/support/questions.py), each request answered in turn. "
        "*both*: both topics answered; *one of two*: only one; *one question*: the one topic "
        "answered; *extra*: a one-question message also given an entry nobody asked for. The "
        "script's docstring says what counts as answered, and the five runs that made the "
        "rules (the first, as written before the set was read: 85/112 both, 40/56 and 18 "
        "extra). The cost where one thing is asked: "
        f"of the {others:,} messages of the other support test sets ("
        + ", ".join(ONE_REQUEST)
        + f"), each one request, {len(changed)} got another reply: "
        + ("; ".join(changed) or "none")
        + ". Still missed, or answered with an "
        "extra: " + ("; ".join(misses) or "none") + ".",
        [
            "language",
            "two questions: both",
            "two questions: one of two",
            "one question",
            "one question: extra",
        ],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
