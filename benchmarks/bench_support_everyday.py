"""Support: everyday requests a walk found misread, in 14 languages.

    python benchmarks/bench_support_everyday.py [--out benchmarks/RESULTS.md]

A walk of the assistant (2026-12-04) gave "Show me all my orders" and "¿Cómo devuelvo un
artículo?" the wholesale answer, "I need it before 24 December" the invoice answer, asked
"vale, cancélalo por favor", "Is this mug dishwasher safe?" and "Hallo, ich habe eine Frage"
to say it another way, and greeted "Hallo" in English. What changed (edition 2026-12-04.4):
203 requests and 40 general-knowledge questions (out of scope) in
defaults/examples_everyday.csv written by the engineer in the 14 languages (seed.py says what
they teach), two new intents, product_question (a person who knows the product answers) and
list_orders (the customer's five latest orders), and "openers" in defaults/answers.json: a
question announced and not yet asked is answered as a greeting is, in the language its words
are in. A first run of this benchmark (list of orders counted right as the latest order told,
before list_orders and before a second walk's openers and yeses) gave 65 -> 147 of 168.

Test set: benchmarks/data/support_everyday_14.csv, 2 messages per kind and language (168),
written by a helper (an AI model writing as native customers) that saw no file of the project;
the 49 examples within difflib 0.7 of one of them were dropped before this first run (the
engineer saw the file's first 30 rows while doing so). A reply is right when:
*list of orders*: the list of the customer's latest orders (intent list_orders; edition
2026-12-04.3 told the latest order alone, which a walk judged no answer); *how to return*: it
cites "How do I return an item?"; *yes, cancel*: the cancel_order answer or a person;
*needed by a date*: it cites a delivery entry (how long delivery takes, or the options) or
hands over; *product question*: a person; *greeting and a question*: the greeting, in the
message's language. The customer is signed in with one order (as in
bench_support_languages). *before*: edition 2026-12-04.3 (no examples_everyday.csv, no
product_question, no openers); *after*: the defaults. Both trained in this run (E5 + USE).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bench_support_languages import Book, before_after_rows, before_and_after
from report import emit

from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState, Reply
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.seed import EVERYDAY_EXAMPLES, PRODUCT_EXAMPLES

TESTS = Path(__file__).resolve().parent / "data" / "support_everyday_14.csv"
KINDS = {
    "list_orders": "list of orders",
    "return_howto": "how to return",
    "cancel_confirm": "yes, cancel",
    "deadline": "needed by a date",
    "product_question": "product question",
    "greeting_question": "greeting and a question",
}
NEW_INTENTS = ("product_question", "list_orders", "find_product")
DELIVERY = {"how-long-does-delivery-take", "which-delivery-options-do-you-offer"}


def answered(kind: str, language: str, reply: Reply) -> bool:
    cited = reply.citations[0].id if reply.citations else None
    person = reply.handoff is not None
    return {
        "list_orders": reply.intent == "list_orders" and len(reply.orders) > 0,
        "return_howto": cited == "how-do-i-return-an-item",
        "cancel_confirm": person or reply.intent == "cancel_order",
        "deadline": person or cited in DELIVERY,
        "product_question": person,
        "greeting_question": reply.intent == "greeting" and reply.language == language,
    }[kind]


def what(reply: Reply) -> str:
    if reply.handoff:
        return "person"
    cited = reply.citations[0].id if reply.citations else "no entry"
    return f"{reply.intent}/{cited}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    # "before" is edition 2026-12-04.3: without the product examples of a later edition too
    _, models, kb_embedder = before_and_after(EVERYDAY_EXAMPLES, PRODUCT_EXAMPLES)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), kb_embedder)
    lists = Answers.load()
    old = replace(
        lists,
        intents={k: a for k, a in lists.intents.items() if k not in NEW_INTENTS},
        openers={},
        yes={},
    )
    answers = {"before": old, "after": lists}
    with TESTS.open(encoding="utf-8") as f:
        tests = [(r["language"], r["text"], r["label"]) for r in csv.DictReader(f)]
    right: dict[str, Counter[tuple[str, str]]] = {}
    misses: list[str] = []
    for name in ("before", "after"):
        bot = Assistant(models[name], knowledge, Book(), answers[name], translator=None)
        right[name] = Counter()
        for language, text, kind in tests:
            reply = bot.reply(ConversationState("C"), text)
            ok = answered(kind, language, reply)
            right[name][(language, kind)] += ok
            if name == "after" and not ok:
                misses.append(f"{language}: {text!r} ({what(reply)}, in {reply.language})")
    seconds = time.perf_counter() - started

    emit(
        "Support: everyday requests (orders list, returns, a yes to cancel, a date, a product)",
        f"`python benchmarks/bench_support_everyday.py --out benchmarks/RESULTS.md` "
        f"({seconds:.0f} s). 168 messages, 2 per kind and language "
        "(benchmarks/data/support_everyday_14.csv, written by a helper that saw no file of the "
        "project; the script's docstring says what counts as right). *before*: the defaults of "
        "edition 2026-12-04.3; *after*: with defaults/examples_everyday.csv (203 requests "
        "and 40 out-of-scope questions written by the engineer), the intents product_question "
        "(to a person) and list_orders, and the greetings' openers (a first run, before "
        "list_orders, a second walk's openers and the yes after a cancellation answer, "
        "counting the latest order told as a list: 65 -> 147). *after* is today's defaults: "
        "since edition 2026-12-05.1 also find_product (examples_products.csv; here with no "
        "product search, so it hands over as product_question does) and the FAQ's questions "
        'written in every language (its Italian and Portuguese "how do I return?" messages '
        "were seen getting the refund entry before those were written: not held out for "
        "that). The language is detected from the message (none is given). "
        "Still missed (what the reply did, its language): " + ("; ".join(misses) or "none") + ".",
        ["language", *KINDS.values(), "all"],
        before_after_rows(right, tests, list(KINDS)),
        args.out,
    )


if __name__ == "__main__":
    main()
