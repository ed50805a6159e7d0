"""Registration of the backends that ship with Borderless. Heavy imports stay inside factories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from borderless.config import Settings

if TYPE_CHECKING:
    from borderless.backends.base import Embedder, Generator, ImageModel, TextReader, Translator
    from borderless.backends.registry import Registry


def _fake_embedder(arg: str, _s: Settings) -> Embedder:
    from borderless.backends.fake import FakeEmbedder

    return FakeEmbedder(int(arg) if arg else 64)


def _use_embedder(arg: str, s: Settings) -> Embedder:
    from borderless.backends.local.use import UseEmbedder

    return UseEmbedder(threads=s.llm_threads)


def _e5_embedder(arg: str, s: Settings) -> Embedder:
    from borderless.backends.local.e5 import E5Embedder

    return E5Embedder()


def _remote_embedder(arg: str, s: Settings) -> Embedder:
    from borderless.backends.remote.openai import RemoteEmbedder, parse_remote_spec

    return RemoteEmbedder(parse_remote_spec(arg, s))


def _fake_generator(arg: str, _s: Settings) -> Generator:
    from borderless.backends.fake import FakeGenerator

    return FakeGenerator()


def _llama_generator(arg: str, s: Settings) -> Generator:
    from borderless.backends.local.llama import LlamaCppGenerator
    from borderless.backends.local.modelfiles import locate_model
    from borderless.optional import require

    # The runtime first: without it the model files are of no use.
    require("llama_cpp", "llm", feature="local generation", field="generator")
    return LlamaCppGenerator(
        locate_model(arg or "qwen2.5-coder-1.5b", s.models_dir),
        threads=s.llm_threads,
        idle_seconds=s.llm_idle_seconds,
    )


def _remote_generator(arg: str, s: Settings) -> Generator:
    from borderless.backends.remote.openai import RemoteGenerator, parse_remote_spec

    return RemoteGenerator(parse_remote_spec(arg, s))


def _fake_translator(arg: str, _s: Settings) -> Translator:
    from borderless.backends.fake import FakeTranslator

    return FakeTranslator()


def _llm_translator(arg: str, s: Settings) -> Translator:
    from borderless.backends.llm_translator import LLMTranslator
    from borderless.backends.registry import create_generator

    return LLMTranslator(create_generator(arg or s.generator, s))


def _remote_translator(arg: str, s: Settings) -> Translator:
    from borderless.backends.llm_translator import LLMTranslator

    return LLMTranslator(_remote_generator(arg, s))


def _bergamot_translator(arg: str, _s: Settings) -> Translator:
    from borderless.backends.local.bergamot import BergamotTranslator

    return BergamotTranslator()


def _apertium_translator(arg: str, _s: Settings) -> Translator:
    from borderless.backends.local.apertium import ApertiumTranslator

    return ApertiumTranslator(arg or "apertium")


def _router_translator(arg: str, s: Settings) -> Translator:
    from borderless.backends.registry import active_pool, create_translator
    from borderless.backends.router import TranslationRouter, parse_routes

    # Engines load on first use; from the pool this router was built in, when there is one.
    pool = active_pool()
    if pool is not None:
        return TranslationRouter(parse_routes(arg), pool.translator)
    return TranslationRouter(parse_routes(arg), lambda spec: create_translator(spec, s))


def register(
    embedders: Registry[Embedder],
    generators: Registry[Generator],
    translators: Registry[Translator],
) -> None:
    embedders.register_default("fake", _fake_embedder)
    embedders.register_default("use", _use_embedder)
    embedders.register_default("e5", _e5_embedder)
    embedders.register_default("openai", _remote_embedder)
    generators.register_default("fake", _fake_generator)
    generators.register_default("llama-cpp", _llama_generator)
    generators.register_default("openai", _remote_generator)
    translators.register_default("fake", _fake_translator)
    translators.register_default("llm", _llm_translator)
    translators.register_default("openai", _remote_translator)
    translators.register_default("bergamot", _bergamot_translator)
    translators.register_default("apertium", _apertium_translator)
    translators.register_default("router", _router_translator)


def _fake_images(arg: str, _s: Settings) -> ImageModel:
    from borderless.backends.fake_images import FakeImageModel

    return FakeImageModel()


def _efficientnet_images(arg: str, s: Settings) -> ImageModel:
    from borderless.backends.local.efficientnet import EfficientNetImageModel

    return EfficientNetImageModel(threads=s.llm_threads)


def _tesseract(arg: str, _s: Settings) -> TextReader:
    from borderless.backends.local.tesseract import TesseractReader

    languages = [lang.strip() for lang in (arg or "eng+chi_sim").split("+") if lang.strip()]
    return TesseractReader(languages)


def register_text_readers(readers: Registry[TextReader]) -> None:
    readers.register_default("tesseract", _tesseract)


def register_images(image_models: Registry[ImageModel]) -> None:
    image_models.register_default("fake", _fake_images)
    image_models.register_default("efficientnet", _efficientnet_images)
