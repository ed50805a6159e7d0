"""Support: items missing from a parcel, a wrong item, and "when will it come?" after an order.

    python benchmarks/bench_support_missing.py [--out benchmarks/RESULTS.md]

A walk (2026-12-06) found "I ordered 12 bells but only received 10" not understood in English
or German (no person offered) and Polish asked to send the parcel back; and the Arabic follow-up
"متى سيصل؟" (when will it arrive?), after the assistant had told the customer's order, out of
scope at 0.39, where the English and German follow-ups were answered with the order.

Two changes: defaults/examples_missing.csv (111 requests written by the engineer, missing
items and wrong items, both complaints: a person checks what was packed and sends what is
owed), and in the assistant a short message (40 characters or fewer) in a conversation about an
order whose best intent is tracking or delivery time asks about that order
(`assistant._short_when`), beside the follow-up patterns it had.

Two test sets, each written by a helper (an AI model writing as native customers) that saw no
file of the project; examples within difflib 0.7 of a test message were dropped, and test
messages within 0.7 of an older default example (all of them "when" follow-ups near the
tracking examples) were left out before any run:
- *set A* (benchmarks/data/support_missing_14.csv; 3 missing-item, 2 wrong-item and 2 "when"
  messages per language, 90 of 98 kept): NOT held out. Its first run (44 examples) gave
  32 -> 59 of 90; its misses were read, and 70 more examples written after (3 of them
  dropped for standing near a message of set B).
- *set B* (benchmarks/data/support_missing_b.csv; 4, 3 and 2 per language, written after set
  A's run by a second helper asked for wider wording; 121 of 126 kept): held out, run once
  with the final examples.
Right: a missing or wrong item goes to a person; a follow-up is answered with the order the
conversation was about (customer signed in, one order told just before). *before*: the model
trained without examples_missing.csv, the follow-up patterns alone; *after*: the defaults.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from pathlib import Path

from bench_support_languages import ORDER, Book, before_after_rows, before_and_after
from report import emit

from borderless.capabilities.support import assistant as assistant_module
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, ConversationState, Reply
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.seed import MISSING_EXAMPLES

DATA = Path(__file__).resolve().parent / "data"
SETS = {"A (seen)": DATA / "support_missing_14.csv", "B (held out)": DATA / "support_missing_b.csv"}
KINDS = ("missing_items", "wrong_item", "when_arrive")


def answered(kind: str, reply: Reply) -> bool:
    if kind == "when_arrive":
        return reply.handoff is None and ORDER.id in reply.orders
    return reply.handoff is not None


def what(reply: Reply) -> str:
    if reply.handoff:
        return "person"
    told = f", order {','.join(reply.orders)}" if reply.orders else ""
    return (reply.citations[0].id if reply.citations else "no entry") + told


def state(kind: str, language: str) -> ConversationState:
    if kind != "when_arrive":
        return ConversationState("C", language)
    return ConversationState(
        "C", language, order_id=ORDER.id, last_intent="track_order",
        recent_intents=("track_order",),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    _, models, kb_embedder = before_and_after(MISSING_EXAMPLES)
    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), kb_embedder)
    short_when = assistant_module._short_when
    bots = {}
    for name in ("before", "after"):
        bots[name] = Assistant(models[name], knowledge, Book(), Answers.load(), translator=None)
    for title, path in SETS.items():
        with path.open(encoding="utf-8") as f:
            tests = [(r["language"], r["text"], r["label"]) for r in csv.DictReader(f)]
        right: dict[str, Counter[tuple[str, str]]] = {}
        misses: list[str] = []
        for name, bot in bots.items():
            if name == "before":  # the follow-up patterns alone, as before this change
                assistant_module._short_when = lambda *_: False  # type: ignore[assignment]
            right[name] = Counter()
            for language, text, kind in tests:
                reply = bot.reply(state(kind, language), text)
                ok = answered(kind, reply)
                right[name][(language, kind)] += ok
                if name == "after" and not ok:
                    misses.append(f"{language}: {text!r} ({reply.intent}: {what(reply)})")
            assistant_module._short_when = short_when
        seconds = time.perf_counter() - started
        emit(
            f"Support: items missing, a wrong item, and when the order comes, set {title}",
            f"`python benchmarks/bench_support_missing.py --out benchmarks/RESULTS.md` "
            f"({seconds:.0f} s so far). {len(tests)} messages "
            f"({path.relative_to(DATA.parent.parent)}, "
            "written by a helper that saw no file of the project; the script's docstring says "
            "which set was seen and which held out). Right: a missing or wrong item goes to a "
            "person; a short follow-up after an order was told is answered with that order. "
            "*before*: trained without defaults/examples_missing.csv, follow-ups by the "
            "patterns alone; *after*: the defaults (111 more requests, and a short question "
            "about delivery in a conversation about an order read as that order's). Still "
            "missed: " + ("; ".join(misses) or "none") + ".",
            ["language", "missing items", "wrong item", "when it comes (follow-up)", "all"],
            before_after_rows(right, tests, KINDS),
            args.out,
        )


if __name__ == "__main__":
    main()
