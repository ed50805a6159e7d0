"""The seller's rules: one per line, `ACTION if CONDITION`, the first rule that matches decides.

    block  if score >= block_at
    review if score >= review_at
    review if new_customer == 1 and amount > 1000   # a comment
    review if country in ("US", "CA") and orders_24h >= 3
    allow  if not (score > 0.9 or manual_lines > 0)

Actions: allow, review, block. Conditions compare `score` or a feature (FEATURES) with a number
(`< <= > >= == !=`) or with `review_at` / `block_at`, the edges of the review band chosen for the
model version in use (band.py; 0.97 and 0.998 before one is chosen), or `country` with a quoted
code (`==`, `!=`, `in (...)`), joined by `and`, `or`, `not` and brackets. An order no rule
matches is allowed. A rule that does not parse is refused with its line and position
(`line 2, position 18: expected a number after '>'`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.risk.band import HAND_BAND
from borderless.errors import InvalidInput

__all__ = [
    "ACTIONS",
    "BAND_NAMES",
    "DEFAULT_RULES",
    "TEXT_FIELDS",
    "Action",
    "Rule",
    "RuleSet",
    "parse_rules",
]

Action = Literal["allow", "review", "block"]
ACTIONS: tuple[Action, ...] = ("allow", "review", "block")
TEXT_FIELDS = ("country",)
# The band's edges, and what they read when an order's values do not carry them.
BAND_NAMES: dict[str, float] = {"review_at": HAND_BAND[0], "block_at": HAND_BAND[1]}
DEFAULT_RULES = """\
# The default rules: one a line, edited and saved on the Risk page.
block  if score >= block_at
review if score >= review_at
review if new_customer == 1 and amount >= 2000
"""
MAX_RULES = 200
MAX_LINE = 500
MAX_NUMBER = 1e12  # beyond any amount, count or score: 1e309 is infinity and always true or false

Values = Mapping[str, float | str]
Test = Callable[[Values], bool]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
    | (?P<text>"[^"]*"|'[^']*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><=|>=|==|!=|<|>)
    | (?P<punct>[(),])
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}  # fmt: skip


class RuleError(InvalidInput):
    """A rule that does not parse; `line` and `position` (1-based) say where."""

    code = "invalid_rule"

    def __init__(self, line: int, position: int, message: str) -> None:
        self.line, self.position = line, position
        # the rules are the body's `text` (the API and the page): "rules" named no field there
        super().__init__(f"line {line}, position {position}: {message}", field="text")


@dataclass(frozen=True)
class Rule:
    number: int  # 1-based among the rules (comments and blank lines do not count)
    line: int
    action: Action
    text: str
    test: Test

    def matches(self, values: Values) -> bool:
        return self.test(values)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    text: str

    def decide(self, values: Values) -> tuple[Action, Rule | None]:
        """The action of the first rule that matches; "allow" and None when none does."""
        for rule in self.rules:
            if rule.matches(values):
                return rule.action, rule
        return "allow", None

    def dry_run(self, orders: Sequence[Values]) -> list[dict[str, object]]:
        """Per rule: orders its condition holds for (`hits`) and orders it decides (`decides`)."""
        hits = [0] * len(self.rules)
        decides = [0] * len(self.rules)
        for values in orders:
            first = True
            for i, rule in enumerate(self.rules):
                if rule.matches(values):
                    hits[i] += 1
                    if first:
                        decides[i] += 1
                        first = False
        return [
            {"rule": r.number, "line": r.line, "action": r.action, "text": r.text,
             "hits": hits[i], "decides": decides[i]}
            for i, r in enumerate(self.rules)
        ]  # fmt: skip


@dataclass
class _Token:
    kind: str
    value: str
    position: int  # 1-based column


def _tokens(source: str, line: int) -> list[_Token]:
    found: list[_Token] = []
    at = 0
    while at < len(source):
        match = _TOKEN.match(source, at)
        if match is None or match.end() == at:
            break
        kind = match.lastgroup or "bad"
        value = match.group(kind)
        position = match.start(kind) + 1
        if kind == "bad":
            raise RuleError(line, position, f"unexpected {value!r}")
        found.append(_Token(kind, value, position))
        at = match.end()
    found.append(_Token("end", "", len(source.rstrip()) + 1))
    return found


class _Parser:
    def __init__(
        self, source: str, line: int, numeric: Collection[str], known_codes: bool = False
    ) -> None:
        self.tokens = _tokens(source, line)
        self.at = 0
        self.line = line
        self.numeric = numeric
        self.known_codes = known_codes

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def fail(self, token: _Token, message: str) -> RuleError:
        return RuleError(self.line, token.position, message)

    def word(self, token: _Token, word: str) -> bool:
        return token.kind == "name" and token.value.lower() == word

    def rule(self) -> tuple[Action, Test]:
        action = self.take()
        if action.kind != "name" or action.value.lower() not in ACTIONS:
            shown = action.value or "end of line"
            raise self.fail(action, f"a rule starts with allow, review or block, not {shown!r}")
        keyword = self.take()
        if not self.word(keyword, "if"):
            raise self.fail(keyword, f"expected 'if' after {action.value!r}")
        test = self.either()
        end = self.peek()
        if end.kind != "end":
            raise self.fail(end, f"unexpected {end.value!r}; join conditions with 'and' or 'or'")
        return cast(Action, action.value.lower()), test

    def either(self) -> Test:
        parts = [self.both()]
        while self.word(self.peek(), "or"):
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else (lambda v: any(p(v) for p in parts))

    def both(self) -> Test:
        parts = [self.negation()]
        while self.word(self.peek(), "and"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else (lambda v: all(p(v) for p in parts))

    def negation(self) -> Test:
        token = self.peek()
        if self.word(token, "not"):
            self.take()
            inner = self.negation()
            return lambda v: not inner(v)
        if token.kind == "punct" and token.value == "(":
            self.take()
            inner = self.either()
            close = self.take()
            if close.value != ")":
                raise self.fail(close, "expected ')'")
            return inner
        return self.comparison()

    def comparison(self) -> Test:
        name = self.take()
        if name.kind != "name":
            shown = name.value or "end of line"
            raise self.fail(name, f"expected a feature name, 'not' or '(', not {shown!r}")
        field = name.value
        if field in TEXT_FIELDS:
            return self.text_test(field)
        if field not in self.numeric:
            known = ", ".join(["score", *sorted(set(self.numeric) - {"score"}), *TEXT_FIELDS])
            raise self.fail(name, f"unknown name {field!r}; known: {known}")
        op = self.take()
        if op.kind != "op":
            raise self.fail(op, f"expected a comparison (< <= > >= == !=) after {field!r}")
        value = self.take()
        compare = _COMPARE[op.value]
        if value.kind == "name" and value.value in self.numeric:
            other = value.value
            return lambda v: compare(_number(v, field), _number(v, other))
        if value.kind != "number":
            raise self.fail(value, f"expected a number after {op.value!r}")
        limit = float(value.value)
        if not math.isfinite(limit) or abs(limit) > MAX_NUMBER:
            raise self.fail(value, f"a number in a rule lies within ±{MAX_NUMBER:,.0f}")
        if field == "score" and not 0 <= limit <= 1:  # "block if score >= 2" never blocks
            raise self.fail(value, f"the score lies between 0 and 1, so {field} {op.value} "
                                   f"{value.value} is always true or always false")  # fmt: skip
        return lambda v: compare(_number(v, field), limit)

    def text_test(self, field: str) -> Test:
        op = self.take()
        if self.word(op, "in"):
            opened = self.take()
            if opened.value != "(":
                raise self.fail(opened, "expected '(' after 'in'")
            codes = {self.text_value()}
            while self.peek().value == ",":
                self.take()
                codes.add(self.text_value())
            close = self.take()
            if close.value != ")":
                raise self.fail(close, "expected ',' or ')'")
            return lambda v: str(v.get(field, "")).upper() in codes
        if op.value not in ("==", "!="):
            raise self.fail(op, f"{field!r} takes ==, != or in (...)")
        code = self.text_value()
        if op.value == "==":
            return lambda v: str(v.get(field, "")).upper() == code
        return lambda v: str(v.get(field, "")).upper() != code

    def text_value(self) -> str:
        token = self.take()
        if token.kind != "text":
            raise self.fail(token, 'expected a quoted code such as "US"')
        code = token.value[1:-1].strip().upper()
        # "FRA" hit nothing, without a word (a walk): a country is a code orders carry
        if self.known_codes and code not in MARKETS:
            raise self.fail(token, f"unknown country code {code!r}: a market's two letters, "
                                   'such as "FR" or "DE"')  # fmt: skip
        return code


def _number(values: Values, name: str) -> float:
    return float(values.get(name, BAND_NAMES.get(name, 0.0)))


def parse_rules(
    text: str, features: Collection[str], *, at_least_one: bool = False, new: bool = False
) -> RuleSet:
    """Every line parsed, or RuleError for the first one that does not (nothing half-applied).
    `at_least_one`: a text with no rule is an error too (for rules about to be saved: rules
    saved empty before this check still read as no rule). `new`: rules being written (saved
    or tried), whose country codes must be markets' ("FRA" hit nothing without a word: a
    walk); rules saved before that check still read."""
    numeric = {"score", *BAND_NAMES, *features}
    rules: list[Rule] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        source = raw.split("#", 1)[0]
        if not source.strip():
            continue
        if len(raw) > MAX_LINE:
            raise RuleError(number, MAX_LINE + 1, f"a rule is at most {MAX_LINE} characters")
        action, test = _Parser(source, number, numeric, new).rule()
        rules.append(Rule(len(rules) + 1, number, action, source.strip(), test))
        if len(rules) > MAX_RULES:
            raise RuleError(number, 1, f"at most {MAX_RULES} rules")
    if at_least_one and not rules:
        # no rule means no order is ever blocked or sent to review: screening would be off
        # without anyone having said so (an emptied text box, an empty file)
        raise RuleError(1, 1, "no rule given: orders would pass unscreened without anyone "
                              "saying so; keep the defaults, or write 'allow if score >= 0' to "
                              "let every order pass")  # fmt: skip
    return RuleSet(tuple(rules), text)
