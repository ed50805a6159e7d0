"""How often the verdict catches a faulty text, per language, as measured: what a passing
verdict is worth to a seller who cannot read the language.

A passing verdict says no check found a fault, not that the text is good. How much that is
worth differs by language: on titles translated by the default route and judged by hand after
the verdict's last rule (benchmarks/RESULTS.md, "Verdict on translated text: fresh titles
judged after the last rule", 2026-12-05), the checks caught 23 of 24 faulty Dutch, Polish and
Turkish titles but 7 of 24 Arabic ones. A green "ok" beside an Arabic title the checks would
miss seven times in ten was not honest; so the dashboard shows "verdict: ok" only where the
checks caught at least `SURE_AT` of the faulty titles, and elsewhere "no fault found" with the
measured figure and a word to have a reader look (the API gives the same figures).

English is not in the table: it is the source of those translations and the language the
dashboard is written in (its copy is read by the seller). Update the table with the benchmark
(`python benchmarks/bench_verdict.py`) when a rule changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderless.languages import LANGUAGE_NAMES

__all__ = ["MEASURED", "SURE_AT", "Catch", "measured_catch"]

SURE_AT = 0.8  # the matrix's goal for the verdict's recall
# language -> (faulty titles the verdict flagged, faulty titles judged), fresh titles
MEASURED: dict[str, tuple[int, int]] = {
    "de": (17, 24), "zh": (8, 20), "es": (16, 23), "fr": (16, 23), "pt": (11, 23),
    "ja": (14, 23), "it": (17, 24), "ko": (9, 24), "ar": (7, 24), "ru": (20, 24),
    "nl": (23, 24), "pl": (23, 24), "tr": (23, 24),
}  # fmt: skip


@dataclass(frozen=True)
class Catch:
    """The verdict's measured catch in one language."""

    language: str
    caught: int
    faulty: int

    @property
    def share(self) -> float:
        return self.caught / self.faulty

    @property
    def sure(self) -> bool:
        """Whether a passing verdict may show as "ok" (caught at least SURE_AT)."""
        return self.share >= SURE_AT

    @property
    def note(self) -> str:
        """The figure in words, for the dashboard."""
        name = LANGUAGE_NAMES.get(self.language, self.language)
        said = f"the checks caught {self.caught} of {self.faulty} faulty {name} titles"
        return said if self.sure else f"{said}: have a reader look before publishing"

    def as_dict(self) -> dict[str, object]:
        return {"caught": self.caught, "faulty": self.faulty, "share": round(self.share, 2),
                "sure": self.sure}  # fmt: skip


def measured_catch(language: str) -> Catch | None:
    """The verdict's measured catch in `language` (None: not measured, English included)."""
    found = MEASURED.get(language)
    return Catch(language, *found) if found else None
