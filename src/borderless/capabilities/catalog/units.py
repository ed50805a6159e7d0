"""Measures and clothing sizes in the system a market reads: cm or inches, kg or pounds, ml or
US fluid ounces, EU (French), German, Italian, Russian, UK, US, Japanese or Korean sizes.

`localize_measures` rewrites "90 cm" as "35.4 in" for the US, "500 ml" as "16.9 fl oz", "100°F"
as "37.8 °C" outside the US, 5" as 12.7 cm, "UK 10" as "US 6" for the US, "EU 38" for Spain or
"DE 36" for Germany, with numbers written the market's way (CLDR, Babel: "35,4 in" in German).
Sizes follow the common women's clothing table (UK 10 = US 6 = EU 38 = DE 36 = IT 42 = RU 44); a
size not on it, a shoe size (a size beside "shoes", "Schuhe", "zapatos"...), or a unit not known
here is InvalidInput, never passed through unconverted. A half size ("UK size 10.5", which no
clothing table has) is not read as a size and stays as written. In free text only the units
above (and km, yards and miles) are read as units: other words after a number ("5 parsecs",
"12 stone", which is as often the material) are left as written. Fluid ounces and gallons are
US ones (29.57 ml, 3.785 l; the imperial markets here are the US's); "oz" beside drinkware
("12 oz mug") is a fluid ounce, elsewhere a weight. Pints and quarts in an English text, whose
British and American sizes differ by a fifth, are refused for a market that does not read them
rather than converted by a guess, unless the metric measure follows ("2 pints (1.1 l)") or the
pint names a glass ("2 pint glasses"). A converted measure goes up or down a unit where it is
big or small ("250 m" is 820.2 ft, not 9,842.5 in; "5 l" 1.3 gal; "30 ft" 9.1 m; "0.2 m"
7.9 in). Units written in full ("10 kilometres", "500 grams", "6 feet") are read; "mi" only in
an English text ("mi piace" is Italian).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from borderless.capabilities.grouping import cldr_grouped
from borderless.capabilities.localize.figures import decimal_mark, known_locale
from borderless.errors import InvalidInput

__all__ = [
    "IMPERIAL_MARKETS",
    "INCHES_GO_ON",
    "SIZES",
    "convert_measure",
    "convert_size",
    "find_sizes",
    "found_measures",
    "localize_measures",
    "shoe_sizes",
    "size_equivalents",
    "size_problem",
    "size_system",
    "unit_system",
]

# Units per their system's base (metres, kilograms).
LENGTH = {"mm": Decimal("0.001"), "cm": Decimal("0.01"), "m": Decimal(1), "km": Decimal(1000),
          "in": Decimal("0.0254"), "ft": Decimal("0.3048"), "yd": Decimal("0.9144"),
          "mi": Decimal("1609.344")}  # fmt: skip
WEIGHT = {"g": Decimal("0.001"), "kg": Decimal(1), "oz": Decimal("0.028349523125"),
          "lb": Decimal("0.45359237")}  # fmt: skip
VOLUME = {"ml": Decimal("0.001"), "cl": Decimal("0.01"), "l": Decimal(1),
          "fl oz": Decimal("0.0295735295625"), "gal": Decimal("3.785411784")}  # fmt: skip
# the inch in the market languages' own words, after a number: "Kerze, 8 Zoll hoch", "bougie
# de 8 pouces", "8インチ" were left unconverted (a walk); their pounds (Pfund, livre, libra)
# are also money, and are not read
FOREIGN_INCHES = ("zoll", "pouces", "pouce", "pulgadas", "pulgada", "polegadas", "polegada",
                  "pollici", "pollice", "duim", "дюймов", "дюйма", "дюйм", "インチ", "英寸",
                  "인치", "بوصات", "بوصة", "inç")  # fmt: skip
ALIASES = {**dict.fromkeys(FOREIGN_INCHES, "in"),
           "inch": "in", "inches": "in", '"': "in", "″": "in", "lbs": "lb", "pound": "lb",
           "pounds": "lb", "kgs": "kg", "litre": "l", "litres": "l", "liter": "l", "liters": "l",
           "floz": "fl oz", "gallon": "gal", "gallons": "gal", "yard": "yd", "yards": "yd",
           "yds": "yd", "mile": "mi", "miles": "mi", "kilometre": "km", "kilometres": "km",
           "kilometer": "km", "kilometers": "km", "metre": "m", "metres": "m", "meter": "m",
           "meters": "m", "centimetre": "cm", "centimetres": "cm", "centimeter": "cm",
           "centimeters": "cm", "millimetre": "mm", "millimetres": "mm", "millimeter": "mm",
           "millimeters": "mm", "gram": "g", "grams": "g", "grammes": "g", "kilogram": "kg",
           "kilograms": "kg", "ounce": "oz", "ounces": "oz", "foot": "ft", "feet": "ft",
           "millilitre": "ml", "millilitres": "ml", "milliliter": "ml",
           "milliliters": "ml"}  # fmt: skip
IMPERIAL_MARKETS = {"US", "LR", "MM"}  # markets that measure in inches and pounds
METRIC_FOR = {"in": "cm", "ft": "cm", "yd": "m", "mi": "km", "lb": "kg", "oz": "g",
              "fl oz": "ml", "gal": "l"}  # fmt: skip
IMPERIAL_FOR = {"mm": "in", "cm": "in", "m": "ft", "km": "mi", "g": "oz", "kg": "lb", "ml": "fl oz",
                "cl": "fl oz", "l": "fl oz"}  # fmt: skip
# a converted measure of this many of a unit or more is written in the next: metres went to
# the US in inches ("250 m" was "9,842.5 in": an attack), now feet; litres in gallons from one
# gallon up; under a foot, feet are inches ("0.2 m" is 7.9 in, not 0.7 ft)
# (and the metric ones: "30 ft" is 9.1 m, not 914.4 cm, from 3 m up; "64 fl oz" 1.9 l, not
# 1,892.7 ml)
_BIGGER = {"fl oz": (Decimal(128), "gal"), "cm": (Decimal(300), "m"), "ml": (Decimal(1000), "l"),
           "g": (Decimal(1000), "kg")}  # fmt: skip
_SMALLER = {"ft": (Decimal(1), "in")}
TABLES = (LENGTH, WEIGHT, VOLUME)
# Women's clothing: (EU, UK, US, JP, KR), the table most European shops print, with the
# Japanese JIS numbers (号: UK 10 = 9号) and the Korean ones (UK 10 = 66) that the shops of
# those markets print; "" where a system has no such size (Korea's run 44 to 99). Japan and
# Korea were shown EU sizes, foreign to both (a walk).
_WOMEN = [("32", "4", "0", "3", ""), ("34", "6", "2", "5", "44"), ("36", "8", "4", "7", "55"),
          ("38", "10", "6", "9", "66"), ("40", "12", "8", "11", "77"),
          ("42", "14", "10", "13", "88"), ("44", "16", "12", "15", "99"),
          ("46", "18", "14", "17", ""), ("48", "20", "16", "19", ""),
          ("50", "22", "18", "21", "")]  # fmt: skip
# "EU" is the French scale (France, Spain, Portugal, Belgium: UK 10 = 38). Germany and the
# countries that size as it does (Austria, Switzerland, the Netherlands, Poland, Czechia, the
# Nordic countries) run two below it (UK 10 = DE 36), Italy four above (IT 42), Russia six
# above (RU 44). Every such market was shown the French number as "EU", so a German shopper
# ordering a UK 12 dress read "EU 40" and bought a size too big (a walk).
_SCALES = {"DE": -2, "IT": 4, "RU": 6}
SIZES = [(*row, *(str(int(row[0]) + step) for step in _SCALES.values())) for row in _WOMEN]
SYSTEMS = ("EU", "UK", "US", "JP", "KR", *_SCALES)
_GERMAN_SIZES = {"DE", "AT", "CH", "LI", "NL", "PL", "CZ", "SK", "DK", "SE", "NO", "FI", "IS"}
# Units of two letters or more in any case ("60CM" in an upper-case title); the one-letter
# ones and "in" only as written here ("2 IN 1", "3M", "4G" are not measures).
_NUM = r"\d+ \d+/\d+|\d+/\d+|\d*[½¼¾]|\d+(?:[.,]\d+)?"  # 3 1/2 | 1/2 | 3½ | 2.5 | 2,5
# numbers that share one unit: "30 x 40 cm" (both are centimetres), "10-20 cm", "2 to 3 kg"
_SEP = r"\s*(?:x|X|×|-|–|to|by)\s*"  # "16X16CM" in a title in capitals
_RUN = rf"(?:{_NUM})(?:{_SEP}(?:{_NUM}))*"
_SEPARATOR = re.compile(f"({_SEP})")
# each number with its metric unit, in capitals and unspaced: "65CMx65CM" (a cushion pad), read
# as "65x65CM"; it was not read at all, and the product page showed only a later "65cm" (a
# walk); "in" only in small letters, as INCHES_GO_ON reads it
_EACH_UNIT = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)(\s?)((?i:mm|cm)|m|in)(\s?[x×]\s?)(\d+(?:[.,]\d+)?)\s?\3"
    r"(?!\w)"
)


def _one_unit(m: re.Match[str]) -> str:
    """ "65CMx65CM" as "65x65CM", "65 cm x 65 cm" as "65 x 65 cm": the unit once, at the end;
    "8 in x 10 in" as "8 x 10 inch", which no word after it unmakes ("8 in x 10 in frame" was
    "20,3 cm x 10 in frame")."""
    unit = "inch" if m[3] == "in" else m[3]
    return f"{m[1]}{m[4]}{m[5]}{m[2] or (' ' if unit == 'inch' else '')}{unit}"


# "in" is inches only where a measure goes on ("20 in wide", "8 in x 10 in", "20 in."), never
# in "2 in stock", "5 in 1", "Set of 2 in a box" (a walk: "Only 5,1 cm stock"); the attribute
# reader (attributes.py) follows the same rule
INCHES_GO_ON = (
    r"(?=[ \t]*(?:$|\n|[^\w\s]|(?:x|×|by|long|wide|tall|high|deep|thick|across|diameter|dia"
    r"|length|width|height|drop|square|sq)\b))"
)
# "in." before a word is the abbreviation, not the sentence's end
_INCHES_GO_ON = rf"in(?:\.(?=[ \t]+[a-z]))?{INCHES_GO_ON}"
# A number starts after a letter, space or sign, or after a comma or slash that follows a
# letter ("30 cm,40 cm", "10cm/20cm": the second was left as written), never inside "1,5",
# "2.5", "1/2" or a grouped "1 234,5" (which became "1 92.3 in"); after a number and a space
# only when it is no group of three ("SET OF 2 12 OZ MUGS" was left as written, an attack)
_START = r"(?<![\w.])(?<!\d[,/])(?:(?<!\d[ \u00a0\u202f])|(?!\d{3}(?!\d)))"
# "not "3 L-shaped hooks", nor a rate ("10 kg/m²" was "22 lb/m²")
_END = r"(?![\w-]|/[^\W\d_²³])"
# "12-oz mug", "10-inch plate": a measure written as an adjective (was left as written)
_FOREIGN = "|".join(FOREIGN_INCHES)
# the units' names in full ("10 kilometres", "500 grams", "6 feet"; were left as written: an
# attack), longest first
_FULL_NAMES = ("kilometre", "kilometer", "metre", "meter", "centimetre", "centimeter",
               "millimetre", "millimeter", "millilitre", "milliliter", "kilogram", "gram",
               "ounce")  # fmt: skip
_WORDS = "|".join([*(f"{name}s" for name in _FULL_NAMES), *_FULL_NAMES, "grammes", "feet",
                   "foot"])  # fmt: skip
_MEASURE = re.compile(
    rf"{_START}({_RUN})(?:\s|-(?=[^\W\d_]))?((?i:{_FOREIGN}|mm|cm|km|ml|cl|inches|inch|ft|yards?|yds?"
    rf"|miles?|mi|kgs|kg|lbs|lb|fl\.?\s?oz|oz|litres?|liters?|gallons?|gal|{_WORDS})"
    rf"(?:\.(?=[ \t]+[a-z]))?|m"
    rf"|{_INCHES_GO_ON}|g|l|L){_END}"
)
# pints and quarts: a British pint is 568 ml, an American 473 ml, and an English text does not
# say which; "2 pint glasses" passed through to every market (an attack). Where pints are not
# read (outside the UK, Ireland and the imperial markets) such a measure is refused, naming
# both, never converted by a guess. The unit is read in English texts only.
_PINTS = re.compile(rf"{_START}({_RUN})(?:\s|-)?((?i:pints?|quarts?)){_END}")
# the UK, Ireland, the Crown Dependencies (the shop's "Channel Islands" is XC) and the US
PINT_MARKETS = {"GB", "IE", "XC", "IM", "JE", "GG", *IMPERIAL_MARKETS}
# ...and British markets read miles, yards, gallons and fluid ounces as they are, theirs: "5
# miles" was "8 km" and "2 gallons" 7.6 l (US gallons, not the 9.1 l British) for the UK (an
# attack)
MILE_MARKETS = {"GB", "XC", "IM", "JE", "GG"}
# ...but not where the metric measure follows ("2 pints (1.1 l)") or the pint names a kind of
# glass ("set of 2 pint glasses" is two glasses): the reader is told what it holds, or not asked
_PINT_NAMED = re.compile(
    r"\s*\(\s*(?:approx\.?\s*|ca\.?\s*|~\s*)?\d+(?:[.,]\d+)?\s?(?i:ml|cl|l|litres?|liters?)"
    r"\s*\)"
)
# "2 pint glasses", "a pint glass": the glass, not what it holds; "2 pint glass jug" and "2
# pints glass" are a capacity (an attack), refused as above
_PINT_GLASS = re.compile(
    r"-?\s*(?i:glasses|tankards|beer\s+glasses|(?:glass|tankard)(?=\s*$|"
    r"\s*[^\w\s]|\s+(?:set|of|and|with|for)\b))"
)
_PINT_SIZES = {"pint": "568 ml and 473 ml", "quart": "1.137 l and 0.946 l"}
# two units in one measure: "5 ft 6 in", "1 lb 4 oz" (were "152,4 cm 15,2 cm", "0,45 kg 113,4 g")
# (and 5′6″ with the prime marks, which was "5′15.2 cm"); "1 m 20 cm" and "1 kg 500 g" too
# (were "39.4 in 7.9 in" and "2.2 lb 17.6 oz" for the US)
# (and in full: "6 feet 2 inches", "1 pound 4 ounces", "1 metre 20 centimetres" were read
# one unit at a time, "182,9 cm 5,1 cm": an attack)
_FT = r"(?:ft|feet|foot)"
_FEET_INCHES = re.compile(
    rf"{_START}({_NUM})\s?(?:{_FT}\s*|'|′)({_NUM})\s?(?:in|inches|inch|\"|″){_END}"
)
# "6 ft 2" is 6 ft 2 in when no word or number follows the 2 (was "182.9 cm 2"); 0 to 11
_FEET_AND = re.compile(rf"{_START}({_NUM})\s?{_FT}\s+(1[01]|\d)(?![.,]?\d)(?!\s*\w)")
_POUNDS_OUNCES = re.compile(
    rf"{_START}({_NUM})\s?(?:lbs?|pounds?)\s+({_NUM})\s?(?:oz|ounces?){_END}"
)
_METRES_CENTIMETRES = re.compile(
    rf"{_START}({_NUM})\s?(?:m|metres?|meters?)\s+({_NUM})\s?(?:cm|centimetres?|centimeters?)"
    rf"{_END}"
)
_KILOS_GRAMS = re.compile(
    rf"{_START}({_NUM})\s?(?:kg|kilograms?|kilos?)\s+({_NUM})\s?(?:g|grams?|grammes?){_END}"
)
# feet a thing stands on are no measure: "Stool stands on 3 feet", "Table with 4 feet and a
# drawer" were 91,4 cm and 121,9 cm (an attack)
_LEGS = re.compile(r"(?i)\b(?:on|with|has|have|its|their)\s+$")
# "1,000" and "1.000": a thousand in English and German, one in German and English: not read
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")
_LONGEST = 12  # digits: a longer "number" is no measure (26 digits ended in a 500)
# 5" is five inches, unless the figure opens a quotation ('size "5" fits'); glued to the words
# of a title in capitals too ('42"NECKL.', 'NECKL.36"GREEN' were left as written); 5"x7" is
# one measure
# and 1/2" is half an inch (the 2 alone was read: "1/5,1 cm ribbon")
_INCH_MARK = re.compile(
    rf"(?<![\w,/\"“'′])(?<!\d\.)(?<!\d )((?:(?:{_NUM})[\"″]?\s?[x×X]\s?)*(?:{_NUM}))(\"|″)"
    r"(?![\d-])"
)  # not 5'6" (the rule before)
# temperatures: °F for imperial markets, °C for the others ("100°F" stayed in a German text)
# (and the one-character signs ℃ and ℉ Chinese and Japanese text writes after a word:
# "耐熱200℃" stayed 200℃ for the US; kept as written where the market reads it so)
_TEMPERATURE = re.compile(
    r"(?:(?<![\w.,])|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]))"
    r"(-?\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*-?\d+(?:[.,]\d+)?)*)"
    r"\s?(?:(?:°\s?|(?i:degrees?)\s+)([CF])(?i:elsius|ahrenheit)?|(℃|℉))(?!\w)"
)
# "UK 10", and as people write it in full: "UK size 10", "UK dress size 12", "US shoe size 8"
# (the walk's "UK shoe size 8, dress size 12" went through unconverted and unrefused), in the
# languages a listing is localized into ("UK-Größe 10", "taille UK 12" is not read), two sizes
# ("UK size 8-10", and with the word "size": "UK sizes 10 and 12"), or the system after the
# size ("size 10 (UK)"): the last three were left as written (a walk)
_SIZE_WORD = r"(?i:sizes?|größen?|grösse|taille|talla|taglia|tamanho|maat|rozmiar|размер|beden)"
_SIZE_AND = r"(?i:and|or|&|und|oder|et|ou|y|o|e|en|of|i|lub|и|или|ve|veya)"
# more sizes after the first: a range ("8-10"), a list ("8, 10 or 12", "10 and 12 and 14": the
# later ones were left as written, "US size 6 and 8 and 14"); without the word size, a listed
# number must not be followed by a word ("UK 10, 90 cm long", "UK 10 and 12 in stock")
# A range ("UK 8-12 dresses") takes any word after it but a unit ("UK 8-12 cm"); a list
# without the word size takes a garment after it ("UK 10 or 12 tops"), no other word: both
# were half converted, "DE 34-12 dresses" (a walk).
_UNIT_AFTER = r"\s*(?i:mm|cm|m|in|inch|inches|ft|kg|g|lbs?|oz|ml|cl|l)\b"
_GARMENT = (r"(?i:dress(?:es)?|tops?|skirts?|trousers|jeans|shirts?|t-shirts?|blouses?|coats?|"
            r"jackets?|jumpers?|sweaters?|cardigans?|leggings|shorts|pyjamas|pajamas|suits?|"
            r"gowns?|bras?)")  # fmt: skip
_SIZE_MORE = (
    rf"(?P<more>(?:\s*(?:-|–|/|to)\s*\d{{1,2}}(?!\w|[.,]\d)(?!{_UNIT_AFTER})"
    rf"|(?:,\s*|\s+{_SIZE_AND}\s+)\d{{1,2}}(?!\w|[.,]\d)"
    rf"(?(words)|(?!\s*(?!{_SIZE_AND}\b|{_GARMENT}\b)[^\W\d_])))*)"
)
_SIZE = re.compile(
    r"\b(?P<system>EU|UK|US)(?P<sep>\s?|-)(?P<words>(?i:(?:women'?s|ladies'?)\s+)?"
    rf"(?i:(?:dress|clothing|shoe|boot)\s+)?{_SIZE_WORD}\s+)?(?P<size>\d{{1,2}})"
    rf"(?!\w|[.,]\d){_SIZE_MORE}"  # "UK size 10.5" is no size of the table
)
_SIZE_AFTER = re.compile(
    rf"(?<!\w)(?P<words>{_SIZE_WORD}\s+)(?P<size>\d{{1,2}})(?!\w|[.,]\d){_SIZE_MORE}"
    r"\s*\((?P<system>EU|UK|US)\)"
)
# a number that is a size ("UK 12 in blue", "size 12 in blue") is not 12 inches
_SIZE_BEFORE = re.compile(r"\b(?:EU|UK|US|(?i:size))\s?$")
# A size this near a footwear word is a shoe size, which the clothing table does not convert
# (US 6 shoes are EU 37-38 for women, 39 for men): refused rather than converted wrongly.
_FOOTWEAR = re.compile(
    r"\b(shoes?|boots?|sneakers?|trainers?|sandals?|slippers?|heels|footwear|schuhe?|stiefel|"
    r"chaussures?|bottes|zapatos?|botas|scarpe|sapatos?|schoenen|laarzen)\b",
    re.IGNORECASE,
)
_NEAR = 30  # characters either side of a size searched for a footwear word
_CLOTHES = re.compile(rf"\b{_GARMENT}\b|\b(?i:kleid|robe|vestido|abito)\b")


def _footwear(text: str, start: int, end: int) -> bool:
    """Whether the size at text[start:end] is a shoe size: a footwear word within _NEAR
    characters, and no garment nearer ("Party dress in UK 10, lovely with our silver shoes"
    was refused as a shoe size: a walk)."""
    low, high = max(0, start - _NEAR), end + _NEAR

    def nearest(pattern: re.Pattern[str]) -> int | None:
        found = [min(abs(m.end() - start), abs(m.start() - end))
                 for m in pattern.finditer(text, low, high)]  # fmt: skip
        return min(found) if found else None

    shoes = nearest(_FOOTWEAR)
    clothes = nearest(_CLOTHES)
    return shoes is not None and (clothes is None or shoes < clothes)


# Ounces that name drinkware, or a capacity, are fluid ounces: "12 oz mug" was 340.2 g (a
# walk). Only the word right after ("12 oz ceramic mug"), the word right before ("ENAMEL MUG
# 12 OZ", a title) or "holds"/"capacity" right before:
# "4 oz chocolate bar" beside a mug, "8 oz wax" in a glass jar and "12 oz bag" of coffee are
# weights (an attack, when any such word within 30 characters counted)
_DRINKWARE = re.compile(
    r"^\.?\s*(?:[^\W\d_]+\s+)?(?:mugs?|cups?|tumblers?|bottles?|flasks?|beakers?|pitchers?|"
    r"jugs?|carafes?|teapots?|travel\s+mugs?)\b",
    re.IGNORECASE,
)
_DRINKWARE_WORDS = (r"mugs?|cups?|tumblers?|bottles?|flasks?|beakers?|pitchers?|jugs?|"
                    r"carafes?|teapots?")  # fmt: skip
_CAPACITY = re.compile(
    rf"\b(?:holds?|capacity|capacity of|{_DRINKWARE_WORDS})\s*[,:\-–]?\s*$", re.IGNORECASE
)


def _fluid(match: re.Match[str]) -> bool:
    """Whether the ounces `match` found name drinkware or a capacity: fluid ounces."""
    text = match.string
    after = text[match.end() : match.end() + _NEAR]
    return bool(_DRINKWARE.search(after) or _CAPACITY.search(text[: match.start()]))


def _unit(name: str) -> str:
    plain = name.strip().lower().replace(".", "").replace(" ", "")
    unit = ALIASES.get(plain, plain)
    if not any(unit in table for table in TABLES):
        known = ", ".join(u for table in TABLES for u in table)
        raise InvalidInput(f"unknown unit {name!r}; known units: {known}", field="unit")
    return unit


def convert_measure(value: Decimal, source: str, target: str) -> Decimal:
    """`value` in unit `source` expressed in unit `target` (both lengths, both weights or both
    volumes)."""
    source, target = _unit(source), _unit(target)
    for table in TABLES:
        if source in table and target in table:
            return value * table[source] / table[target]
    raise InvalidInput(f"cannot convert {source} to {target}", field="unit")


def convert_size(size: str, source: str, target: str) -> str:
    """A women's clothing size from one system to another ("10", "UK", "US" -> "6")."""
    source, target = source.upper(), target.upper()
    for name in (source, target):
        if name not in SYSTEMS:
            raise InvalidInput(f"unknown size system {name!r}; use {', '.join(SYSTEMS)}",
                               field="size")  # fmt: skip
    column = SYSTEMS.index(source)
    for row in SIZES:
        if row[column] == size.strip() and size.strip():
            if not row[SYSTEMS.index(target)]:
                raise InvalidInput(f"{source} size {size!r} has no {target} size on the size "
                                   "table", field="size")  # fmt: skip
            return row[SYSTEMS.index(target)]
    raise InvalidInput(f"{source} size {size!r} is not on the size table", field="size")


