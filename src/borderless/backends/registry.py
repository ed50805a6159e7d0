"""Registries that build backends from spec strings; built-ins register like outside ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from borderless.backends.base import Embedder, Generator, Translator
from borderless.config import Settings
from borderless.errors import InvalidInput

__all__ = [
    "EMBEDDERS",
    "GENERATORS",
    "TRANSLATORS",
    "Registry",
    "create_embedder",
    "create_generator",
    "create_translator",
]

T = TypeVar("T")
Factory = Callable[[str, Settings], T]


class Registry(Generic[T]):
    """Maps the scheme of a spec string (``scheme:argument``) to a factory."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Factory[T]] = {}

    def register(self, scheme: str, factory: Factory[T]) -> None:
        self._factories[scheme] = factory

    def schemes(self) -> list[str]:
        _load_builtins()
        return sorted(self._factories)

    def create(self, spec: str, settings: Settings) -> T:
        _load_builtins()
        scheme, _, argument = spec.strip().partition(":")
        factory = self._factories.get(scheme)
        if factory is None:
            known = ", ".join(sorted(self._factories))
            raise InvalidInput(
                f"unknown {self.kind} backend {spec!r}; known: {known}", field=self.kind
            )
        return factory(argument, settings)


EMBEDDERS: Registry[Embedder] = Registry("embeddings")
GENERATORS: Registry[Generator] = Registry("generator")
TRANSLATORS: Registry[Translator] = Registry("translator")

_loaded = False


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from borderless.backends import builtins

    builtins.register(EMBEDDERS, GENERATORS, TRANSLATORS)


def create_embedder(spec: str, settings: Settings) -> Embedder:
    return EMBEDDERS.create(spec, settings)


def create_generator(spec: str, settings: Settings) -> Generator:
    return GENERATORS.create(spec, settings)


def create_translator(spec: str, settings: Settings) -> Translator:
    return TRANSLATORS.create(spec, settings)
