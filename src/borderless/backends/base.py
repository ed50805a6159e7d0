"""The backend interfaces: one abstract batch method each; everything else derives from it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "ChatMessage",
    "Embedder",
    "Generation",
    "GenerationRequest",
    "Generator",
    "ImageFeatures",
    "ImageModel",
    "Lexicon",
    "Purpose",
    "ReadText",
    "TextReader",
    "Translator",
]

Vectors = npt.NDArray[np.float32]
Purpose = Literal["document", "query"]


def unit_rows(vectors: Vectors) -> Vectors:
    """Rows scaled to length 1 (zero rows stay zero), as float32."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    scaled: Vectors = (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)
    return scaled


class Embedder(ABC):
    """Turns texts into unit-length vectors; similar meaning gives a high dot product."""

    name: str = "embedder"
    dimension: int = 0
    # What changes when the weights do (the model package's version); "" when the name says it
    # all. Saved vectors are keyed by `identity`, so an upgraded model re-embeds, not reuses.
    version: str = ""

    @property
    def identity(self) -> str:
        """The name, and the version when there is one: "e5:multilingual-small@0.3.1"."""
        return f"{self.name}@{self.version}" if self.version else self.name

    @abstractmethod
    def embed_batch(self, texts: Sequence[str], purpose: Purpose = "document") -> Vectors:
        """An array of shape (len(texts), dimension), float32, rows of L2 norm 1.

        `purpose` says whether the texts are stored documents or search queries; models
        trained asymmetrically (E5) embed the two differently, the others ignore it.
        """

    def embed(self, text: str, purpose: Purpose = "document") -> Vectors:
        vectors: Vectors = self.embed_batch([text], purpose)
        return vectors[0:1].reshape(-1)


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user | assistant
    content: str


@dataclass(frozen=True)
class GenerationRequest:
    messages: tuple[ChatMessage, ...]
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int | None = None
    stop: tuple[str, ...] = ()

    @classmethod
    def from_prompt(
        cls, prompt: str, system: str | None = None, **options: object
    ) -> GenerationRequest:
        messages = ([ChatMessage("system", system)] if system else []) + [
            ChatMessage("user", prompt)
        ]
        return cls(messages=tuple(messages), **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Generation:
    text: str
    finish_reason: str  # stop | length
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    extra: dict[str, object] = field(default_factory=dict)


class Generator(ABC):
    """Answers chat requests with text."""

    name: str = "generator"

    @abstractmethod
    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        """One generation per request, in order."""

    def generate(self, request: GenerationRequest) -> Generation:
        return self.generate_batch([request])[0]

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """The text in pieces as it is generated; backends that cannot stream send it whole."""
        yield self.generate(request).text

    def complete(self, prompt: str, system: str | None = None, **options: object) -> str:
        return self.generate(GenerationRequest.from_prompt(prompt, system, **options)).text


class Translator(ABC):
    """Translates texts between languages named by ISO 639-1 codes."""

    name: str = "translator"

    @abstractmethod
    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """One translation per text, in order; empty texts come back empty."""

    def translate(self, text: str, source: str, target: str) -> str:
        return self.translate_batch([text], source, target)[0]


class Lexicon(ABC):
    """Word senses between English and another language, from bilingual dictionaries."""

    name: str = "lexicon"

    @abstractmethod
    def senses_batch(self, words: Sequence[str], source: str, target: str) -> list[list[str]]:
        """Per word (or fixed phrase) in `source`, its translations in `target`, in order; []
        for a word the dictionary lacks. ModelUnavailable when no dictionary holds the pair."""


Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class ImageFeatures:
    """Per image: top-k (label, probability) tags and one unit-length feature row."""

    tags: list[list[tuple[str, float]]]
    vectors: Vectors


@dataclass(frozen=True)
class ReadText:
    """What OCR read in one image: the words with their confidence (0-100), in reading order,
    and the text (words joined, one line per line of the image)."""

    text: str = ""
    words: tuple[tuple[str, float], ...] = ()


class TextReader(ABC):
    """Reads the text printed on images (OCR)."""

    name: str = "ocr"

    @abstractmethod
    def read_batch(self, images: Sequence[Pixels]) -> list[ReadText]:
        """One reading per RGB array of shape (height, width, 3), uint8, in order."""


class ImageModel(ABC):
    """Tags images with labels and turns them into unit-length feature vectors."""

    name: str = "images"
    dimension: int = 0

    @abstractmethod
    def embed_images(self, images: Sequence[Pixels], top_k: int = 5) -> ImageFeatures:
        """Tags and features for RGB arrays of shape (height, width, 3), uint8, in order."""