def find_sizes(text: str) -> list[tuple[str, str, int, int]]:
    """Clothing sizes named with their system ("UK 10"): (system, size, start, end)."""
    found = [m for pattern in (_SIZE, _SIZE_AFTER) for m in pattern.finditer(text)]
    return sorted((m["system"], m["size"], m.start(), m.end()) for m in found)


def found_measures(text: str) -> list[str]:
    """The measures, temperatures and sizes `text` names ("90 cm", '7"', "UK 10"), each once,
    in order ('RECORD FRAME 7" SINGLE SIZE' showed none on the product page)."""
    rules = (_EACH_UNIT, _FEET_INCHES, _FEET_AND, _MEASURE, _INCH_MARK, _TEMPERATURE, _PINTS)
    taken: list[tuple[int, int]] = []
    spans = []
    for pattern in rules:
        for m in pattern.finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e in taken):
                taken.append((m.start(), m.end()))
                span = m.group(0)
                if pattern is _MEASURE and _unit(m.group(2)) == "oz" and _fluid(m):
                    span = f"{m.group(1)} fl oz"  # converted alone, it is read as it is meant
                spans.append((m.start(), span))
    spans += [(m.start(), m.group(0)) for p in (_SIZE, _SIZE_AFTER) for m in p.finditer(text)]
    return list(dict.fromkeys(span for _, span in sorted(spans)))


