"""The copywriter: prompt from the product's facts, generate, check, apply the policy.

Policies for copy that states something the facts do not back:
- ``regenerate`` (default): ask again, telling the model what it got wrong, up to `retries`
  times; then drop the sentences that still break the facts;
- ``drop``: drop those sentences at once;
- ``report``: keep the text and list the violations.
Copy in the wrong language cannot be mended by dropping: it stays listed as a violation.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from borderless.backends.base import ChatMessage, GenerationRequest, Generator
from borderless.capabilities.catalog.attributes import Vocabulary
from borderless.capabilities.catalog.checks import visible
from borderless.capabilities.catalog.records import Market
from borderless.capabilities.copywrite.facts import Facts
from borderless.capabilities.copywrite.grounding import (
    Grounding,
    Violation,
    check_copy,
    sentences,
)
from borderless.capabilities.copywrite.kinds import (
    TONES,
    WIDE_LANGUAGES,
    CopyKind,
    Templates,
    copy_kind,
    length_report,
)
from borderless.capabilities.verdict import Reason, Verdict, judge
from borderless.errors import InvalidInput
from borderless.languages import language_name

__all__ = ["POLICIES", "CopyDraft", "CopyRequest", "CopyWriter", "edited_draft"]

POLICIES = ("regenerate", "drop", "report")
_FENCE = re.compile(r"^```\w*\s*|\s*```$")
_PREAMBLE = re.compile(
    r"^(sure|certainly|here(’|')?s|here is|of course|好的|当然|以下是|gerne|hier ist)"
    r"\b.*?[:：]\s*\n",
    re.IGNORECASE,
)
# A first clause that names what the model was asked to write, up to its colon: the prompt
# echoed ("Sleutel aan een warme en vriendelijke meta beschrijving voor Nederlandse shoppers:
# De Polyester ...", a walk); in any of the 14 languages
_ASKED = re.compile(
    r"^[^:：\n]{0,140}?\b(?:meta[ -]?(?:description|beschrijving|beschreibung|descripción|"
    r"descrição|descrizione|opis|описание|açıklama)|product description|beschrijving|"
    r"produktbeschreibung|beschreibung|description (?:du|de) produit|descripción|descrição|"
    # the model announcing its answer ("Voici une nouvelle description en français, sans les
    # points ajoutés : La lanterne ...", a walk: approved as copy)
    r"(?:voici|voilà|here is|here's|ecco|aquí (?:está|tienes)|aqui está|hier is|oto)\b"
    r"[^:：\n]{0,60}?\b(?:description|descriptions|texte|version|text|descrizione|testo|descripción|texto|"
    r"descrição|beschrijving|tekst|opis)|"
    r"descrizione|opis produktu|описание|ürün açıklaması|seo[ -]?(?:title|titel|título|titre|"
    r"titolo|tytuł|заголовок|başlığı?)|ad (?:text|copy|headline)|headline|slogan)\b"
    r"[^:：\n]{0,80}[:：]\s*(?=\S)"
    r"|^[^:：\n]{0,60}(?:商品描述|产品描述|描述|文案|商品説明|説明文|상품 설명|설명|وصف المنتج)"
    r"[^:：\n]{0,40}[:：]\s*(?=\S)",
    re.IGNORECASE,
)
# a label before the copy ("Description: ...", "Produktbeschreibung: ..."): one to three words,
# each capitalised, or a short word of a script without capitals ("描述："). A phrase of the
# copy itself ("Perfect for tea lovers: this mug ...") was taken away as a label.
_LABEL = re.compile(
    r"^\s*(?:[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,2}|[^\W\d_]{1,8})\s*[:：]\s*(?=\S)"
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s*")


MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class CopyRequest:
    kind: str = "description"
    language: str = "en"
    market: Market | None = None
    tone: str = "friendly"
    length: str = "medium"
    temperature: float = 0.7
    top_p: float = 0.9
    max_tokens: int | None = None
    seed: int | None = None
    n: int = 1
    policy: str = "regenerate"
    retries: int = 1

    def validate(self) -> None:
        kind = copy_kind(self.kind)
        language_name(self.language, "language")
        if self.tone not in TONES:
            raise InvalidInput(
                f"unknown tone {self.tone[:40]!r}; known: {', '.join(TONES)}", field="tone"
            )
        if len(kind.bounds) > 1 and self.length not in kind.bounds:
            raise InvalidInput(
                f"unknown length {self.length[:40]!r}; known: {', '.join(kind.bounds)}",
                field="length",
            )
        if self.policy not in POLICIES:
            raise InvalidInput(
                f"unknown policy {self.policy[:40]!r}; known: {', '.join(POLICIES)}", field="policy"
            )
        if not 0.0 <= self.temperature <= 2.0:
            raise InvalidInput("temperature must lie in [0, 2]", field="temperature")
        if not 0.0 < self.top_p <= 1.0:
            raise InvalidInput("top_p must lie in (0, 1]", field="top_p")
        if not 1 <= self.n <= 8:
            raise InvalidInput("n (variants) must lie in 1..8", field="n")
        if self.max_tokens is not None and not 8 <= self.max_tokens <= 4096:
            raise InvalidInput("max_tokens must lie in 8..4096", field="max_tokens")
        if not 0 <= self.retries <= 5:
            raise InvalidInput("retries must lie in 0..5", field="retries")
        # a seed is stored with the copy, and variant i of attempt k runs with seed + i + 1000 k
        if self.seed is not None and not 0 <= self.seed <= MAX_SEED:
            raise InvalidInput(f"seed must lie in 0..{MAX_SEED}", field="seed")


@dataclass
class CopyDraft:
    sku: str
    kind: str
    language: str
    text: str
    grounding: Grounding
    length: dict[str, Any]
    model: str
    template: str
    options: dict[str, Any]
    actions: list[str] = field(default_factory=list)  # what the policy did
    attempts: int = 1
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    verdict: Verdict | None = None  # spelling, placeholders, untranslated words, language
    # The model's first answer stated something the facts do not back (before the policy
    # mended it): what monitoring counts of the generator (copy_unbacked).
    first_unbacked: bool = False
    facts: str = ""  # Facts.mark of the facts it was written from and checked against

    def as_dict(self) -> dict[str, Any]:
        verdict = {"verdict": self.verdict.as_dict()} if self.verdict is not None else {}
        return {
            "sku": self.sku, "kind": self.kind, "language": self.language, "text": self.text,
            "grounding": self.grounding.as_dict() | {"actions": self.actions, "facts": self.facts}
            | verdict,
            "length": self.length, "model": self.model, "template": self.template,
            "options": self.options, "attempts": self.attempts,
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
            "seconds": round(self.seconds, 2),
        }  # fmt: skip


def _a_label(found: str) -> bool:
    """Whether the words before a colon are a label: each capitalised ("Product Description",
    "Titre"), or written in a script without capitals."""
    words = re.findall(r"[^\W\d_][\w-]*", found)
    return all(w[0].isupper() or not w[0].islower() for w in words)


def clean(text: str, lines: bool) -> str:
    """The copy without what chat models wrap around it: fences, preambles, labels, markdown."""
    text = _FENCE.sub("", text.strip()).strip()
    text = _PREAMBLE.sub("", text, count=1).strip()
    text = _ASKED.sub("", text, count=1).strip()
    text = text.replace("**", "").replace("__", "").strip().strip('"“”「」').strip()
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if lines:
            line = "- " + _BULLET.sub("", line)
        elif not out and (label := _LABEL.match(line)) and _a_label(label.group(0)):
            line = line[label.end() :]
        out.append(line)
    return _once("\n".join(out) if lines else "\n\n".join(out))


def _length_text(kind: CopyKind, low: int, high: int, language: str) -> str:
    """The length in the prompt: words in most languages, characters in Chinese/Japanese."""
    if kind.unit == "words" and language in WIDE_LANGUAGES:
        return f"{2 * low} to {2 * high} characters (字), two to four sentences"
    if kind.unit == "words":
        return f"{low} to {high} words"
    return f"{low} to {high} characters" if low > 10 else f"at most {high} characters"


def _once(text: str) -> str:
    """`text` without sentences it repeats (small models loop)."""
    seen: set[str] = set()
    repeats = []
    for start, end in sentences(text):
        key = " ".join(text[start:end].split()).casefold()
        if key in seen:
            repeats.append((start, end))
        seen.add(key)
    return _without(text, repeats) if repeats else text


def drop_sentences(text: str, grounding: Grounding) -> tuple[str, list[str]]:
    """`text` without the sentences that hold a violation (other than the language)."""
    spans = [(v.start, v.end) for v in grounding.violations if v.kind != "language"]
    doomed = [(a, b) for a, b in sentences(text) if any(a <= s < b for s, _ in spans)]
    return _without(text, doomed), [text[a:b].strip() for a, b in doomed]


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with these spans cut out, white space tidied."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class CopyWriter:
    """Writes copy of one kind for one product with a Generator, checked against its facts."""

    def __init__(
        self, generator: Generator, vocabulary: Vocabulary, templates: Templates | None = None
    ) -> None:
        self.generator = generator
        self.vocabulary = vocabulary
        self.templates = templates or Templates()

    # -- prompts ------------------------------------------------------------------------
    def _values(self, facts: Facts, request: CopyRequest) -> dict[str, str]:
        kind = copy_kind(request.kind)
        low, high = kind.target(request.length)
        market = request.market
        return {
            "language_name": language_name(request.language, "language"),
            "market_name": market.name if market else "any country",
            "currency": market.currency if market else "",
            "tone": TONES[request.tone],
            "min_length": str(low),
            "max_length": str(high),
            "length": _length_text(kind, low, high, request.language),
            "facts": facts.prompt_text(),
            "title": facts.title,
        }

    def prompt(self, facts: Facts, request: CopyRequest) -> tuple[GenerationRequest, str]:
        """The chat request for one variant, and the id of the template that made it."""
        generation, template, _ = self._prompt(facts, request)
        return generation, template

    def _prompt(
        self, facts: Facts, request: CopyRequest
    ) -> tuple[GenerationRequest, str, dict[str, str]]:
        request.validate()
        values = self._values(facts, request)
        template = self.templates.get(request.kind)
        system = self.templates.get("system").render(values)
        kind = copy_kind(request.kind)
        return (
            GenerationRequest(
                messages=(
                    ChatMessage("system", system),
                    ChatMessage("user", template.render(values)),
                ),
                max_tokens=request.max_tokens or kind.tokens(request.length),
                temperature=request.temperature,
                top_p=request.top_p,
                seed=request.seed,
            ),
            template.id,
            values,
        )

    def _retry(self, base: GenerationRequest, answer: str, grounding: Grounding,
               values: dict[str, str], attempt: int) -> GenerationRequest:  # fmt: skip
        problems = "; ".join(sorted({f'"{v.span}" ({v.kind})' for v in grounding.violations}))
        note = self.templates.get("retry").render(values | {"problems": problems})
        seed = None if base.seed is None else base.seed + 1000 * attempt
        messages = (*base.messages, ChatMessage("assistant", answer), ChatMessage("user", note))
        return replace(base, messages=messages, seed=seed)

    # -- writing ------------------------------------------------------------------------
    def write(self, facts: Facts, request: CopyRequest) -> list[CopyDraft]:
        """`request.n` variants, each checked and mended by the policy."""
        request.validate()
        seed = request.seed if request.seed is not None else random.randrange(2**31)
        variants = (replace(request, seed=seed + i) for i in range(request.n))
        return [self._finish(facts, v, self._prompt(facts, v), None) for v in variants]

    def stream(self, facts: Facts, request: CopyRequest) -> Iterator[tuple[str, Any]]:
        """Events of one variant: ("text", piece) as the first attempt is generated, then
        ("retry", violations) for each new attempt, and last ("draft", CopyDraft)."""
        request.validate()
        if request.n != 1:
            raise InvalidInput("streaming writes one variant at a time (n=1)", field="n")
        prompt = self._prompt(facts, request)
        started = time.perf_counter()
        pieces: list[str] = []
        for piece in self.generator.stream(prompt[0]):
            pieces.append(piece)
            yield "text", piece
        first = ("".join(pieces), len(pieces), time.perf_counter() - started)
        events: list[tuple[str, Any]] = []
        draft = self._finish(facts, request, prompt, first, events.append)
        yield from events
        yield "draft", draft

    def _finish(
        self,
        facts: Facts,
        request: CopyRequest,
        prompt: tuple[GenerationRequest, str, dict[str, str]],
        first: tuple[str, int, float] | None,
        notify: Any = None,
    ) -> CopyDraft:
        kind = copy_kind(request.kind)
        generation, template, values = prompt
        started = time.perf_counter()
        prompt_tokens = completion = 0
        if first is None:
            answer = self.generator.generate(generation)
            raw, prompt_tokens, completion = (
                answer.text,
                answer.prompt_tokens,
                answer.completion_tokens,
            )
            model = answer.model
        else:
            raw, completion, spent = first
            started -= spent
            model = self.generator.name
        text = clean(raw, kind.lines)
        grounding = check_copy(text, request.language, facts, self.vocabulary)
        first_unbacked = any(v.kind != "language" for v in grounding.violations)
        actions: list[str] = []
        attempts = 1
        best = (text, grounding)
        while not grounding.ok and request.policy == "regenerate" and attempts <= request.retries:
            if notify:
                notify(("retry", [v.span for v in grounding.violations]))
            actions.append(
                f"regenerated: {', '.join(sorted({v.span for v in grounding.violations}))}"
            )
            generation = self._retry(generation, raw, grounding, values, attempts)
            attempts += 1
            answer = self.generator.generate(generation)
            raw = answer.text
            prompt_tokens += answer.prompt_tokens
            completion += answer.completion_tokens
            text = clean(raw, kind.lines)
            grounding = check_copy(text, request.language, facts, self.vocabulary)
            if len(grounding.violations) <= len(best[1].violations):
                best = (text, grounding)
        text, grounding = best
        if not grounding.ok and request.policy != "report":
            text, dropped = drop_sentences(text, grounding)
            actions += [f"dropped: {d}" for d in dropped]
            checked_before = grounding.checked
            grounding = check_copy(text, request.language, facts, self.vocabulary)
            grounding.checked = checked_before + [
                c for c in grounding.checked if c not in checked_before
            ]
        if not text.strip():
            grounding.violations.append(
                Violation("empty", "", 0, 0, "nothing was left that the facts back")
            )
        options = {
            "tone": request.tone,
            "length": request.length,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "seed": request.seed,
            "policy": request.policy,
            "market": request.market.code if request.market else None,
        }
        report = length_report(text, kind, request.length, request.language)
        dropped_any = any(a.startswith("dropped: ") for a in actions)
        return CopyDraft(
            facts.sku, request.kind, request.language, text, grounding,
            report, model, template,
            options, actions, attempts, prompt_tokens, completion, time.perf_counter() - started,
            copy_verdict(text, request.language, facts, report, cut=dropped_any),
            first_unbacked, facts.mark,
        )  # fmt: skip


def copy_verdict(
    text: str,
    language: str,
    facts: Facts,
    length: Mapping[str, object] | None = None,
    cut: bool = False,
) -> Verdict:
    """The verdict on copy: the product's title is its source (its words must not stand in
    copy of another language unless they are the brand). With its `length` report: copy of a
    kind counted in characters over its most needs review, and so does copy the policy `cut`
    (dropped sentences from) or the model wrote under half the asked length, a stub (a walk
    approved a Spanish description cut to "¡Hola! ¡¡No dudes en comprarlo!", 5 words of 30
    to 70, without an override; another saw "30 words (70-140)" beside a green verdict)."""
    verdict = judge(text, language, facts.title, facts.language, keep=tuple(facts.brands),
                    compare_length=False)  # fmt: skip
    if not length:
        return verdict
    actual, low, high = (int(str(length[k])) for k in ("actual", "min", "max"))
    if length.get("unit") == "characters" and actual > high:
        # a title or meta description over its characters is cut off by search engines and
        # shops (an attack: a 73-character SEO title of 60 named no length)
        said = f"{actual} characters, at most {high} for this kind"
        verdict = replace(verdict, reasons=(*verdict.reasons, Reason("length", said)))
    if actual * 2 < low:
        # under half the asked length, however it came to be: "30 words (70-140)" was shown
        # beside a green verdict (a walk)
        how = "left after dropping unbacked sentences" if cut else "written"
        said = f"{actual} {length['unit']} {how}, asked {low} to {high}"
        verdict = replace(verdict, reasons=(*verdict.reasons, Reason("length", said, str(actual))))
    return verdict


def edited_draft(
    facts: Facts, vocabulary: Vocabulary, kind: str, language: str, text: str,
    options: dict[str, Any],
) -> CopyDraft:  # fmt: skip
    """A person's edit as a new draft, checked against the facts like generated copy."""
    if not visible(text):  # a zero-width space was approved as copy (an attack)
        raise InvalidInput("the edited text is empty (or only invisible characters)",
                           field="text")  # fmt: skip
    spec = copy_kind(kind)
    text = text.strip()
    grounding = check_copy(text, language, facts, vocabulary)
    length = str(options.get("length") or "medium")
    # a person's length is their choice: their edit is not held for it
    return CopyDraft(
        facts.sku, kind, language, text, grounding, length_report(text, spec, length, language),
        "person", "edit", options, ["edited by a person"], 0,
        verdict=copy_verdict(text, language, facts), facts=facts.mark,
    )  # fmt: skip
