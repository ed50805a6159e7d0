"""Versioned intent models on disk: `models/intents/<version>/`, and `current` names one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from borderless.capabilities.support.intents import IntentModel, read_card
from borderless.errors import InvalidInput, NotFound

__all__ = ["IntentStore"]


class IntentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, model: IntentModel, make_current: bool = True) -> Path:
        version = str(model.card["version"])
        folder = self.root / version
        partial = self.root / f".{version}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        model.save(partial)
        partial.rename(folder)  # a crash never leaves a half-written version
        if make_current:
            self.use(version)
        return folder

    def use(self, version: str) -> None:
        if not (self.root / version / "model.json").is_file():
            raise NotFound(f"no intent model version {version!r}", field="version")
        pointer = self.root / "current.tmp"
        pointer.write_text(version + "\n")
        pointer.replace(self.root / "current")

    def current(self) -> Path | None:
        pointer = self.root / "current"
        if not pointer.is_file():
            return None
        folder = self.root / pointer.read_text().strip()
        return folder if (folder / "model.json").is_file() else None

    def versions(self) -> list[dict[str, Any]]:
        current = self.current()
        found = []
        for folder in sorted(self.root.glob("*/model.json")):
            card = read_card(folder.parent)
            found.append(
                {
                    "version": card["version"],
                    "current": folder.parent == current,
                    "labels": len(card["labels"]),
                    "examples": card["training"]["examples"],
                    "held_out_accuracy": card["training"].get("held_out_accuracy"),
                    "evaluations": len(card.get("evaluations", [])),
                }
            )
        return found


def record_evaluation(folder: Path, result: dict[str, Any], source: str) -> None:
    """Append an evaluation to the model's card, so every version carries its measurements."""
    path = folder / "model.json"
    try:
        card = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path}: unreadable model card ({exc})", field="model") from exc
    card.setdefault("evaluations", []).append(result | {"file": source})
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