def shoe_sizes(text: str) -> set[str]:
    """The sizes `text` names beside a footwear word ("Ladies shoes UK 6"): shoe sizes, which
    the clothing table does not convert. found_measures gives them without the words around
    them, so a page that converts each span alone must ask here (the product page showed
    "EU 34 (UK 6)" for shoes the API refused: an attack)."""
    return {m.group(0) for p in (_SIZE, _SIZE_AFTER) for m in p.finditer(text)
            if _footwear(text, m.start(), m.end())}  # fmt: skip


def _on_table(match: re.Match[str], system: str) -> bool:
    """Whether every size of a matched size run is on the clothing table in `system`."""
    column = SYSTEMS.index(system)
    sizes = [match["size"], *re.findall(r"\d+", match["more"] or "")]
    return all(any(row[column] == size for row in SIZES) for size in sizes)


def size_equivalents(system: str, size: str) -> set[tuple[str, str]]:
    """The same size in every system (UK 10 -> EU 38, US 6, JP 9, KR 66); only itself when off
    the table, and without a system that has no such size."""
    found = {(system.upper(), size.strip())}
    for target in SYSTEMS:
        try:
            found.add((target, convert_size(size, system, target)))
        except InvalidInput:
            continue
    return found


# The words a size may put right after a number ("38 EU", "2XL", "3-4 years", "30 x 40 cm").
_AFTER_SIZE = frozenset({
    *(u for table in TABLES for u in table), *ALIASES, "x", "years", "year", "yrs", "yr", "y",
    "months", "month", "mths", "mos", "eu", "uk", "us", "de", "it", "fr", "jp", "kr", "ru",
    "xs", "s", "l", "xl", "xxl", "xxxl", "fl", "cms", "mm", "ins",
    # ages and metric units as the market languages write them ("3-4 ans", "5 см")
    "ans", "an", "jahre", "jahr", "monate", "mois", "años", "año", "meses", "anni", "anno",
    "mesi", "anos", "ano", "jaar", "maanden", "lat", "lata", "miesięcy", "лет", "года", "год",
    "месяцев", "yaş", "ay", "歳", "岁", "세", "개월", "ヶ月", "个月", "см", "мм", "м", "кг", "г",
    "мл", "л",
})  # fmt: skip
_SIZE_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)(?:\s*([^\W\d_]+))?")


