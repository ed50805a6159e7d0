"""HTML product bodies: translate the words, keep every tag, attribute and the structure.

Block tags (p, li, h1-h6, td, div, ...) split the body into segments; inline tags inside a
segment (b, i, a, span, br, ...) travel through translation as placeholders, so a sentence
with a bold word is translated as one sentence. Script and style contents, comments and
attributes are never sent to the engine.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = [
    "Segment",
    "join_segments",
    "looks_like_html",
    "split_html",
    "tags_of",
    "visible_text",
    "with_tags",
]

TAG = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]+>", re.DOTALL)
INLINE = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "em", "i", "kbd", "mark", "q",
          "s", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}  # fmt: skip
RAW = {"script", "style"}


@dataclass
class Segment:
    """Text to translate (`translate` True) or markup kept as it is."""

    text: str
    translate: bool
    inline_tags: tuple[str, ...] = ()  # the inline tags inside, in order (text has ZXT1Z...)


def _name(tag: str) -> str:
    m = re.match(r"</?\s*([A-Za-z][\w:-]*)", tag)
    return m.group(1).lower() if m else ""


def split_html(body: str) -> list[Segment]:
    segments: list[Segment] = []
    text: list[str] = []
    inline: list[str] = []
    raw_until: str | None = None

    def flush() -> None:
        joined = "".join(text)
        if not joined and not inline:
            text.clear()
            return
        if joined.strip() and html.unescape(re.sub(r"ZXT\d+Z", "", joined)).strip():
            segments.append(Segment(joined, True, tuple(inline)))
        else:  # only whitespace and inline tags: keep verbatim
            segments.append(Segment(with_tags(joined, tuple(inline)), False))
        text.clear()
        inline.clear()

    position = 0
    for m in TAG.finditer(body):
        chunk = body[position : m.start()]
        tag = m.group(0)
        position = m.end()
        name = _name(tag)
        if raw_until is not None:
            segments.append(Segment(chunk + tag, False))
            if tag.startswith("</") and name == raw_until:
                raw_until = None
            continue
        text.append(chunk)
        if name in INLINE and not tag.startswith("<!"):
            inline.append(tag)
            text.append(f"ZXT{len(inline)}Z")
            continue
        flush()
        segments.append(Segment(tag, False))
        if name in RAW and not tag.startswith("</") and not tag.endswith("/>"):
            raw_until = name
    if raw_until is not None:
        segments.append(Segment(body[position:], False))
    else:
        text.append(body[position:])
        flush()
    return segments


_ELEMENTS = INLINE | RAW | {"p", "div", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3",
             "h4", "h5", "h6", "table", "thead", "tbody", "tr", "td", "th", "img", "hr",
             "section", "article", "header", "footer", "blockquote", "pre", "figure",
             "figcaption", "caption", "nav", "main", "aside"}  # fmt: skip
_ELEMENT = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")


def looks_like_html(text: str) -> bool:
    """Whether `text` holds an HTML element's tag ("<p>", "</b>", "<br/>"), not only a "<"
    ("a < b", "<3", "<<new>>")."""
    return any(m.group(1).lower() in _ELEMENTS for m in _ELEMENT.finditer(text))


def visible_text(body: str) -> str:
    """The words a reader of an HTML body sees: no tags, attributes, scripts or styles,
    entities read ("left in en: HEART, strong, href" was said of a German body's markup)."""
    words = "".join(s.text if s.translate else (" " if TAG.fullmatch(s.text) else "")
                    for s in split_html(body))  # fmt: skip
    words = re.sub(r"ZXT\d+Z", "", words)
    return " ".join(html.unescape(words).split())


def with_tags(text: str, tags: tuple[str, ...]) -> str:
    """Put inline tags back in place of their ZXT placeholders."""
    return re.sub(r"ZXT(\d+)Z", lambda m: tags[int(m.group(1)) - 1], text) if tags else text


def join_segments(segments: list[Segment]) -> str:
    return "".join(with_tags(s.text, s.inline_tags) for s in segments)


def tags_of(body: str) -> list[str]:
    """Every tag of a body, in order: equal lists mean an identical structure."""
    return TAG.findall(body)
