"""Building the support assistant from settings: intent model, knowledge base, translator."""

from __future__ import annotations

from pathlib import Path

from borderless.backends import create_embedder
from borderless.backends.base import Embedder
from borderless.capabilities.support.answers import DEFAULTS, Answers
from borderless.capabilities.support.assistant import Assistant, OrderBook
from borderless.capabilities.support.intents import IntentModel, read_card, train_intents
from borderless.capabilities.support.knowledge import KnowledgeBase, read_knowledge
from borderless.capabilities.support.seed import seed_examples
from borderless.capabilities.support.store import IntentStore
from borderless.config import Settings
from borderless.errors import InvalidInput, ModelUnavailable

__all__ = [
    "intent_embedders",
    "intent_model",
    "intent_store",
    "load_intent_model",
    "support_assistant",
]


def intent_embedders(settings: Settings, specs: str | None = None) -> list[Embedder]:
    names = [s.strip() for s in (specs or settings.intent_embeddings).split(",") if s.strip()]
    if not names:
        raise InvalidInput("name at least one embedder for intent models", field="embeddings")
    return [create_embedder(name, settings) for name in names]


def intent_store(settings: Settings) -> IntentStore:
    return IntentStore(settings.models_dir / "intents")


def load_intent_model(settings: Settings, folder: Path) -> IntentModel:
    """A saved model with the embedders its card names (for our backends, name == spec)."""
    specs = ",".join(read_card(folder)["embedders"])
    return IntentModel.load(folder, intent_embedders(settings, specs))


def intent_model(settings: Settings) -> IntentModel:
    """The current intent model; the first time, the default one is trained and stored."""
    store = intent_store(settings)
    folder = store.current()
    if folder is not None:
        return load_intent_model(settings, folder)
    model = train_intents(seed_examples(settings.shared_data_dir), intent_embedders(settings))
    model.card["source"] = "default: bitext_customer_support + Borderless examples"
    store.save(model)
    return model  # already in memory, with its embedders loaded


def support_assistant(settings: Settings, orders: OrderBook) -> Assistant:
    from borderless.backends import create_translator

    knowledge_file = settings.support_knowledge or DEFAULTS / "faq.md"
    knowledge = KnowledgeBase(
        read_knowledge(knowledge_file), create_embedder(settings.embeddings, settings)
    )
    try:
        translator = create_translator(settings.translator, settings)
    except ModelUnavailable:
        translator = None  # knowledge-base answers then stay in the knowledge base's language
    return Assistant(
        intent_model(settings),
        knowledge,
        orders,
        Answers.load(settings.support_answers),
        translator,
    )
