"""Support: "how much did my order cost?" in 14 languages.

    python benchmarks/bench_support_cost.py [--out benchmarks/RESULTS.md]

A walk (2026-12-06) asked what an order cost in every market language: "how much was order
581163" got the payment-methods answer, "hoeveel kostte bestelling 578082" the wholesale one,
"581163 siparişi ne kadar tuttu" delivery times, "ça m a couté combien" (after the order was
told) a person, and the Japanese, Portuguese, Polish and Arabic questions "please say it
another way". The intents have no such request; the order's own line, which states its total
by rule (CLDR money), answers it.

The change (capabilities/support/answers.py, `Answers.cost` and `paid`): words of cost
("how much", "combien", "多少钱") with an order number named, or words of what was paid
("how much did I pay", "ça m'a coûté", "gekostet") without one, and no word of shipping, are
answered with the order's line and no FAQ entry. The word lists were written from the walk's
17 questions (tests/test_support_languages.py holds them); this benchmark's 98 messages
(benchmarks/data/support_cost_14.csv, 7 per language: 3 naming the order, 2 follow-ups
without a number, 2 that use words of cost but ask the shipping cost or a product's price)
were written by a helper that saw no file of the project, after the lists, and chose nothing.

Right: a question of cost is answered with the order (number and total in the reply, nobody
handed over); a question that is not (shipping, a product's price) is not answered with the
order's line alone. Customer signed in; for follow-ups the order was told just before.
*before*: the assistant without the words of cost; *after*: the default. Both tell an order a
message names when the intents place nothing (the same day's change: "C579090 was ist das?");
the first run, before that too, had 43 of 98 right before and 82 after. Then a refund or a
cancellation that names an amount ("I want a refund of the amount for order 581180", a message
of support_messages_numbers.csv) was kept from the rule: run here with complaints and payment
problems kept from it as well, 78 of 98 were right (the intents read five plain questions of
cost as those); only refunds and cancellations are kept from it, a choice made after reading
that run, so this set is no longer untouched by the rule's exceptions.

A later change (2026-12-06, stop 56) widened the words of what was paid to follow-ups with a
pronoun ("je l'ai payée combien ?", "quanto l'ho pagato?", "a ile za nie zapłaciłam?"), the
first set's misses among them (its follow-ups went 18/28 -> 27/28: no longer held out). A
second set (support_cost_heldout_14.csv, 84 messages) was written by another helper after
that change and run once, unread before, for the figure that is.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

from bench_support_languages import ORDER, Book, before_after_rows, default_trained
from bench_support_missing import what
from report import emit

from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState, Reply
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge

DATA = Path(__file__).resolve().parent / "data"
MESSAGES = DATA / "support_cost_14.csv"
# 84 messages a second helper wrote after the follow-up words were added (below), seen by no
# one before the run that reports them: 3 follow-ups with a pronoun and 3 questions that are
# not of cost, per language
HELD_OUT = DATA / "support_cost_heldout_14.csv"
KINDS = ("cost_numbered", "cost_followup", "not_cost")


class WithoutCost(Answers):
    """The answers without the rule: no message asks what an order cost."""

    def asks_cost(self, message: str, numbered: bool) -> bool:
        return False


def answered(kind: str, reply: Reply) -> bool:
    if kind == "not_cost":  # an FAQ entry, products or a person: not the order's line alone
        return bool(reply.citations or reply.products or reply.handoff)
    return reply.handoff is None and ORDER.id in reply.orders and "139" in reply.text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    services, model = default_trained()
    kb_embedder = services.backends.embedder(services.settings.embeddings)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), kb_embedder)
    bots = {
        "before": Assistant(model, knowledge, Book(), WithoutCost.load(), translator=None),
        "after": Assistant(model, knowledge, Book(), Answers.load(), translator=None),
    }
    tests, right, misses = scored(MESSAGES, bots)
    held_tests, held_right, held_misses = scored(HELD_OUT, bots)
    seconds = time.perf_counter() - started
    emit(
        "Support: what an order cost, 14 languages",
        f"`python benchmarks/bench_support_cost.py --out benchmarks/RESULTS.md` ({seconds:.0f} s, "
        f"the intent model trained in this run). {len(tests)} messages "
        f"({MESSAGES.relative_to(DATA.parent.parent)}, written by a helper that saw no file of "
        "the project, after the word lists; see the script's docstring). Right: a question of "
        "cost is answered with the order (its number and total, nobody handed over); a "
        "question with words of cost that asks the shipping cost or a product's price gets an "
        "FAQ entry, products or a person, not the order's line. *before*: without the words "
        "of cost; *after*: with the words of cost and of what was paid (capabilities/support/"
        "answers.py). Both tell the order a message names when the intents place nothing; the "
        "first run, without that as well, had 43/98 before and 82/98 after. Refunds and "
        "cancellations that name an amount keep their intent (with complaints and payment "
        "problems kept too, a run had 78/98: that choice was made after reading it, see the "
        "docstring). Still missed: " + ("; ".join(misses) or "none") + ".",
        ["language", "cost, order named", "cost, follow-up", "not a cost question", "all"],
        before_after_rows(right, tests, KINDS),
        args.out,
    )
    emit(
        "Support: what an order cost, follow-ups with a pronoun, held out",
        f'The same run as "Support: what an order cost, 14 languages". {len(held_tests)} '
        f"messages ({HELD_OUT.relative_to(DATA.parent.parent)}), written by a second helper "
        "that saw no file of the project, after the words of what was paid had been widened "
        'to follow-ups with a pronoun ("je l\'ai payée combien", "quanto l\'ho pagato", '
        '"сколько я за него заплатил": the first set\'s misses, so that set is no longer '
        "held out for follow-ups), and read by no one before this run: per language 3 "
        "follow-ups that name the order told before by a pronoun, and 3 messages with words of "
        'money that do not ask what it cost (shipping, paying by PayPal, "I paid but it has '
        "not come\", a product's price, a refund). Right as above. Missed: "
        + ("; ".join(held_misses) or "none")
        + ".",
        ["language", "cost, follow-up", "not a cost question", "all"],
        before_after_rows(held_right, held_tests, KINDS[1:]),
        args.out,
    )


def scored(
    path: Path, bots: dict[str, Assistant]
) -> tuple[list[tuple[str, str, str]], dict[str, Counter[tuple[str, str]]], list[str]]:
    """The messages of `path`, how many each bot got right per (language, kind), and the
    messages the default ("after") got wrong, with what it said."""
    with path.open(encoding="utf-8") as f:
        tests = [(r["language"], r["text"], r["kind"]) for r in csv.DictReader(f)]
    right: dict[str, Counter[tuple[str, str]]] = {}
    misses: list[str] = []
    for name, bot in bots.items():
        right[name] = Counter()
        for language, text, kind in tests:
            told = ORDER.id if kind == "cost_followup" else None
            state = ConversationState("C", language, order_id=told)
            reply = bot.reply(state, text)
            ok = answered(kind, reply)
            right[name][(language, kind)] += ok
            if name == "after" and not ok:
                misses.append(f"{language}: {text!r} ({reply.intent}: {what(reply)})")
    return tests, right, misses


if __name__ == "__main__":
    main()
