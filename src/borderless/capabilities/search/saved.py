"""Search indexes saved in the data folder, so processes on one shop build each catalog once.

A saved index is a folder named by the fingerprint of what it holds (the documents and the
embedders). The first process to need one builds it, writes it to a temporary folder and
renames it into place, under a file lock so two processes never build at once; the others
(and later restarts) load it, memory-mapped, so the operating system keeps one copy of its
pages for all of them. A folder that fails its checks (a file cut short, a bad hash) is
built again, never served.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from borderless.capabilities.search.documents import SearchDocument
from borderless.capabilities.search.hybrid import HybridIndex

__all__ = ["SavedIndexes", "fingerprint"]

log = logging.getLogger("borderless.search")

FORMAT = 1  # bump when what `HybridIndex.save` writes changes
META = "meta.json"


def fingerprint(documents: Sequence[SearchDocument], config: Sequence[str]) -> str:
    """What an index built from `documents` under `config` (embedder names, ...) holds."""
    digest = hashlib.sha256(json.dumps([FORMAT, *config]).encode())
    for doc in sorted(documents, key=lambda d: d.id):
        row = [doc.id, doc.title, doc.description, str(doc.price), doc.stock, doc.category]
        digest.update(json.dumps([*row, doc.translations], ensure_ascii=False).encode())
    return digest.hexdigest()[:32]


class SavedIndexes:
    """Saved hybrid indexes under `folder`, the newest `keep` of them kept."""

    def __init__(self, folder: Path, keep: int = 3) -> None:
        self.folder = folder
        self.keep = keep

    def open(
        self, key: str, fresh: Callable[[], HybridIndex], fill: Callable[[HybridIndex], None]
    ) -> HybridIndex:
        """The index saved under `key`, loaded into `fresh()`; else one `fill` builds, saved.

        Returns the built index itself when it cannot be saved (a read-only or full disk).
        """
        found = self._load(key, fresh)
        if found is not None:
            return found
        with self._locked():
            found = self._load(key, fresh)  # another process may have built it while we waited
            if found is not None:
                return found
            index = fresh()
            fill(index)
            try:
                self._save(key, index)
            except OSError as error:
                log.warning("could not save the search index in %s: %s", self.folder, error)
                return index
            self._prune(key)
        found = self._load(key, fresh)
        return index if found is None else found

    def _load(self, key: str, fresh: Callable[[], HybridIndex]) -> HybridIndex | None:
        path = self.folder / key
        if not (path / META).exists():
            return None
        try:
            _verify(path)
            index = fresh().load(path)
        except Exception as error:  # numpy, usearch, json: whatever an unreadable file raises
            log.warning("saved search index %s is unreadable (%s); building it again", key, error)
            return None
        os.utime(path)  # the newest used survive pruning
        return index

    def _save(self, key: str, index: HybridIndex) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".building-{key}-{os.getpid()}"
        shutil.rmtree(temporary, ignore_errors=True)
        index.save(temporary)
        files = {
            str(f.relative_to(temporary)): [f.stat().st_size, _sha256(f)]
            for f in sorted(temporary.rglob("*"))
            if f.is_file()
        }
        meta = {"format": FORMAT, "key": key, "documents": len(index), "files": files}
        (temporary / META).write_text(json.dumps(meta), encoding="utf-8")
        target = self.folder / key
        if target.exists():  # failed its checks: replace it (files mapped elsewhere stay valid)
            shutil.rmtree(target)
        os.rename(temporary, target)

    def _prune(self, keep_key: str) -> None:
        """Under the lock: remove crashed builds' leftovers and all but the newest `keep`
        saved indexes (processes still mapping a removed one keep reading it: on POSIX the
        files live until unmapped)."""
        folders = [p for p in self.folder.iterdir() if p.is_dir() and p.name != keep_key]
        saved = sorted(
            (p for p in folders if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        leftovers = [p for p in folders if p.name.startswith(".")]
        for old in [*leftovers, *saved[max(0, self.keep - 1) :]]:
            shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / ".lock").open("a") as handle:
            started = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            waited = time.monotonic() - started
            if waited > 1:
                log.info("waited %.1f s for another process building the search index", waited)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _verify(path: Path) -> None:
    meta = json.loads((path / META).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("key") != path.name:
        raise ValueError("written by another version")
    for name, (size, digest) in meta["files"].items():
        file = path / name
        if not file.is_file() or file.stat().st_size != size or _sha256(file) != digest:
            raise ValueError(f"{name} is missing or changed")
