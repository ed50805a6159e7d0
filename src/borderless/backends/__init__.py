"""Model backends: small interfaces, chosen by configuration strings through registries.

    from borderless.backends import create_embedder
    embedder = create_embedder("use:multilingual-v3", settings)

Spec strings are ``scheme[:argument]``: ``fake``, ``use:multilingual-v3``,
``llama-cpp:qwen2.5-coder-1.5b`` (or a .gguf path), ``openai:http://host:port/v1?model=NAME``,
``llm`` (translation by the configured generator).
"""

from borderless.backends.base import (
    ChatMessage,
    Embedder,
    Generation,
    GenerationRequest,
    Generator,
    Translator,
)
from borderless.backends.registry import (
    EMBEDDERS,
    GENERATORS,
    TRANSLATORS,
    BackendPool,
    Registry,
    create_embedder,
    create_generator,
    create_translator,
)

__all__ = [
    "EMBEDDERS",
    "GENERATORS",
    "TRANSLATORS",
    "BackendPool",
    "ChatMessage",
    "Embedder",
    "Generation",
    "GenerationRequest",
    "Generator",
    "Registry",
    "Translator",
    "create_embedder",
    "create_generator",
    "create_translator",
]
