"""Prices in a market's own currency: the seller's rates table, rounding rules, CLDR formats.

The seller keeps one rate per currency: how many units of it one unit of the shop's base
currency buys (`borderless markets rates set EUR 1.17` with base GBP: £1 = €1.17). Rates are
the seller's, not fetched: prices shown must be the prices the seller stands behind.
Rounding rules: `exact` (the currency's CLDR decimals, so JPY has none), `whole` (nearest
whole unit, where that moves the price by at most CHARM_MARKUP either way, else exact: £0.21
at 1.17 was 1 €, an attack), `99` and `95` (charm prices: up to the next ending .99 / .95,
or ...99 / ...95 in a currency without decimals: ¥1,999, not the ¥1,909 that the last digit
alone gave; where that would add more than CHARM_MARKUP, 10%, the last digit alone ends it:
95p at 1.17 is 1,19 €, not the 1,99 € that put 79% on it (a walk); a price so small that even
that adds more is the exact price: £0.01 is $0.01 (a walk saw $0.99, an attack then $0.09), 6
cents stay 6, ¥1.9 is ¥2), and
`100` (up to a whole hundred: ₩8,700 where rule 99 gave ₩8,699, which Korea does not write;
where that would add more than CHARM_MARKUP, up to a whole ten, then a whole unit: £2.95 at
5.05 zł was 100 zł, 6.7 times the price, where 14,90 zł is 15 zł: a walk; and where even a
whole unit would, the exact price: £1.25 at 1.17 was 2 €, an attack). An
unknown currency, a missing rate or an unknown rule is InvalidInput naming its field, never a
price passed through under another currency's sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from borderless.capabilities.catalog.checks import written_number
from borderless.capabilities.grouping import cldr_grouped
from borderless.errors import InvalidInput

__all__ = [
    "ROUNDING_RULES",
    "Rate",
    "base_bound",
    "check_currency",
    "check_rate",
    "convert",
    "format_price",
    "has_rate",
    "local_price",
    "no_rate",
    "plain",
    "round_price",
]

ROUNDING_RULES = ("exact", "whole", "99", "95", "100")
# The most a charm ending may add to a price; above it the ending is on the tenth (1,19 €)
CHARM_MARKUP = Decimal("0.10")
MAX_RATE = Decimal(1_000_000)
# the rates table keeps 8 decimals; a rate below this would be stored as 0 and divide by it
MIN_RATE = Decimal("0.000001")
RATE_STEP = Decimal("0.00000001")  # market_rates.rate is Numeric(18, 8)


@dataclass(frozen=True)
class Rate:
    """Units of `currency` that one unit of `base` buys, and how prices in it are rounded."""

    currency: str
    rate: Decimal
    base: str
    rounding: str = "exact"


# ISO 4217 codes that are no money a shop prices in: "no currency", testing, metals, fund units
_NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA"}
)


def check_currency(code: str, field: str = "currency") -> str:
    """An ISO 4217 code CLDR knows, upper-cased; anything else is InvalidInput."""
    from babel.numbers import list_currencies

    found = code.strip().upper()
    if len(found) != 3 or found not in list_currencies() or found in _NOT_MONEY:
        raise InvalidInput(
            f"unknown currency {_clipped(code)}: use an ISO 4217 code such as EUR, USD, JPY",
            field=field,
        )
    return found


def check_rate(value: object, field: str = "rate") -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidInput(f"{field} must be a number such as 1.17", field=field)
    if isinstance(value, str):
        value = written_number(value, field, "1.17")
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(f"rate {_clipped(str(value))} is not a number", field=field) from exc
    if not rate.is_finite() or not MIN_RATE <= rate <= MAX_RATE:
        shown = value if isinstance(value, str) else format(rate, "f")  # not "1E-7"
        if len(shown) > 30:  # 1e308 was written out in 309 digits
            shown = f"{rate:.2E}"
        raise InvalidInput(
            f"a rate is a number from {format(MIN_RATE, 'f')} to {MAX_RATE:,}, not {shown}",
            field=field,
        )
    kept = rate.quantize(RATE_STEP)
    if kept != rate:  # the table keeps 8 decimals: more were silently rounded before
        raise InvalidInput(f"rate {_clipped(format(rate, 'f'))}: a rate keeps 8 decimals at "
                           f"most (the nearest is {plain(kept)})", field=field)  # fmt: skip
    return plain(kept)


def _clipped(text: str, keep: int = 40) -> str:
    """A refused value quoted, at most `keep` characters of it: a rate of 100,000 digits came
    back whole in its 422 (a walk)."""
    return repr(text) if len(text) <= keep else f"{text[:keep]!r}... ({len(text):,} characters)"


def plain(value: Decimal) -> Decimal:
    """`value` without trailing zeros and never in exponent form: normalize() alone made a rate
    of 190 "1.9E+2", which the Markets page and `markets rates list` showed as it was."""
    n = value.normalize()
    exponent = n.as_tuple().exponent
    return n.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else n


def _digits(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


def round_price(amount: Decimal, currency: str, rule: str = "exact") -> Decimal:
    """`amount` rounded by `rule` (see the module docstring)."""
    digits = _digits(check_currency(currency))
    step = Decimal(1).scaleb(-digits)
    if rule not in ROUNDING_RULES:
        raise InvalidInput(
            f"unknown rounding rule {rule!r}; use one of {', '.join(ROUNDING_RULES)}",
            field="rounding",
        )
    if amount == 0:
        return amount.quantize(step)  # free stays free: the .99 rule made 0 "0,99 €" (a walk)
    if rule == "exact":
        # a price is never rounded down to nothing: £0.04 was "¥0" in China (a walk)
        return max(amount.quantize(step, ROUND_HALF_UP), step)
    if rule == "whole":
        whole = max(amount.quantize(Decimal(1), ROUND_HALF_UP), Decimal(1))
        if abs(whole - amount) > amount * CHARM_MARKUP:
            # a small price is not made whole: £0.21 was 1 € (+300%) and £3.75 4 € (-9%) at
            # 1.17 (an attack); never more than a tenth either way, else the exact price
            return round_price(amount, currency)
        return whole.quantize(step)
    if rule == "100":  # Korean and Japanese shops price in round hundreds (₩8,700, ¥2,000)
        for unit in (Decimal(100), Decimal(10), Decimal(1)):
            price = (amount / unit).to_integral_value(ROUND_CEILING) * unit
            if price <= amount * (1 + CHARM_MARKUP):
                return price.quantize(step)  # never more than a tenth on the price
        # a price too small for a whole unit within a tenth stays exact: £1.25 at 1.17 was
        # 2 € (+37%), 0.05 kr was 1 kr (an attack)
        return round_price(amount, currency)
    if rule in ("99", "95"):
        # the rule's two digits end the price: cents, or the units and tens of a whole currency
        ending = Decimal(rule).scaleb(-2) if digits else Decimal(rule)
        unit = Decimal(1) if digits else Decimal(100)
        price = _ending_in(amount, unit, ending)
        if price > amount * (1 + CHARM_MARKUP):
            # a small price ends in the rule's last digit: £0.95 at 1.17 is 1,19 €, not 1,99 €
            price = _ending_in(amount, unit / 10, Decimal(rule[-1]).scaleb(-2 if digits else 0))
        if price > amount * (1 + CHARM_MARKUP):
            # a tiny price is not charmed at all: 6 cents were 0,15 € and ¥1.9 was ¥9 (an
            # attack); it is the exact price
            return round_price(amount, currency)
        return price.quantize(step)
    raise AssertionError(rule)  # every rule of ROUNDING_RULES is handled above


def _ending_in(amount: Decimal, unit: Decimal, ending: Decimal) -> Decimal:
    """The smallest price >= `amount` that is a whole number of `unit`s less one plus
    `ending` (unit 1, ending .99: 12.99)."""
    bottom = (amount / unit).to_integral_value(ROUND_CEILING) * unit - unit + ending
    return bottom if bottom >= amount else bottom + unit


def convert(amount: Decimal, source: str, target: str, rates: Mapping[str, Rate]) -> Decimal:
    """`amount` in `source` expressed in `target` through the seller's rates (unrounded).

    Either currency may be the base of the rates; a currency without a rate is refused.
    """
    source, target = check_currency(source, "currency"), check_currency(target, "currency")
    if source == target:
        return amount

    def per_base(code: str) -> Decimal:
        if code in rates:
            return rates[code].rate
        if any(r.base == code for r in rates.values()):
            return Decimal(1)
        raise no_rate(code)

    return amount / per_base(source) * per_base(target)


def base_bound(
    amount: Decimal, shown_in: str, base: str, rates: Mapping[str, Rate], *, upper: bool
) -> Decimal:
    """A shopper's price bound in `shown_in` as a bound on base prices, to the cent: for an
    upper bound the highest base price whose price shown in `shown_in` (converted, then rounded
    by that currency's rule, as product pages show it) is at most `amount`; for a lower bound
    the lowest shown at `amount` or more. "unter 10 Euro" was 10 / 1.17 rounded to 8.55 GBP,
    which a German shopper sees as 10,99 € under the "up to .99" rule."""
    cent = Decimal("0.01")

    def within(cents: int) -> bool:  # the shown price grows with the base price
        shown = local_price(Decimal(cents) * cent, base, shown_in, rates)
        return shown <= amount if upper else shown < amount

    if not within(0):
        return Decimal(0)
    low = 0  # the last cent within (at most `amount`; below it for a lower bound)
    high = max(1, int((convert(amount, shown_in, base, rates) / cent).to_integral_value()) + 1)
    while within(high) and high < 10**15:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if within(middle) else (low, middle)
    # an upper bound is that last cent; a lower bound the first past it, shown at `amount`+
    return Decimal(low if upper else low + 1) * cent


def has_rate(code: str, rates: Mapping[str, Rate]) -> bool:
    """Whether the seller's rates price `code`: it has a rate, or it is their base."""
    return code in rates or any(r.base == code for r in rates.values())


def no_rate(code: str) -> InvalidInput:
    """The error for a currency the seller has no rate for, saying how to set one on every
    surface (an API answer had named the CLI command alone: an attack)."""
    return InvalidInput(
        f"no exchange rate for {code}: set one on the dashboard's Markets page, with PUT "
        f"/v1/markets/rates/{code} or with `borderless markets rates set {code} RATE`",
        field="currency",
    )


def rule_for(source: str, target: str, rates: Mapping[str, Rate]) -> str:
    """The rounding rule a price from `source` is shown in `target` by: the product's own
    currency exactly, another by the seller's rule for it."""
    if source.upper() == target.upper() or target not in rates:
        return "exact"
    return rates[target].rounding


def local_price(amount: Decimal, source: str, target: str, rates: Mapping[str, Rate]) -> Decimal:
    """A price for the market that uses `target`: converted, then rounded by its rule."""
    if source.upper() == target.upper():
        return round_price(amount, target, "exact")
    if not has_rate(target.upper(), rates):  # the market's currency is the rate to set
        raise no_rate(check_currency(target))
    return round_price(
        convert(amount, source, target, rates), target, rule_for(source, target, rates)
    )


def format_price(amount: Decimal, currency: str, language: str, rule: str = "exact") -> str:
    """An amount as CLDR writes it in `language` ("12,99 €", "¥1,999", "US$12.99"). A price
    rounded to whole units is written without decimals: "¥12", not "¥12.00" (a walk)."""
    from babel import Locale
    from babel.numbers import format_currency

    currency = check_currency(currency)
    if rule in ("whole", "100") and amount == amount.to_integral_value():
        pattern = Locale.parse(language).currency_formats["standard"].pattern
        written = format_currency(
            amount,
            currency,
            format=pattern.replace(".00", ""),
            locale=language,
            currency_digits=False,
        )
        return cldr_grouped(str(written), language)
    # "1234,50 €" in Spain and Poland, as CLDR groups from five digits there
    return cldr_grouped(str(format_currency(amount, currency, locale=language)), language)
