"""Marketing copy written by an LLM from a product's facts, and checked against them."""

from borderless.capabilities.copywrite.facts import Facts, facts_of
from borderless.capabilities.copywrite.grounding import Grounding, Violation, check_copy
from borderless.capabilities.copywrite.kinds import KINDS, TONES, Templates, copy_kind
from borderless.capabilities.copywrite.writer import (
    POLICIES,
    CopyDraft,
    CopyRequest,
    CopyWriter,
    edited_draft,
)

__all__ = [
    "KINDS",
    "POLICIES",
    "TONES",
    "CopyDraft",
    "CopyRequest",
    "CopyWriter",
    "Facts",
    "Grounding",
    "Templates",
    "Violation",
    "check_copy",
    "copy_kind",
    "edited_draft",
    "facts_of",
]
