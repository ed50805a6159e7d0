"""Apertium: rule-based machine translation from Debian's packages, for the pairs installed.

`apt-get install apertium apertium-eng-spa` gives en<->es; `apertium-es-pt`, `apertium-fr-es`,
`apertium-spa-ita` and others add pairs. The installed pairs are read from `apertium -l`
(mode names like `eng-spa` or `es-pt`); ISO 639-1 codes map to them. A batch is one process
call, one text per line; unknown words come back as they are (`-u`), not marked with `*`.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from functools import cache

from borderless.backends.base import Translator
from borderless.errors import BackendError, InvalidInput, ModelUnavailable

__all__ = ["ApertiumTranslator", "installed_pairs"]

# ISO 639-1 -> the ISO 639-3 codes Apertium's newer mode names use
THREE = {
    "en": "eng", "es": "spa", "pt": "por", "fr": "fra", "it": "ita", "ca": "cat", "gl": "glg",
    "ro": "ron", "de": "deu", "nl": "nld", "da": "dan", "sv": "swe", "nb": "nob", "nn": "nno",
    "eu": "eus", "oc": "oci", "eo": "epo", "cy": "cym", "br": "bre", "ar": "ara", "is": "isl",
}  # fmt: skip
TIMEOUT = 600.0


def _command(binary: str) -> str:
    found = shutil.which(binary)
    if found is None:
        raise ModelUnavailable(
            f"Apertium is not installed ({binary!r} not found): apt-get install apertium "
            "apertium-eng-spa (and the other pairs you need)",
            field="translator",
        )
    return found


@cache
def installed_pairs(binary: str = "apertium") -> dict[tuple[str, str], str]:
    """(source, target) ISO 639-1 codes -> the Apertium mode that translates them."""
    done = subprocess.run([_command(binary), "-l"], capture_output=True, text=True, check=False)
    pairs: dict[tuple[str, str], str] = {}
    back = {three: two for two, three in THREE.items()}
    for mode in done.stdout.split():
        parts = mode.split("-")
        if len(parts) != 2:  # variants such as spa-eng_US or eng-spa-tagger are not pairs
            continue
        codes = tuple(back.get(p, p) for p in parts)
        if all(len(c) == 2 for c in codes):
            pairs.setdefault((codes[0], codes[1]), mode)
    return pairs


class ApertiumTranslator(Translator):
    name = "apertium"

    def __init__(self, binary: str = "apertium") -> None:
        self.binary = binary

    def mode(self, source: str, target: str) -> str:
        pairs = installed_pairs(self.binary)
        mode = pairs.get((source.lower(), target.lower()))
        if mode is None:
            have = ", ".join(f"{s}->{t}" for s, t in sorted(pairs)) or "none"
            raise InvalidInput(
                f"Apertium has no {source}->{target} pair installed (installed: {have})",
                field="target",
            )
        return mode

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        mode = self.mode(source, target)
        lines = [" ".join(t.split()) for t in texts]  # one line per text
        if not any(lines):
            return ["" for _ in lines]
        # A newline is only a blank to Apertium: its transfer rules move words across it
        # ("PAINTED ZINC" / "METAL MERRY CHRISTMAS WREATH" came back with "de ZINC pintada"
        # in the second line). A full stop ends the sentence, which no rule crosses; it is
        # taken off again where the text had none.
        stopped = [bool(line) and not line.endswith((".", "!", "?")) for line in lines]
        sent = [line + "." if stop else line for line, stop in zip(lines, stopped, strict=True)]
        try:
            done = subprocess.run(
                [_command(self.binary), "-u", mode], input="\n".join(sent) + "\n",
                capture_output=True, text=True, timeout=TIMEOUT, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise BackendError(f"Apertium took over {TIMEOUT:.0f} s", field="translator") from exc
        if done.returncode != 0:
            raise BackendError(
                f"Apertium {mode} failed: {done.stderr.strip()[:300]}", field="translator"
            )
        out = done.stdout.split("\n")
        if out and out[-1] == "":
            out.pop()
        if len(out) != len(lines):
            why = f": {done.stderr.strip()[:300]}" if done.stderr.strip() else ""
            raise BackendError(
                f"Apertium {mode} returned {len(out)} lines for {len(lines)}{why}",
                field="translator",
            )
        return [
            (o.strip().removesuffix(".").rstrip() if stop else o.strip()) if line else ""
            for o, line, stop in zip(out, lines, stopped, strict=True)
        ]