def size_problem(text: str) -> str | None:
    """What is wrong with a size a seller gives as a product fact, or None: a number in
    exponent form ("1e309 cm"), a negative one ("-3 cm"), one over 100,000, or a word after
    a number that is no unit, size system, letter size or age ("10 furlongs"). All were
    stored as seller-confirmed facts (an attack)."""
    if re.search(r"\d[eE][+-]?\d", text):
        return "write the size's numbers in full, not in exponent form"
    if re.search(r"(?<![\w.,])[-−]\s?\d", text):
        return "a size is not negative"
    for number, word in _SIZE_NUMBER.findall(text):
        if Decimal(number.replace(",", ".")) > 100_000:
            return f"{number} is too large for a size"
        if word and word.lower() not in _AFTER_SIZE:
            return (
                f"{word!r} after {number} is no unit or size this shop reads (cm, in, kg, "
                "ml, a size system such as EU, a letter size such as XL, or years)"
            )
    return None


def unit_system(market: str) -> str:
    return "imperial" if market.upper() in IMPERIAL_MARKETS else "metric"


def size_system(market: str) -> str:
    """The women's clothing sizes `market` reads: EU (the French scale), DE, IT, RU, UK, US,
    JP or KR."""
    code = market.upper()
    if code in ("JP", "KR", "IT", "RU"):
        return code
    if code in _GERMAN_SIZES:
        return "DE"
    return "US" if code in ("US", "CA") else "UK" if code in ("GB", "IE", "XC", "AU") else "EU"


