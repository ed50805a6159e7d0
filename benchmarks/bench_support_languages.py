"""Support in 14 languages: intent accuracy and fact preservation per language.

    python benchmarks/bench_support_languages.py [--out benchmarks/RESULTS.md] [--llm N]

Test set: benchmarks/data/support_messages_14.csv, 32 messages per language (en zh es de fr
ja pt it ko ar ru nl pl tr; 9 intents and 5 out-of-scope questions each), written by the
engineers who wrote this benchmark (not native speakers of most of them), not machine
translated, none of them in the training files (checked against the defaults and Bitext). The
first 10 per language came with the benchmark; 22 more were added later (column `written`)
and first run after every setting had been chosen: that column is data nothing was tuned on.

1. Intents: the default model (Bitext + defaults/examples.csv + defaults/oos.csv +
   defaults/examples_markets.csv, E5 + USE) trained in this run twice: without the market
   examples (the defaults before 2026-12-04) and with them. Accuracy counts an out-of-scope
   rejection as wrong.
2. Facts: every message of the set goes to the assistant (its intent model from step 1) as
   customer C with one order (581180, 2011-12-07, 4 items, GBP 139.12, placed). For each
   order reply: are the order number, the date, the amount and the status there exactly, in
   the language's CLDR form and status name (facts.py)? With the fake translator (templates
   without a written text in the language are translated with placeholders, the rest is
   tagged), and with `--llm N`, N order replies per language through the default engine
   (Bergamot / the local LLM), beside the previous way: the whole English reply translated.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from report import emit

from borderless.backends.base import Embedder, Purpose, Translator, Vectors
from borderless.backends.fake import FakeTranslator
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import (
    ORDER_NUMBER,
    Assistant,
    ConversationState,
    OrderSummary,
    for_intent,
)
from borderless.capabilities.support.examples import LabelledText, read_labelled
from borderless.capabilities.support.facts import LANGUAGES, format_day, status_name
from borderless.capabilities.support.intents import train_intents
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.seed import MARKET_EXAMPLES, seed_examples
from borderless.config import load_settings
from borderless.languages import MARKET_LANGUAGES
from borderless.wiring import Services

ROOT = Path(__file__).resolve().parent
DATA = Path("../shared/data")
MESSAGES = ROOT / "data" / "support_messages_14.csv"
REQUESTS = ROOT / "data" / "support_requests_27.csv"
NUMBERED = ROOT / "data" / "support_messages_numbers.csv"
# the order-number pattern before 2026-12-03: a number against CJK words was not read
OLD_ORDER_NUMBER = re.compile(r"(?<![\w-])([A-Za-z]?\d{5,12})(?![\w-])")
ORDER = OrderSummary("581180", datetime(2011, 12, 7, 15, 52), 4, Decimal("139.12"), "GBP", False)
ORDER_INTENTS = {"track_order", "cancel_order", "get_invoice", "change_order", "track_refund"}


class Remembered(Embedder):
    """The same embedder, each text embedded once for both trainings."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dimension = inner, inner.name, inner.dimension
        self.seen: dict[tuple[str, str], Vectors] = {}

    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        new = list(dict.fromkeys(t for t in texts if (t, purpose) not in self.seen))
        if new:
            for text, row in zip(new, self.inner.embed_batch(new, purpose), strict=True):
                self.seen[(text, purpose)] = row
        return np.vstack([self.seen[(t, purpose)] for t in texts]).astype(np.float32)


def seeded() -> tuple[Services, list[Embedder], list[LabelledText]]:
    """The benchmarks' services (the shared data folder, 2 threads), the intent embedders with
    each text embedded once for every training, and the default seed examples."""
    settings = load_settings(shared_data_dir=DATA.resolve(), llm_threads=2)
    services = Services(settings)
    embedders: list[Embedder] = [Remembered(e) for e in services.intent_embedders()]
    return services, embedders, seed_examples(settings.shared_data_dir)


def default_trained() -> tuple[Services, Any]:
    """The benchmarks' services and the default intent model, trained as the shop trains it."""
    services, embedders, seed = seeded()
    return services, train_intents(seed, embedders)


