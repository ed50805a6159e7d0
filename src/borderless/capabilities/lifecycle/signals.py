"""Quality signals recorded where a model answers, by wrapping it behind the same interface:
intent confidence, out-of-scope rate, messages in a language the model was not trained on (the
language-drift signal), each message's embedding distance to the training data's mean (the
embedding-drift signal, alerting above a line kept with the model version), the assistant's
handoff rate, each machine translation's quality estimate and verdict, each copy draft's grounding
and verdict, and recommendation requests answered with fewer items than asked. Each reads what the
model's answer already carries: no extra model call on the request path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from borderless.capabilities.lifecycle.monitor import Monitor

__all__ = [
    "CAPABILITY_TASKS",
    "WatchedClassifier",
    "watch_copy",
    "watch_recommendations",
    "watch_replies",
    "watch_translations",
]

# The model task whose version a capability's requests are counted under.
CAPABILITY_TASKS = {"support": "intents", "reviews": "sentiment", "risk": "risk"}


class WatchedClassifier:
    """An intent classifier that reports each prediction's confidence, scope, language and
    embedding drift; the version's drift line (from its model card) joins `monitor.limits`."""

    def __init__(self, inner: Any, monitor: Monitor, version: str) -> None:
        from borderless.capabilities.lifecycle.drift import threshold

        self.inner = inner
        self.monitor = monitor
        self.version = version
        card = getattr(inner, "card", None)
        line = threshold(card) if isinstance(card, dict) else None
        if line is not None:
            monitor.limits[("support", version)] = [line]

    def predict(self, texts: Sequence[str], vectors: Any = None) -> list[Any]:
        found: list[Any] = self.inner.predict(texts, vectors)
        for p in found:
            self.monitor.signal("support", self.version, "confidence", p.confidence)
            self.monitor.signal("support", self.version, "out_of_scope", float(p.label == "oos"))
            foreign = float(p.head == "cross-lingual")
            self.monitor.signal("support", self.version, "foreign_language", foreign)
            if getattr(p, "drift", None) is not None:
                self.monitor.signal("support", self.version, "embedding_drift", p.drift)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def watch_replies(assistant: Any, monitor: Monitor, version: Callable[[], str]) -> None:
    """Count the assistant's handoffs to a person (one observation per reply)."""
    inner = assistant.reply

    def reply(*args: Any, **kwargs: Any) -> Any:
        answer = inner(*args, **kwargs)
        monitor.signal("support", version(), "handoff", float(bool(answer.handoff)))
        return answer

    assistant.reply = reply


def watch_translations(desk: Any, monitor: Monitor) -> None:
    """Each machine translation's quality estimate (`translation_quality`, when the desk
    estimates) and whether its verdict needs review (`translation_needs_review`), under the
    engine that made it. Memory hits and texts already in the target language are not counted."""
    inner = desk.translate

    def translate(*args: Any, **kwargs: Any) -> Any:
        done = inner(*args, **kwargs)
        for r in done:
            if r.verdict is None or r.engine in ("memory", "none"):
                continue
            if r.score is not None:
                monitor.signal("translate", r.engine, "translation_quality", r.score)
            monitor.signal(
                "translate", r.engine, "translation_needs_review", float(not r.verdict.ok)
            )
        return done

    desk.translate = translate


def _copy_draft(monitor: Monitor, draft: Any) -> None:
    monitor.signal("copy", draft.model, "copy_unbacked", float(draft.first_unbacked))
    blocked = not draft.grounding.ok or (draft.verdict is not None and not draft.verdict.ok)
    monitor.signal("copy", draft.model, "copy_needs_review", float(blocked))


def watch_copy(writer: Any, monitor: Monitor) -> None:
    """Per generated draft, under the model that wrote it: did its first answer state something
    the facts do not back (`copy_unbacked`), and can the draft as delivered not be approved as
    written: violations left after the policy, or a verdict that needs review
    (`copy_needs_review`). Drafts a person edited are not the model's and are not counted."""
    write, stream = writer.write, writer.stream

    def watched_write(*args: Any, **kwargs: Any) -> Any:
        drafts = write(*args, **kwargs)
        for draft in drafts:
            _copy_draft(monitor, draft)
        return drafts

    def watched_stream(*args: Any, **kwargs: Any) -> Any:
        for event, value in stream(*args, **kwargs):
            if event == "draft":
                _copy_draft(monitor, value)
            yield event, value

    writer.write, writer.stream = watched_write, watched_stream


def watch_recommendations(recommendations: Any, monitor: Monitor) -> None:
    """Whether each request got fewer items with any evidence (score above 0) than asked
    (`recommend_short`): products the fitted model does not know, or stock running out.
    Recommenders pad with unrelated zero-score items; those are not counted as answers."""
    also_bought, for_customer = recommendations.also_bought, recommendations.for_customer

    def short(found: Any, k: int) -> None:
        answered = sum(1 for _, score in found if score > 0)
        monitor.signal("recommendations", "-", "recommend_short", float(answered < k))

    def watched_also_bought(sku: str, k: int = 6) -> Any:
        found = also_bought(sku, k)
        short(found, k)
        return found

    def watched_for_customer(customer_id: str, k: int = 10, market: Any = None) -> Any:
        picks = for_customer(customer_id, k, market)
        short(picks.items, k)
        return picks

    recommendations.also_bought = watched_also_bought
    recommendations.for_customer = watched_for_customer
