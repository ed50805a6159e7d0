"""One verdict per generated or translated text, with its reasons (spelling, placeholders,
template phrases, untranslated words, language, length, meaning)."""

from borderless.capabilities.verdict.checks import Reason
from borderless.capabilities.verdict.spelling import Speller
from borderless.capabilities.verdict.verdict import Verdict, judge, judge_many, needs_review

__all__ = ["Reason", "Speller", "Verdict", "judge", "judge_many", "needs_review"]
