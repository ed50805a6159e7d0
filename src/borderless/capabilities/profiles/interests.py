"""Interest tags from what a customer bought and wrote, each with the reason it was given.

Themes come from product titles (a keyword list per theme, below); price band from the
customer's average item price against the shop's other customers; seasonality from when they
order; language and country from their orders; reviews from what they wrote. A tag is never
given without its reason, in words a marketer can check ("bought 14 Christmas items, 11 of
them in Q4").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from borderless.capabilities.catalog.markets import MARKETS
from borderless.capabilities.catalog.money import format_price
from borderless.capabilities.profiles.records import Purchase
from borderless.languages import LANGUAGE_NAMES

__all__ = ["THEMES", "Tag", "interest_tags", "review_tag"]

THEMES: dict[str, tuple[str, ...]] = {
    "Christmas": ("CHRISTMAS", "XMAS", "ADVENT", "SANTA", "REINDEER", "SNOWFLAKE", "BAUBLE"),
    "Baking": ("CAKE", "BAKING", "CUPCAKE", "BISCUIT", "COOKIE CUTTER", "JELLY MOULD"),
    "Children": ("CHILDREN", "KIDS", "CHILDS", "TOY", "DOLLY", "SPACEBOY", "DINOSAUR"),
    "Garden": ("GARDEN", "PLANT", "WATERING", "BIRD", "FLOWER POT", "HERB"),
    "Candles and lights": ("CANDLE", "T-LIGHT", "TLIGHT", "LANTERN", "LIGHTS", "NIGHT LIGHT"),
    "Vintage and retro": ("VINTAGE", "RETRO", "ANTIQUE"),
    "Bags": ("BAG", "TOTE", "SHOPPER"),
    "Kitchen and tea": ("MUG", "TEA", "CUP", "PLATE", "BOWL", "JAR", "LUNCH BOX", "TEAPOT"),
    "Party": ("PARTY", "BUNTING", "NAPKIN", "BALLOON", "PAPER CHAIN"),
    "Stationery and wrapping": ("CARD", "WRAP", "NOTEBOOK", "PENCIL", "STICKER", "GIFT TAG"),
    "Hearts and love": ("HEART", "LOVE", "VALENTINE"),
    "Home decor": ("FRAME", "CUSHION", "DOORMAT", "CLOCK", "HOOK", "SIGN", "WALL ART"),
}
# How a reason names a theme's items ("bought 29 bags items" and "children items" were on the
# customer pages: a walk).
ITEMS = {
    "Christmas": "Christmas items", "Baking": "baking items", "Children": "children's items",
    "Garden": "garden items", "Candles and lights": "candles and lights",
    "Vintage and retro": "vintage or retro items", "Bags": "bags",
    "Kitchen and tea": "kitchen and tea items", "Party": "party items",
    "Stationery and wrapping": "stationery and wrapping items",
    "Hearts and love": "heart and love items", "Home decor": "home decor items",
}  # fmt: skip
MIN_ITEMS = 3  # lines of a theme before it becomes an interest
MIN_SHARE = 0.15  # and at least this share of the customer's lines
_PATTERNS = {
    theme: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")S?\b")
    for theme, words in THEMES.items()
}


@dataclass(frozen=True)
class Tag:
    kind: str  # theme | price | season | bulk | language | country | reviews
    name: str
    reason: str


def _themes(title: str) -> list[str]:
    upper = title.upper()
    return [theme for theme, pattern in _PATTERNS.items() if pattern.search(upper)]


def _quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def interest_tags(
    purchases: Sequence[Purchase],
    reviews: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    currency: str | None = None,
) -> dict[str, list[Tag]]:
    """Tags per customer from their purchases and their reviews ((language, sentiment) each);
    prices in reasons are said in `currency` when given ("£2.34"), else as plain numbers."""

    def said(amount: float) -> str:
        if currency is None:
            return f"{amount:.2f}"
        return format_price(Decimal(str(round(amount, 2))), currency, "en")

    by_customer: dict[str, list[Purchase]] = defaultdict(list)
    for p in purchases:
        by_customer[p.customer_id].append(p)
    average_price = {
        c: float(np.mean([p.unit_price for p in lines])) for c, lines in by_customer.items()
    }
    prices = np.array(sorted(average_price.values())) if average_price else np.zeros(0)
    low, high = np.quantile(prices, [1 / 3, 2 / 3]) if len(prices) else (0.0, 0.0)
    found: dict[str, list[Tag]] = {}
    for customer, lines in by_customer.items():
        tags: list[Tag] = []
        themes: Counter[str] = Counter()
        in_q4: Counter[str] = Counter()
        for p in lines:
            for theme in _themes(p.title):
                themes[theme] += 1
                in_q4[theme] += _quarter(p.placed_at.month) == 4
        for theme, n in themes.most_common():
            if n >= MIN_ITEMS and n >= MIN_SHARE * len(lines):
                season = f", {in_q4[theme]:,} of them in Q4" if theme == "Christmas" else ""
                tags.append(
                    Tag(
                        "theme",
                        theme,
                        f"bought {n:,} {ITEMS[theme]} of {len(lines):,}{season}",
                    )
                )
        price = average_price[customer]
        band = "budget" if price <= low else "premium" if price > high else "mid-range"
        tags.append(
            Tag("price", band, f"average item price {said(price)}; the shop's thirds split at "
                f"{said(low)} and {said(high)}")
        )  # fmt: skip
        # Days with an order, not orders, and one of them outside Oct-Dec: 17850's 34 orders,
        # all on 1-2 December 2010, made a "Q4 shopper" of a customer never seen another
        # season (a walk).
        days = {p.placed_at.date() for p in lines}
        quarters = Counter(_quarter(day.month) for day in days)
        if len(days) >= 3 and quarters[4] / len(days) >= 0.6 and quarters[4] < len(days):
            tags.append(
                Tag("season", "Q4 shopper",
                    f"{quarters[4]:,} of {len(days):,} days with an order in Oct-Dec")
            )  # fmt: skip
        quantity = float(np.median([p.quantity for p in lines]))
        if quantity >= 12:
            tags.append(Tag("bulk", "buys in bulk", f"median {quantity:g} units per line"))
        countries = Counter(p.country for p in lines)
        country = countries.most_common(1)[0][0]
        name = MARKETS[country].name if country in MARKETS else country
        tags.append(
            Tag(
                "country", name, f"{countries[country]:,} of {len(lines):,} lines shipped to {name}"
            )
        )
        language = lines[0].language
        tags.append(
            Tag("language", LANGUAGE_NAMES.get(language, language),
                f"the main language of {name}, where they order")
        )  # fmt: skip
        wrote = review_tag((reviews or {}).get(customer, ()))
        found[customer] = [*tags, wrote] if wrote is not None else tags
    return found


def review_tag(written: Sequence[tuple[str, str]]) -> Tag | None:
    """The "writes reviews" tag of a customer's reviews ((language, sentiment) each)."""
    if not written:
        return None
    langs = Counter(lang for lang, _ in written)
    negative = sum(s == "negative" for _, s in written)
    count = f"{len(written)} review{'s' if len(written) != 1 else ''}"  # "1 reviews" (a walk)
    return Tag("reviews", "writes reviews",
               f"{count} ({', '.join(sorted(langs))}), {negative} negative")  # fmt: skip
