"""Registries that build backends from spec strings; built-ins register like outside ones.

A name registered before the built-ins load keeps its factory: built-ins only fill the names
nobody took, so a plugin (or a test's fake) registered under ``llm`` or ``use`` is never
silently replaced. Registering a taken name again is an error unless ``replace=True``.

Inside `BackendPool.using()` every spec is built once and shared, nested ones included (the
router's engines, the LLM translator's generator), so a process loads each model once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from borderless.backends.base import Embedder, Generator, ImageModel, TextReader, Translator
from borderless.config import Settings
from borderless.errors import Conflict, InvalidInput

__all__ = [
    "EMBEDDERS",
    "GENERATORS",
    "IMAGE_MODELS",
    "TEXT_READERS",
    "TRANSLATORS",
    "BackendPool",
    "Registry",
    "active_pool",
    "create_embedder",
    "create_generator",
    "create_image_model",
    "create_text_reader",
    "create_translator",
]

T = TypeVar("T")
Factory = Callable[[str, Settings], T]


class Registry(Generic[T]):
    """Maps the scheme of a spec string (``scheme:argument``) to a factory."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Factory[T]] = {}

    def register(self, scheme: str, factory: Factory[T], *, replace: bool = False) -> None:
        """Add a backend; a taken scheme is a Conflict unless `replace` says so."""
        _load_builtins()
        if scheme in self._factories and not replace:
            raise Conflict(
                f"a {self.kind} backend named {scheme!r} is already registered; "
                "pass replace=True to replace it",
                field=self.kind,
            )
        self._factories[scheme] = factory

    def register_default(self, scheme: str, factory: Factory[T]) -> None:
        """A built-in: taken only where no one registered the scheme first."""
        self._factories.setdefault(scheme, factory)

    def schemes(self) -> list[str]:
        _load_builtins()
        return sorted(self._factories)

    def create(self, spec: str, settings: Settings) -> T:
        pool = _active_pool.get()
        if pool is not None and pool.settings is settings:
            return pool.get(self, spec)
        return self.build(spec, settings)

    def build(self, spec: str, settings: Settings) -> T:
        """A new instance, bypassing any pool."""
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
IMAGE_MODELS: Registry[ImageModel] = Registry("images")
TEXT_READERS: Registry[TextReader] = Registry("ocr")

_loaded = False
_loading = threading.Lock()


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    with _loading:
        if _loaded:
            return
        _loaded = True
        from borderless.backends import builtins

        builtins.register(EMBEDDERS, GENERATORS, TRANSLATORS)
        builtins.register_images(IMAGE_MODELS)
        builtins.register_text_readers(TEXT_READERS)


class BackendPool:
    """One instance per (kind, spec) for one settings object, built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._made: dict[tuple[str, str], Any] = {}
        self._lock = threading.RLock()

    def get(self, registry: Registry[T], spec: str) -> T:
        key = (registry.kind, spec.strip())
        with self._lock:
            if key not in self._made:
                with self.using():
                    self._made[key] = registry.build(spec, self.settings)
            made: T = self._made[key]
            return made

    @contextmanager
    def using(self) -> Iterator[BackendPool]:
        """Within this block, `create_*` calls with these settings come from the pool."""
        token = _active_pool.set(self)
        try:
            yield self
        finally:
            _active_pool.reset(token)

    def loaded(self) -> list[tuple[str, str]]:
        """(kind, spec) of every backend built so far."""
        with self._lock:
            return sorted(self._made)

    def embedder(self, spec: str) -> Embedder:
        return self.get(EMBEDDERS, spec)

    def generator(self, spec: str) -> Generator:
        return self.get(GENERATORS, spec)

    def translator(self, spec: str) -> Translator:
        return self.get(TRANSLATORS, spec)


_active_pool: ContextVar[BackendPool | None] = ContextVar("borderless_backend_pool", default=None)


def active_pool() -> BackendPool | None:
    """The pool being built from, for factories that create nested backends later."""
    return _active_pool.get()


def create_embedder(spec: str, settings: Settings) -> Embedder:
    return EMBEDDERS.create(spec, settings)


def create_generator(spec: str, settings: Settings) -> Generator:
    return GENERATORS.create(spec, settings)


def create_translator(spec: str, settings: Settings) -> Translator:
    return TRANSLATORS.create(spec, settings)


def create_image_model(spec: str, settings: Settings) -> ImageModel:
    return IMAGE_MODELS.create(spec, settings)


def create_text_reader(spec: str, settings: Settings) -> TextReader:
    return TEXT_READERS.create(spec, settings)
