"""The seller's FAQ and policies, searchable by meaning in any language.

Entries come from Markdown (each `## heading` opens an entry; the text below it is the answer)
or from a CSV with columns `question,answer` (and an optional `id`). Every entry has a stable
id, so answers can cite what they used.

An answer may come in the seller's own words in other languages: in Markdown a `### de` line
(an ISO 639-1 code Borderless knows) inside an entry opens its German answer; in a CSV, a
column `answer_de`. The assistant quotes those as written and translates by machine only the
languages an entry lacks: the local engine's translations of the demo FAQ were judged bad in 8
of 13 languages (benchmarks/RESULTS.md, "Support replies through the default engine").
The question may be written too (`### de: Wie kann ich ... ?`, a column `question_de`): it is
matched with that answer, as the English question is with its own. "come funziona il reso?"
had met the Italian refund answer (its words "resi", "rimborsi") before the Italian return
answer, for want of an Italian question (a walk, and a message of the everyday benchmark).
Entries are found by each text they are written in (measured: RESULTS.md, "Support: which FAQ
entry answers").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from borderless.backends.base import Embedder, Vectors
from borderless.capabilities.catalog.checks import text_problem
from borderless.capabilities.catalog.csvfiles import read_csv, read_utf8
from borderless.errors import BadRow, BadRows, InvalidInput
from borderless.languages import LANGUAGE_NAMES, known_codes

__all__ = ["Citation", "KnowledgeBase", "KnowledgeEntry", "read_knowledge"]

MIN_SIMILARITY = 0.45  # USE cosine; below it an entry is not cited (chosen on the demo FAQ)


# `### de` inside an entry: its answer in German, `### de: Frage?` with its question (any
# other `###` line is part of the answer)
_LANGUAGE_HEADING = re.compile(r"^###\s+([A-Za-z]{2})\s*(?::\s*(.*?))?\s*$")


@dataclass(frozen=True)
class KnowledgeEntry:
    id: str
    question: str
    answer: str
    # the seller's own answer per language (ISO 639-1 code -> text), beside `answer`
    translations: dict[str, str] = field(default_factory=dict)
    # the question as the seller wrote it in those languages (any of them may lack one)
    questions: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)  # where the entry starts in its file

    def texts(self) -> list[str]:
        """What is embedded to find the entry: each language's question with the start of
        its answer (the answer alone where no question is written)."""
        asked = [f"{self.question}\n{self.answer[:400]}"]
        for language, said in self.translations.items():
            question = self.questions.get(language)
            asked.append(f"{question}\n{said[:400]}" if question else said[:400])
        return asked


@dataclass(frozen=True)
class Citation:
    id: str
    question: str
    answer: str
    score: float
    translations: dict[str, str] = field(default_factory=dict)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "entry"


KNOWLEDGE_TEXT = 10_000  # characters of one question or answer


def read_knowledge(path: Path) -> list[KnowledgeEntry]:
    """Entries of a Markdown or CSV knowledge file (by its suffix)."""
    if path.suffix.lower() == ".csv":
        entries = _read_csv(path)
    elif path.suffix.lower() in {".md", ".markdown"}:
        entries = _read_markdown(path)
    else:
        raise InvalidInput(f"{path}: knowledge files are .md or .csv", field="path")
    if not entries:
        raise InvalidInput(f"{path}: no entries found", field="path")
    seen: dict[str, int] = {}  # id -> the line it is first on
    twice: list[BadRow] = []
    for entry in entries:
        if entry.id in seen:
            said = f"the id {entry.id!r} is line {seen[entry.id]}'s too"
            twice.append(BadRow(entry.line, said, "id"))
        else:
            seen[entry.id] = entry.line
    if twice:
        raise BadRows(str(path), twice)
    return entries


def _language(code: str, line: int, column: str, bad: list[BadRow]) -> str | None:
    """`code` lower-cased when Borderless knows it, else a bad row naming the known codes."""
    found = code.strip().lower()
    if found in LANGUAGE_NAMES:
        return found
    bad.append(BadRow(line, f"unknown language {code!r}: use one of {known_codes()}", column))
    return None


def _paragraphs(lines: Sequence[str]) -> str:
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines).strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _read_markdown(path: Path) -> list[KnowledgeEntry]:
    text = read_utf8(path)
    entries: list[KnowledgeEntry] = []
    bad: list[BadRow] = []
    heading: tuple[int, str] | None = None
    # the entry's answer (language None), then one block per `### xx` line (with its question)
    blocks: list[tuple[int, str | None, str, list[str]]] = []

    def close() -> None:
        if heading is None:
            return
        answer = _paragraphs(blocks[0][3])
        if not answer:
            bad.append(BadRow(heading[0], "a heading without an answer below it", "answer"))
            return
        translations: dict[str, str] = {}
        questions: dict[str, str] = {}
        for line, language, question, body in blocks[1:]:
            said = _paragraphs(body)
            if language is None:
                continue  # an unknown code, already reported
            if not said:
                bad.append(BadRow(line, f"### {language} without an answer below it", "answer"))
            elif language in translations:
                bad.append(BadRow(line, f"a second ### {language} in this entry", "answer"))
            else:
                translations[language] = said
                if question:
                    questions[language] = question
        entries.append(
            KnowledgeEntry(
                _slug(heading[1]), heading[1], answer, translations, questions, heading[0]
            )
        )

    for number, line in enumerate(text.splitlines(), start=1):
        tagged = _LANGUAGE_HEADING.match(line) if heading is not None else None
        if line.startswith("## "):
            close()
            heading, blocks = (number, line[3:].strip()), [(number, None, "", [])]
        elif tagged:
            language = _language(tagged.group(1), number, "answer", bad)
            blocks.append((number, language, " ".join((tagged.group(2) or "").split()), []))
        elif heading is not None:
            blocks[-1][3].append(line)
    close()
    if bad:
        raise BadRows(str(path), bad)
    return entries


def _read_csv(path: Path) -> list[KnowledgeEntry]:
    header, rows = read_csv(path, ("question", "answer"))
    entries: list[KnowledgeEntry] = []
    bad: list[BadRow] = []
    # answer_de, answer_ja ...: the answer in that language (an empty cell: none written);
    # question_de ...: the question so written (read only beside that language's answer)
    columns = {c: _language(c[7:], 1, c, bad) for c in header if c.startswith("answer_")}
    asked = {c: _language(c[9:], 1, c, bad) for c in header if c.startswith("question_")}
    if bad:
        raise BadRows(str(path), bad)
    for line, row in rows:
        question, answer = row["question"].strip(), row["answer"].strip()
        if not question or not answer:
            bad.append(
                BadRow(line, "empty question or answer", "question" if not question else "answer")
            )
            continue
        # a NUL or another control character in a question was stored (an attack): refused
        # as everywhere else a text comes in
        said = [(c, text_problem(row[c], c, KNOWLEDGE_TEXT)) for c in header if row.get(c)]
        if faults := [(c, problem) for c, problem in said if problem]:
            bad.extend(BadRow(line, problem, c) for c, problem in faults)
            continue
        entry_id = row.get("id", "").strip() if "id" in header else ""
        translations = {
            lang: row[c].strip() for c, lang in columns.items() if lang and row[c].strip()
        }
        questions = {
            lang: row[c].strip()
            for c, lang in asked.items()
            if lang in translations and row[c].strip()
        }
        entries.append(
            KnowledgeEntry(
                entry_id or _slug(question), question, answer, translations, questions, line
            )
        )
    if bad:
        raise BadRows(str(path), bad)
    return entries


class KnowledgeBase:
    """Entries embedded once, in each language they are written in (the question with the
    start of the answer; each written translation of the answer); an entry's similarity to a
    message is that of its closest text, so a Japanese question meets the Japanese answer."""

    def __init__(
        self,
        entries: Sequence[KnowledgeEntry],
        embedder: Embedder,
        min_similarity: float = MIN_SIMILARITY,
    ) -> None:
        self.entries = list(entries)
        self.embedder = embedder
        self.min_similarity = min_similarity
        texts: list[str] = []
        owners: list[int] = []
        for i, entry in enumerate(self.entries):
            for text in entry.texts():
                texts.append(text)
                owners.append(i)
        self._owner = np.asarray(owners, dtype=np.intp)  # row -> its entry's index
        self._vectors: Vectors = (
            embedder.embed_batch(texts, "document") if texts else np.zeros((0, 1), np.float32)
        )

    def __len__(self) -> int:
        return len(self.entries)

    def _scores(self, question: str) -> np.ndarray:
        """Each entry's similarity to `question`: that of its closest text."""
        query = self.embedder.embed_batch([question], "query")[0]
        rows = self._vectors @ query
        scores = np.full(len(self.entries), -np.inf)
        np.maximum.at(scores, self._owner, rows)
        return scores

    def _citation(self, i: int, score: float) -> Citation:
        e = self.entries[i]
        return Citation(e.id, e.question, e.answer, round(float(score), 4), e.translations)

    def search(self, question: str, k: int = 3) -> list[Citation]:
        """The entries that answer `question`, best first, only those above the threshold."""
        if not self.entries or not question.strip():
            return []
        scores = self._scores(question)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self._citation(i, scores[i]) for i in order if scores[i] >= self.min_similarity]

    def best_of(self, question: str, entry_ids: Sequence[str]) -> Citation | None:
        """Of the named entries, the one most like `question` (whatever its similarity);
        None when the knowledge base has none of them."""
        ranked = self.ranked_of(question, entry_ids)
        return ranked[0] if ranked else None

    def ranked_of(self, question: str, entry_ids: Sequence[str]) -> list[Citation]:
        """The named entries the knowledge base has, the one most like `question` first."""
        wanted = [i for i, e in enumerate(self.entries) if e.id in set(entry_ids)]
        if not wanted:
            return []
        scores = self._scores(question)
        wanted.sort(key=lambda i: (-scores[i], i))
        return [self._citation(i, scores[i]) for i in wanted]
