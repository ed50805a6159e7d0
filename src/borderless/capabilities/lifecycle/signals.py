"""Quality signals recorded where a model answers, by wrapping it behind the same interface:
intent confidence, out-of-scope rate, messages in a language the model was not trained on (the
language-drift signal), and the assistant's handoff rate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from borderless.capabilities.lifecycle.monitor import Monitor

__all__ = ["CAPABILITY_TASKS", "WatchedClassifier", "watch_replies"]

# The model task whose version a capability's requests are counted under.
CAPABILITY_TASKS = {"support": "intents", "reviews": "sentiment", "risk": "risk"}


class WatchedClassifier:
    """An intent classifier that reports each prediction's confidence and scope."""

    def __init__(self, inner: Any, monitor: Monitor, version: str) -> None:
        self.inner = inner
        self.monitor = monitor
        self.version = version

    def predict(self, texts: Sequence[str], vectors: Any = None) -> list[Any]:
        found: list[Any] = self.inner.predict(texts, vectors)
        for p in found:
            self.monitor.signal("support", self.version, "confidence", p.confidence)
            self.monitor.signal("support", self.version, "out_of_scope", float(p.label == "oos"))
            foreign = float(p.head == "cross-lingual")
            self.monitor.signal("support", self.version, "foreign_language", foreign)
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