_OVER_ZERO = re.compile(r"/0+(?!\d)")
_FRACTIONS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}


def _decimal(number: str) -> Decimal:
    """ "2,5" and "2.5" as 2.5; "1/2" and "½" as 0.5; "3 1/2" and "3½" as 3.5."""
    number = number.strip()
    if " " in number:
        whole, part = number.split(" ", 1)
        return Decimal(whole) + _decimal(part)
    if number and number[-1] in _FRACTIONS:
        return Decimal(number[:-1] or 0) + _FRACTIONS[number[-1]]
    if "/" in number:
        top, bottom = number.split("/")
        return Decimal(top) / Decimal(bottom)  # never over 0: unread() leaves those as written
    return Decimal(number.replace(",", "."))


def _number(value: Decimal, language: str, converted: bool = True) -> str:
    """A measure's number written for `language`: a converted one to one decimal (two under
    1: "3.5g" is 0.12 oz, not 0.1) and never rounded to nothing (two significant digits: 0.001
    kg was "0 lb"); one kept in its unit with the digits it was written with ("1.1111 cm" was
    "1.1 cm" in Britain)."""
    from babel.numbers import format_decimal

    if not converted:
        written = str(format_decimal(value, locale=language, decimal_quantization=False))
        return cldr_grouped(written, language)
    step = Decimal("0.01") if abs(value) < 1 else Decimal("0.1")
    rounded = value.quantize(step, ROUND_HALF_UP)
    if rounded == 0 and value != 0:
        rounded = value.quantize(Decimal(1).scaleb(value.adjusted() - 1), ROUND_HALF_UP)
    written = str(format_decimal(rounded.normalize(), locale=language, decimal_quantization=False))
    return cldr_grouped(written, language)