class Book:
    def orders_of(self, customer_id: str, order_id: str | None = None) -> list[OrderSummary]:
        return [ORDER] if order_id in (None, ORDER.id) else []


FIRST = "first set"


def before_and_after(*examples: str) -> tuple[Services, dict[str, Any], Embedder]:
    """The benchmarks' services, the default intent model trained without the defaults files
    `examples` ("before") and with them ("after"), and the knowledge base's embedder (each
    text embedded once)."""
    services, embedders, seed = seeded()
    new = {e.text for name in examples for e in read_labelled(DEFAULTS / name)}
    models = {
        "before": train_intents([e for e in seed if e.text not in new], embedders),
        "after": train_intents(seed, embedders),
    }
    kb_embedder = Remembered(services.backends.embedder(services.settings.embeddings))
    return services, models, kb_embedder


def before_after_rows(
    right: dict[str, Counter[tuple[str, str]]], tests: list[tuple[str, str, str]],
    kinds: Sequence[str],
) -> list[str]:  # fmt: skip
    """Table rows, one a market language and "all": per kind of message (the third field of
    each test) and in all, how many of them `right["before"]` and `right["after"]` got."""

    def cell(name: str, kind: str | None, language: str | None) -> str:
        asked = [t for t in tests if kind in (None, t[2]) and language in (None, t[0])]
        n = sum(v for (lang, k), v in right[name].items()
                if kind in (None, k) and language in (None, lang))  # fmt: skip
        return f"{n}/{len(asked)}"

    def row(language: str | None) -> str:
        cells = [f"{cell('before', k, language)} -> **{cell('after', k, language)}**"
                 for k in (*kinds, None)]  # fmt: skip
        return f"| {language or 'all'} | " + " | ".join(cells) + " |"

    return [row(language) for language in (*MARKET_LANGUAGES, None)]


def read_messages() -> list[tuple[str, LabelledText, bool]]:
    """(language, message, whether it is of the first set)"""
    with MESSAGES.open(encoding="utf-8") as f:
        return [(r["language"], LabelledText(r["text"], r["label"]), r["written"] == FIRST)
                for r in csv.DictReader(f)]  # fmt: skip


def accuracy(model: Any, messages: list[tuple[str, LabelledText, bool]]) -> dict[str, list[bool]]:
    """language -> whether each of its messages got its intent, in file order (each read as
    the assistant reads it: without its order number)."""
    said = model.predict([for_intent(m.text) for _, m, _ in messages])
    right: dict[str, list[bool]] = defaultdict(list)
    for (language, m, _), p in zip(messages, said, strict=True):
        right[language].append(p.label == m.label)
    return dict(right)


def same_answer(
    model: Any, messages: list[tuple[str, LabelledText, bool]]
) -> dict[str, list[bool]]:
    """language -> whether each message gets the answer its intent gets (the same action,
    knowledge entry and handoff reason in defaults/answers.json): "someone from customer
    service" read as contact_customer_service hands off to a person as contact_human_agent
    does."""
    actions = Answers.load().intents
    said = model.predict([for_intent(m.text) for _, m, _ in messages])
    right: dict[str, list[bool]] = defaultdict(list)
    for (language, m, _), p in zip(messages, said, strict=True):
        wanted, got = actions.get(m.label), actions.get(p.label)
        right[language].append(p.label == m.label or (wanted is not None and wanted == got))
    return dict(right)


