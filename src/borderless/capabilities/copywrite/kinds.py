"""Copy kinds, their lengths, and the prompt templates (files, versioned, overridable)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from borderless.errors import InvalidInput

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "TONES",
    "WIDE_LANGUAGES",
    "CopyKind",
    "Template",
    "Templates",
    "copy_kind",
    "kind_label",
    "length_report",
]

BUILT_IN = Path(__file__).with_name("templates")
TONES = {
    "friendly": "warm and friendly",
    "premium": "elegant and premium",
    "technical": "precise and factual",
    "playful": "light and playful",
    "neutral": "plain and neutral",
}
WIDE_LANGUAGES = {"zh", "ja", "ko"}  # lengths in characters; two count as one word
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class CopyKind:
    name: str
    unit: str  # words | characters
    bounds: dict[str, tuple[int, int]]  # length -> (min, max); fixed kinds have one entry
    max_tokens: dict[str, int]
    lines: bool = False  # bullet lines, one per point

    def target(self, length: str) -> tuple[int, int]:
        return self.bounds.get(length) or next(iter(self.bounds.values()))

    def tokens(self, length: str) -> int:
        return self.max_tokens.get(length) or next(iter(self.max_tokens.values()))


# each kind as a seller reads it on a page ("seo_title" was shown as it is spelt in code)
KIND_LABELS = {"description": "description", "bullets": "bullet points",
               "seo_title": "SEO title", "meta_description": "meta description",
               "ad_headline": "ad headline", "ad_text": "ad text",
               "social_post": "social post"}  # fmt: skip


def kind_label(name: str) -> str:
    """A copy kind in words ("SEO title"); an unknown name as it is, its underscores spaced."""
    return KIND_LABELS.get(name, name.replace("_", " "))


KINDS = {
    k.name: k
    for k in (
        CopyKind("description", "words",
                 {"short": (30, 70), "medium": (70, 140), "long": (140, 260)},
                 {"short": 200, "medium": 360, "long": 640}),
        CopyKind("bullets", "words", {"short": (15, 60), "medium": (30, 100), "long": (60, 160)},
                 {"short": 160, "medium": 260, "long": 400}, lines=True),
        CopyKind("seo_title", "characters", {"fixed": (20, 60)}, {"fixed": 60}),
        CopyKind("meta_description", "characters", {"fixed": (70, 160)}, {"fixed": 120}),
        CopyKind("ad_headline", "characters", {"fixed": (10, 40)}, {"fixed": 40}),
        CopyKind("ad_text", "characters", {"fixed": (40, 120)}, {"fixed": 100}),
        CopyKind("social_post", "characters",
                 {"short": (60, 160), "medium": (120, 280), "long": (200, 500)},
                 {"short": 160, "medium": 260, "long": 420}),
    )
}  # fmt: skip


def copy_kind(name: str) -> CopyKind:
    kind = KINDS.get(name)
    if kind is None:
        raise InvalidInput(f"unknown copy kind {name!r}; known: {', '.join(KINDS)}", field="kind")
    return kind


def measure(text: str, unit: str) -> int:
    """Words (a CJK character counts as half a word) or characters (CJK count double)."""
    wide = len(_WIDE.findall(text))
    if unit == "words":
        return len(_WIDE.sub(" ", text).split()) + round(wide / 2)
    return len(text.strip()) + wide


def length_report(text: str, kind: CopyKind, length: str, language: str = "") -> dict[str, object]:
    """Length against the target; Chinese/Japanese/Korean word targets in characters (two per
    word, as the prompt asks), counting every character but spaces."""
    low, high = kind.target(length)
    unit = kind.unit
    if unit == "words" and language in WIDE_LANGUAGES:
        unit, low, high = "characters", 2 * low, 2 * high
        actual = len("".join(text.split()))
    else:
        actual = measure(text, kind.unit)
    return {"unit": unit, "min": low, "max": high, "actual": actual,
            "ok": low <= actual <= high}  # fmt: skip


@dataclass(frozen=True)
class Template:
    name: str
    version: str
    origin: str  # built-in | a file path
    text: str

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}" + ("" if self.origin == "built-in" else " (custom)")

    def render(self, values: dict[str, str]) -> str:
        try:
            return string.Template(self.text).substitute(values).strip()
        except (KeyError, ValueError) as exc:
            raise InvalidInput(
                f"template {self.origin}/{self.name}.txt uses an unknown placeholder: {exc}; "
                f"known: {', '.join('$' + k for k in sorted(values))}",
                field="template",
            ) from exc


class Templates:
    """Prompt templates by name: `folder/NAME.txt` when it exists, else the built-in one.

    A template file starts with a `# version: N` line; the version is recorded with each
    piece of copy, so a change of wording can be traced in what it produced.
    """

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None and not folder.is_dir():
            raise InvalidInput(f"copy template folder {folder} does not exist", field="templates")
        self.folder = folder

    def get(self, name: str) -> Template:
        custom = self.folder / f"{name}.txt" if self.folder else None
        path = custom if custom is not None and custom.is_file() else BUILT_IN / f"{name}.txt"
        origin = str(self.folder) if path == custom else "built-in"
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read template {path}: {exc}", field="template") from exc
        first, _, rest = raw.partition("\n")
        found = re.match(r"#\s*version:\s*(\S+)", first)
        if not found:
            raise InvalidInput(f"{path}: the first line must be '# version: N'", field="template")
        return Template(name, found.group(1), origin, rest)