def localize_measures(
    text: str, market: str, language: str = "en", source: str | None = None
) -> str:
    """`text` with its measures and sizes in `market`'s systems, numbers written for
    `language`; measures already in the right system are only re-formatted. What one rule
    wrote is not read again by the next ("6 lb 4 oz" became "2,835 g", then "2.8 g").
    `source`: the language the text is written in, whose decimal mark reads "1,200 g" when
    the text shows none of its own."""
    imperial = unit_system(market) == "imperial"
    wanted = IMPERIAL_FOR if imperial else METRIC_FOR
    text = _EACH_UNIT.sub(_one_unit, text)  # "65CMx65CM": 65x65CM

    # The text's own decimal mark, where it shows one: beside "2.5 cm" the comma of "1,250 g"
    # groups (1250 g; it was left as written, which a German reader takes for 1.25 g: a walk),
    # beside "2,5 cm" the point of "1.250 g" does; else "1,250" is one or a thousand.
    point = re.search(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,]?\d)", text) is not None
    comma = re.search(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,]?\d)", text) is not None
    group = "," if point and not comma else "." if comma and not point else ""
    if not group and not (point and comma) and source:
        # an English listing's "1,200 g" is 1200 g: it was left as written, which a German
        # reader takes for 1.2 g, unless some other number showed the decimal point (a walk)
        mark = decimal_mark(source) if known_locale(source) else ""
        group = {".": ",", "٫": ",", ",": "."}.get(mark, "")

    def plain(number: str) -> str:
        number = number.strip()
        return number.replace(group, "") if group and _AMBIGUOUS.fullmatch(number) else number

    def unread(run: str) -> bool:
        """A number too long to be a measure, "1,000" (one or a thousand?) or a fraction over
        nothing ("1/0 inch" was read as 1 inch): as written."""
        numbers = [p for p in _SEPARATOR.split(run)[::2] if p.strip()]
        return any(len(re.sub(r"\D", "", n)) > _LONGEST or _OVER_ZERO.search(n)
                   or (not group and _AMBIGUOUS.fullmatch(n.strip())) for n in numbers)  # fmt: skip

    def measure(match: re.Match[str]) -> str:
        run = re.sub(r"[\"″]", "", match.group(1))  # 5"x7": each number in the one unit
        single = _SEPARATOR.search(run) is None
        if (
            single
            and match.group(2) == "in"
            and _SIZE_BEFORE.search(match.string, 0, match.start())
        ):
            return match.group(0)  # "size 12 in blue"
        if unread(run):
            return match.group(0)
        if match.group(2).lower() == "mi" and source not in (None, "en"):
            return match.group(0)  # "mi" is "my" in Spanish and "me" in Italian ("2 mi piace")
        if match.group(2).lower() in ("feet", "foot") and _LEGS.search(
            match.string, 0, match.start()
        ):
            return match.group(0)
        unit = _unit(match.group(2))
        if unit == "oz" and _fluid(match):
            unit = "fl oz"
        if unit in ("mi", "yd", "gal", "fl oz") and market.upper() in MILE_MARKETS:
            return match.group(0)  # British measures for British readers (a gallon is theirs)
        target = wanted.get(unit, unit)
        if target == unit and any(ch in run for ch in "/½¼¾"):
            return match.group(0)  # "3 1/2 in" for the US: as written, not "3.5 in"
        # each number of a run in the one unit: "30 x 40 cm" -> "11.8 x 15.7 in"
        parts = _SEPARATOR.split(run)
        values = [convert_measure(_decimal(plain(p)), unit, target) for p in parts[::2]]
        if target != unit:
            values, target = _sized(values, target)
        for i, value in zip(range(0, len(parts), 2), values, strict=True):
            parts[i] = _number(value, language, converted=target != unit)
        for i in range(1, len(parts), 2):
            parts[i] = parts[i].replace("X", "x")  # a capital's "16X16CM": "16x16 cm"
        written = f"{''.join(parts)} {target}"
        if match.re is _INCH_MARK:  # '42"NECKL.' -> "106.7 cm NECKL." ("42 in NECKL." in the US)
            text, start, end = match.string, match.start(), match.end()
            before = " " if start and (text[start - 1].isalpha() or text[start - 1] == ".") else ""
            after = " " if end < len(text) and text[end].isalpha() else ""
            written = f"{before}{written}{after}"
        return written

    def compound(match: re.Match[str], big: str, small: str, into: str) -> str:
        """ "5 ft 6 in" as one measure in unit `into`, then as the market reads it; as
        written where the market measures so (the US keeps "5 ft 6 in", not "66 in")."""
        target = wanted.get(into, into)
        if target == into or unread(match.group(1)) or unread(match.group(2)):
            return match.group(0)
        value = convert_measure(_decimal(plain(match.group(1))), big, into) + convert_measure(
            _decimal(plain(match.group(2))), small, into
        )
        return f"{_number(convert_measure(value, into, target), language)} {target}"

    def pints(match: re.Match[str]) -> str:
        # English words: a French "3 quarts" is three quarters, a Dutch "2 pint" two beers
        if market.upper() in PINT_MARKETS or source not in (None, "en"):
            return match.group(0)
        if _PINT_NAMED.match(match.string, match.end()) or (
            match.group(2).lower() == "pint" and _PINT_GLASS.match(match.string, match.end())
        ):
            return match.group(0)  # "2 pints (1.1 l)", "2 pint glasses": refused (an attack)
        raise InvalidInput(
            f"{match.group(0)}: a British {match.group(2).lower().rstrip('s')} and an American "
            f"one differ ({_PINT_SIZES[match.group(2).lower().rstrip('s')]}): write the "
            "measure in ml or l",
            field="unit",
        )

    def size(match: re.Match[str]) -> str:
        system, source = size_system(market), match["system"]
        if source == system:
            return match.group(0)  # already the market's system: nothing to convert
        shoe = _footwear(match.string, match.start(), match.end())
        european = source == "EU" and system in _SCALES
        if european and (shoe or not _on_table(match, source)):
            # EU shoe sizes are every European market's; an EU size off the clothing table
            # ("size 10 (EU)") is left as the seller wrote it for a market of Europe
            return match.group(0)
        if shoe:
            raise InvalidInput(
                f"{match.group(0)} is a shoe size: only women's clothing sizes are converted "
                "(write the shoe size for each market)",
                field="size",
            )
        converted = convert_size(match["size"], source, system)
        # each size after the first ("UK size 8-10" -> "EU size 36-38", "8, 10 or 12")
        more = re.split(r"(\d+)", match["more"] or "")
        for i in range(1, len(more), 2):
            more[i] = convert_size(more[i], source, system)
        converted += "".join(more)
        words = match["words"] or ""
        if match.re is _SIZE_AFTER:  # "size 10 (UK)" -> "size 38 (EU)"
            return f"{words}{converted} ({system})"
        sep = match["sep"] or (" " if words else "")
        return f"{system}{sep}{words}{converted}" if words else f"{system} {converted}"

    def temperature(match: re.Match[str]) -> str:
        unit = match.group(2) or ("C" if match.group(3) == "℃" else "F")
        target = "F" if imperial else "C"
        if match.group(3) and unit == target:
            return match.group(0)
        # each end of a range: "0-40 °C" -> "32-104 °F" (was "0-104 °F")
        parts = re.split(r"((?<=\d)\s*(?:-|–|to)\s*)", match.group(1))
        if any(len(p) > _LONGEST or (not group and _AMBIGUOUS.fullmatch(p)) for p in parts[::2]):
            return match.group(0)
        for i in range(0, len(parts), 2):
            value = Decimal(plain(parts[i]).replace(",", "."))
            if unit == "C" and target == "F":
                value = value * 9 / 5 + 32
            elif unit == "F" and target == "C":
                value = (value - 32) * 5 / 9
            parts[i] = _number(value, language, converted=unit != target)
        return f"{''.join(parts)} °{target}"

    rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
        (_FEET_INCHES, lambda m: compound(m, "ft", "in", "in")),
        (_FEET_AND, lambda m: compound(m, "ft", "in", "in")),
        (_POUNDS_OUNCES, lambda m: compound(m, "lb", "oz", "oz")),
        (_METRES_CENTIMETRES, lambda m: compound(m, "m", "cm", "cm")),
        (_KILOS_GRAMS, lambda m: compound(m, "kg", "g", "kg")),
        (_PINTS, pints),  # before the metric measure it may name ("2 pints (1.1 l)")
        (_MEASURE, measure),
        (_INCH_MARK, measure),
        (_TEMPERATURE, temperature),
        (_SIZE_AFTER, size),
        (_SIZE, size),
    ]
    pieces = [(text, False)]  # (text, written by a rule)
    for pattern, rule in rules:
        pieces = _rewritten(pieces, pattern, rule)
    return "".join(piece for piece, _ in pieces)


def _sized(values: list[Decimal], unit: str) -> tuple[list[Decimal], str]:
    """Converted `values` in `unit`, or in the next unit up or down where they are that big
    or small (_BIGGER, _SMALLER), with that unit."""
    largest = max((abs(v) for v in values), default=Decimal(0))
    bigger, smaller = _BIGGER.get(unit), _SMALLER.get(unit)
    into = (bigger[1] if bigger and largest >= bigger[0]
            else smaller[1] if smaller and largest < smaller[0] else unit)  # fmt: skip
    if into == unit:
        return values, unit
    return [convert_measure(v, unit, into) for v in values], into


def _rewritten(
    pieces: list[tuple[str, bool]],
    pattern: re.Pattern[str],
    rule: Callable[[re.Match[str]], str],
) -> list[tuple[str, bool]]:
    """`pattern`'s matches in the pieces no rule has written, each replaced by `rule`'s text
    and kept from the later rules."""
    out: list[tuple[str, bool]] = []
    for piece, written in pieces:
        if written:
            out.append((piece, True))
            continue
        at = 0
        for match in pattern.finditer(piece):
            out += [(piece[at : match.start()], False), (rule(match), True)]
            at = match.end()
        out.append((piece[at:], False))
    return [p for p in out if p[0]]