def wilson(right: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of a share right/n."""
    if n == 0:
        return 0.0, 0.0
    p = right / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def facts_kept(text: str, language: str, money: str) -> bool:
    """Order number, CLDR date, amount and status name of `language`, all exactly."""
    wanted = [ORDER.id, format_day(ORDER.placed_at, language), money,
              status_name("placed", language)]  # fmt: skip
    return all(w in text for w in wanted)


def money_in(language: str) -> str:
    from borderless.capabilities.support.facts import format_money

    return format_money(ORDER.total, ORDER.currency, language)


def old_way(translator: Translator, language: str) -> str:
    """What the assistant did before: the English reply, ISO date, translated whole."""
    english = (f"Order {ORDER.id} was placed on 2011-12-07: 4 item(s), total £139.12. "
               "Status: placed.")  # fmt: skip
    return translator.translate_batch([english], "en", language)[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path)
    parser.add_argument("--llm", type=int, default=0, help="order replies per language via LLM")
    args = parser.parse_args()
    services, embedders, seed = seeded()
    settings = services.settings
    messages = read_messages()
    markets = {e.text for e in read_labelled(DEFAULTS / MARKET_EXAMPLES)}
    old = [e for e in seed if e.text not in markets]  # the defaults before 2026-12-04
    started = time.perf_counter()
    before = train_intents(old, embedders)
    after = train_intents(seed, embedders)
    seconds = time.perf_counter() - started
    acc_before, acc_after = accuracy(before, messages), accuracy(after, messages)
    answered = same_answer(after, messages)
    said = after.predict([for_intent(m.text) for _, m, _ in messages])
    in_scope = [(m, p) for (_, m, _), p in zip(messages, said, strict=True) if m.label != "oos"]
    rejected = sum(p.label == "oos" for _, p in in_scope)
    print("intents, old examples:", acc_before, "\nintents, new:", acc_after, flush=True)

    knowledge = KnowledgeBase(read_knowledge(DEFAULTS / "faq.md"), embedders[0])
    bot = Assistant(after, knowledge, Book(), translator=FakeTranslator())
    replies: dict[str, list[bool]] = defaultdict(list)
    for language, m, _ in messages:
        reply = bot.reply(ConversationState("C", language), m.text)
        if reply.intent in ORDER_INTENTS and reply.orders:
            replies[language].append(facts_kept(reply.text, language, money_in(language)))
    llm_new: dict[str, list[bool]] = defaultdict(list)
    llm_old: dict[str, list[bool]] = defaultdict(list)
    if args.llm:
        engine = services.backends.translator(settings.translator)
        real = Assistant(after, knowledge, Book(), translator=engine)
        for language in LANGUAGES:
            asked = [m.text for lang, m, _ in messages if lang == language
                     and m.label == "track_order"][: args.llm]  # fmt: skip
            for text in asked:
                reply = real.reply(ConversationState("C", language), text)
                if reply.orders:
                    llm_new[language].append(facts_kept(reply.text, language, money_in(language)))
                if language != "en":
                    said = old_way(engine, language)
                    llm_old[language].append(
                        ORDER.id in said and "139" in said
                        and ("2011-12-07" in said or format_day(ORDER.placed_at, language) in said)
                    )  # fmt: skip
                    print(language, "| new:", reply.text[:160], "| old:", said[:160], flush=True)

    def pct(values: dict[str, Any], language: str) -> str:
        v = values.get(language)
        if not v:
            return "–"
        return f"{sum(v)}/{len(v)}"

    first = {lang: [f for l2, _, f in messages if l2 == lang] for lang in LANGUAGES}

    def share(right: list[bool]) -> str:
        return f"{100 * sum(right) / len(right):.0f}%" if right else "–"

    def part(values: dict[str, list[bool]], language: str, of_first: bool) -> str:
        kept = [r for r, f in zip(values[language], first[language], strict=True)
                if f == of_first]  # fmt: skip
        return share(kept)

    rows = []
    for lang in LANGUAGES:
        low, high = wilson(sum(acc_after[lang]), len(acc_after[lang]))
        rows.append("| " + " | ".join([
            lang, share(acc_before[lang]), f"**{share(acc_after[lang])}**",
            f"{100 * low:.0f}-{100 * high:.0f}%", part(acc_after, lang, True),
            part(acc_after, lang, False), share(answered[lang]), pct(replies, lang),
            pct(llm_old, lang),
            pct(llm_new, lang)]) + " |")  # fmt: skip

    def total(found: dict[str, list[bool]]) -> str:
        return f"{sum(map(sum, found.values()))}/{sum(map(len, found.values()))}"

    every_b = [r for v in acc_before.values() for r in v]
    every_a = [r for v in acc_after.values() for r in v]
    first_a = [
        r for lang in LANGUAGES for r, f in zip(acc_after[lang], first[lang], strict=True) if f
    ]
    added_a = [
        r for lang in LANGUAGES for r, f in zip(acc_after[lang], first[lang], strict=True) if not f
    ]
    low, high = wilson(sum(every_a), len(every_a))
    rows.append(f"| all | {share(every_b)} | **{share(every_a)}** | "
                f"{100 * low:.0f}-{100 * high:.0f}% | {share(first_a)} | {share(added_a)} | "
                f"{share([r for v in answered.values() for r in v])} | "
                f"{total(replies)} | {total(llm_old)} | {total(llm_new)} |")  # fmt: skip
    emit(
        "Support in 14 languages: intents and facts",
        f"`python benchmarks/bench_support_languages.py --out benchmarks/RESULTS.md --llm "
        f"{args.llm}`. {len(messages)} support messages written for this benchmark "
        f"({len(messages) // len(LANGUAGES)} per language, benchmarks/data/"
        "support_messages_14.csv; none in the training files): the first 10 per language came "
        "with the benchmark, 22 more (5 out-of-scope questions among the 32) were written "
        "later and first run here, after every setting had been chosen. Intent accuracy "
        "(out of scope counts as wrong) of the default model trained without and with "
        "defaults/examples_markets.csv (2026-12-04: 4 requests per intent and 10 out-of-scope "
        "messages in each of the 13 other languages, written by helpers that never saw the "
        "test sets; the 170 within difflib 0.7 of a test message dropped, 1,364 kept: "
        "capabilities/support/seed.py; both columns with examples_problems.csv, a damaged "
        "item, a double charge, a lost parcel, and examples_everyday.csv, edition "
        "2026-12-04.4: a list of orders, how to return, a yes to cancel, a date, a product "
        "question). Without them, the "
        "defaults as they were: Bitext, "
        "examples.csv (8 requests and 1 out-of-scope per language beyond en de fr es zh; "
        "Arabic and Turkish, then the lowest at 67% and 80%, 14 more requests and 2 "
        "out-of-scope each on 2026-12-03, 3 Turkish ones equal to test messages and 12 near "
        "ones reworded first; and 2 refund-policy requests per language, below) and oos.csv; "
        "both E5 + USE, same run "
        f"({seconds:.0f} s for both). Facts: order replies with order number, CLDR date, "
        "amount and status name all present exactly; fake translator on every order reply, "
        "and the default engine on N 'where is my order' messages per language beside the "
        "previous way (whole English reply translated; counted kept when the number, 139 and "
        "the ISO or the right CLDR date survive). *same answer*: the predicted intent gets the "
        "answer the right one gets (defaults/answers.json: contact_customer_service and "
        "contact_human_agent both hand off to a person). The commonest error: an in-scope "
        f"message rejected as out of scope ({rejected} of {len(in_scope)} in-scope messages). "
        "Refund policy: a Turkish shopper's 'İade politikanız nedir?' was rejected as out of "
        "scope (check_refund_policy was taught by the English Bitext rows alone), so 2 "
        "refund-policy questions per language were added to the test set (written "
        "2026-12-03, before the examples), then 26 examples (2 per other language; 7 within "
        "difflib 0.7 of a test message reworded first): the defaults got 18/28 of those "
        "questions before the examples and 26/28 after (trained as the service trains them, "
        "outside this script); the two still missed are German 'Wie sieht Ihre "
        "Erstattungsrichtlinie aus?' and Turkish 'İade politikanız nasıl işliyor?' (as is "
        "'İade politikanız nedir?' itself).",
        [
            "language",
            "intents, before the market examples",
            "intents, default",
            "95% interval",
            "default, first 10",
            "default, added later",
            "default, same answer",
            "facts (fake engine)",
            "facts, old way (engine)",
            "facts, new way (engine)",
        ],
        rows,
        args.out,
    )
    numbered(after, args.out)
    requests(before, after, args.out)


def requests(before: Any, after: Any, out: Path | None) -> None:
    """A second test set, all 27 intents and out of scope: accuracy without and with the
    market examples."""
    with REQUESTS.open(encoding="utf-8") as f:
        rows = [(r["language"], r["text"], r["label"]) for r in csv.DictReader(f)]
    texts = [for_intent(t) for _, t, _ in rows]
    said = {name: model.predict(texts) for name, model in (("before", before), ("after", after))}
    table = []
    for lang in [*LANGUAGES, "all"]:
        picked = [i for i, (language, _, _) in enumerate(rows) if lang in ("all", language)]
        cells = []
        for oos in (False, True):
            asked = [i for i in picked if (rows[i][2] == "oos") == oos]
            for name in ("before", "after"):
                right = sum(said[name][i].label == rows[i][2] for i in asked)
                cells.append(f"{right}/{len(asked)}" if oos else f"{100 * right / len(asked):.0f}%")
        cells[1] = f"**{cells[1]}**"
        table.append(f"| {lang} | {len(picked)} | " + " | ".join(cells) + " |")
    emit(
        "Support in 14 languages: a second request set, 27 intents",
        "`python benchmarks/bench_support_languages.py` (the same run and models as the first "
        "section). benchmarks/data/support_requests_27.csv: requests for all 27 Bitext "
        "intents and out-of-scope messages in the 14 languages, written on 2026-12-04 by a "
        "helper (an AI model writing as native customers) apart from the one that wrote "
        "defaults/examples_markets.csv, from the same brief (so alike in style: a kind "
        "reading); of its 1,652, those equal to a Bitext request or within difflib 0.7 of a "
        "request of the defaults (examples.csv, oos.csv, examples_markets.csv) were dropped "
        "(529), 1,123 kept. It chose one setting: the share of the examples that makes a "
        "language the main head's (capabilities/support/intents.py, LANGUAGE_SHARE 1%: 1,030 "
        "right against 984 at 5%, this run's default column is that choice), so it is "
        "validation data, not held out. *in scope*: share of the in-scope "
        "requests that get their intent (27 intents, an out-of-scope reading counts as wrong); "
        "*out of scope*: out-of-scope messages read as such.",
        [
            "language",
            "requests",
            "in scope, before the market examples",
            "in scope, default",
            "out of scope, before",
            "out of scope, default",
        ],
        table,
        out,
    )


def numbered(model: Any, out: Path | None) -> None:
    """Messages with an order number, for intents other than tracking: the intent as typed
    (the assistant before) and as the assistant now reads it (the number taken out), and
    whether the number is read at all (the old pattern beside the new)."""
    with NUMBERED.open(encoding="utf-8") as f:
        rows = [(r["language"], r["text"], r["label"]) for r in csv.DictReader(f)]
    typed = model.predict([t for _, t, _ in rows])
    read = model.predict([for_intent(t) for _, t, _ in rows])
    by: dict[str, list[tuple[bool, bool, bool, bool]]] = defaultdict(list)
    for (language, text, label), a, b in zip(rows, typed, read, strict=True):
        old = [m.group(1) for m in OLD_ORDER_NUMBER.finditer(text)] == [ORDER.id]
        new = [m.group(1) for m in ORDER_NUMBER.finditer(text)] == [ORDER.id]
        by[language].append((a.label == label, b.label == label, old, new))
    table = []
    for lang in [*LANGUAGES, "all"]:
        got = by[lang] if lang != "all" else [r for v in by.values() for r in v]
        cells = [f"{sum(r[k] for r in got)}/{len(got)}" for k in range(4)]
        cells[1] = f"**{cells[1]}**"
        table.append(f"| {lang} | " + " | ".join(cells) + " |")
    emit(
        "Support in 14 languages: messages with an order number",
        "`python benchmarks/bench_support_languages.py` (the same run as the section above, its "
        "default model). benchmarks/data/support_messages_numbers.csv: 42 messages written on "
        "2026-12-03 (3 per language: cancel, refund, invoice, each naming order 581180), after "
        "a German cancellation with its order number was answered as a tracking question; none "
        "in the training files, nothing tuned on them. *as typed*: the intent model on the "
        "message as the assistant gave it before; *as read*: without the order number "
        "(`support.assistant.for_intent`: the examples with a number are mostly tracking "
        "questions, so a number pulled a message the model reads less well toward tracking). "
        "*number read*: the order number found in the text, by the pattern before (a number "
        'written against Chinese, Japanese or Korean words, "订单581180", was not read, and '
        "the customer's latest order was answered instead) and now.",
        [
            "language",
            "intent, as typed",
            "intent, as read",
            "number read, before",
            "number read, now",
        ],
        table,
        out,
    )


if __name__ == "__main__":
    main()
