"""Rules that need no catalog: pack sizes, tiers, model numbers, audiences and patterns.

Each finder returns (value, start, end) so every attribute keeps the span it was read from.
Quantity phrases per language: "SET OF 3", "SET/20", "3 TIER", "12 pack", "3er-Set",
"lot de 3", "juego de 3", "kit com 3", "3件套", "12支装", "三层", "3個セット", "12本入り".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "AUDIENCES",
    "PATTERNS",
    "find_audience",
    "find_pattern",
    "find_quantity",
    "find_tiers",
    "is_measure_token",
    "model_like",
]

WIDE = {"zh", "ja", "ko"}
_CJK_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                "九": 9, "十": 10, "十二": 12}  # fmt: skip
_CJK_NUMBER = "十二|[一两二三四五六七八九十]"
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10,
                 "twelve": 12, "dozen": 12, "pair": 2}  # fmt: skip

# Every pattern has one group holding the count; "pair" and "dozen" are read as numbers. Tiers
# and layers are no count of items: "REGENCY CAKESTAND 3 TIER" is one stand, and had been read
# as quantity 3, which copy may write as "a pack of 3" (a walk).
_QUANTITY: dict[str, list[str]] = {
    "en": [
        r"\b(?:set|pack|box|bag|tube|tin|roll|bundle|case|lot|pk)s?\s*(?:of\s*|/\s*)(\d+)\b",
        r"\b(\d+)\s*[- ]?(?:pack|pk|pcs|pieces?|piece set|count|ct)\b",
        r"\b(\d+)\s*[- ]?(?:piece|pc)\b",
        r"\b(pair|dozen)\b",
        r"^(\d+)\s+(?=[a-z])",
    ],
    "de": [
        r"\b(\d+)er[- ]?(?:set|pack|packung)\b",
        r"\b(\d+)[- ]?(?:teilig|stück|stk|tlg)\b",
        r"\b(?:set|packung|pack) (?:mit|aus|von) (\d+)\b",
    ],
    "fr": [
        r"\b(?:lot|set|paquet|pack|boîte|ensemble) de (\d+)\b",
        r"\b(\d+)\s*(?:pièces|pcs)\b",
    ],
    "es": [
        r"\b(?:juego|set|paquete|pack|caja|lote) de (\d+)\b",
        r"\b(\d+)\s*(?:piezas|pzas|unidades)\b",
    ],
    "pt": [
        r"\b(?:conjunto|kit|pacote|jogo|caixa|pack) (?:com|de) (\d+)\b",
        r"\b(\d+)\s*(?:peças|unidades)\b",
    ],
    "zh": [
        rf"(\d+|{_CJK_NUMBER})\s*(?:件套|件装|个装|只装|支装|片装|条装|包装|盒装|件|个|只|支|片|套)",
        rf"(?:套装|一套)\s*(\d+|{_CJK_NUMBER})\s*[件个只]",
    ],
    "ja": [
        r"(\d+)\s*(?:個セット|本セット|枚セット|点セット|個入り?|本入り?|枚入り?|個|本|枚|点)",
    ],
    "it": [
        r"\b(?:set|confezione|kit|scatola|lotto) (?:da|di) (\d+)\b",
        r"\b(\d+)\s*(?:pezzi|pz|unità)\b",
    ],
    "nl": [
        r"\bset van (\d+)\b",
        r"\b(\d+)[- ]?(?:delig\w*|stuks|pack)\b",
    ],
    "pl": [
        r"\b(?:zestaw|komplet|opakowanie) (\d+)\b",
        r"\b(\d+)\s*(?:szt\.?|sztuk[ai]?|el\.|elementów|pak)(?!\w)",
    ],
    "ru": [
        r"(?:набор|комплект|упаковка) из (\d+)",
        r"(\d+)\s*(?:шт\.?|штук\w*|предмет\w*)(?!\w)",
    ],
    "tr": [
        r"\b(\d+)\s*['’]?(?:li|lı|lu|lü) (?:set|takım|paket)\w*",
        r"\b(\d+)\s*(?:adet|parça)\b",
    ],
    "ar": [
        r"(?:مجموعة|طقم|عبوة) من (\d+)",
        r"(\d+)\s*(?:قطع|قطعة|حبات|حبة)",
    ],
    "ko": [
        r"(\d+)\s*(?:개입|개\s?세트|종\s?세트|피스|매입|개)",
    ],
}
_QUANTITY_RE = {
    lang: [re.compile(p, re.IGNORECASE) for p in patterns] for lang, patterns in _QUANTITY.items()
}
# Tiers and layers: a spec of one item ("3 TIER" is masked like a measure, so that "tier" is not
# read as the product's type), never a quantity
_TIERS: dict[str, str] = {
    "en": r"\b(\d+)\s*[- ]?(?:tiers?|tiered|layers?)\b", "de": r"\b(\d+)[- ]?etagen?\b",
    "fr": r"\b(\d+)\s*étages?\b", "es": r"\b(\d+)\s*(?:pisos|niveles)\b",
    "pt": r"\b(\d+)\s*(?:andares|níveis)\b", "zh": rf"(\d+|{_CJK_NUMBER})\s*层",
    "ja": r"(\d+)\s*段",
    "it": r"\b(\d+)\s*piani\b", "nl": r"\b(\d+)[- ]?laags\b", "pl": r"\b(\d+)\s*poziom\w*",
    "ru": r"(\d+)\s*ярус\w*", "tr": r"\b(\d+)\s*katlı\b", "ko": r"(\d+)\s*단",
}  # fmt: skip
_TIERS_RE = {lang: re.compile(p, re.IGNORECASE) for lang, p in _TIERS.items()}

AUDIENCES: dict[str, dict[str, str]] = {
    "men": {"en": r"men'?s|men|gents?|male", "de": r"herren|männer", "fr": r"hommes?",
            "es": r"hombres?|caballeros?", "pt": r"masculin[oa]s?|homens?", "zh": "男士|男款|男式",
            "ja": "メンズ|男性用"},
    "women": {"en": r"women'?s|women|ladies|ladys|female", "de": r"damen|frauen",
              "fr": r"femmes?", "es": r"mujer(?:es)?|damas?", "pt": r"feminin[oa]s?|mulher(?:es)?",
              "zh": "女士|女款|女式", "ja": "レディース|女性用"},
    "children": {"en": r"kids?|children'?s?|childs?|child's|boys?|girls?|toddlers?",
                 "de": r"kinder\w*|jungen|mädchen", "fr": r"enfants?|garçons?|filles?",
                 "es": r"niños?|niñas?|infantil", "pt": r"crianças?|infantil|meninos?|meninas?",
                 "zh": "儿童|童装|孩子|男童|女童", "ja": "キッズ|子供用|こども"},
    "baby": {"en": r"bab(?:y|ies)|infants?|newborns?", "de": r"baby|babys|säuglinge?",
             "fr": r"bébés?", "es": r"bebés?", "pt": r"bebês?", "zh": "婴儿|宝宝|新生儿",
             "ja": "ベビー|赤ちゃん"},
    "pets": {"en": r"pets?|dogs?|cats?|puppy", "de": r"hunde?|katzen?|haustier\w*",
             "fr": r"chiens?|chats?", "es": r"perros?|gatos?|mascotas?",
             "pt": r"cachorros?|gatos?|pets?", "zh": "宠物|狗狗|猫咪", "ja": "ペット|犬用|猫用"},
}  # fmt: skip

PATTERNS: dict[str, dict[str, str]] = {
    "polka dot": {"en": r"polka ?dots?|polkadots?|retro ?spots?|spotty|dotty|spots",
                  "de": r"gepunktet|punkte|tupfen", "fr": r"à pois", "es": r"de lunares|lunares",
                  "pt": r"de bolinhas|bolinhas", "zh": "波点|圆点", "ja": "水玉|ドット"},
    "striped": {"en": r"stripe[sd]?|stripy", "de": r"gestreift|streifen", "fr": r"rayée?s?",
                "es": r"de rayas|rayas", "pt": r"listrad[oa]s?", "zh": "条纹",
                "ja": "ストライプ|ボーダー"},
    "floral": {"en": r"floral|flowers?|rose|roses|daisy|daisies", "de": r"geblümt|blumen\w*",
               "fr": r"fleurie?s?|à fleurs", "es": r"florale?s?|de flores",
               "pt": r"florai?s?|de flores", "zh": "碎花|花卉|花朵", "ja": "花柄"},
    "check": {"en": r"checks?|checked|gingham|tartan|plaid", "de": r"kariert|karo",
              "fr": r"à carreaux|vichy", "es": r"de cuadros|cuadros", "pt": r"xadrez",
              "zh": "格子|格纹", "ja": "チェック|格子"},
    "heart": {"en": r"hearts?", "de": r"herz\w*", "fr": r"cœurs?|coeurs?",
              "es": r"corazón|corazones",
              "pt": r"corações|coração", "zh": "心形|爱心", "ja": "ハート"},
    "star": {"en": r"stars?", "de": r"sterne?", "fr": r"étoiles?", "es": r"estrellas?",
             "pt": r"estrelas?", "zh": "星星|星形", "ja": "星柄|スター"},
    "union jack": {"en": r"union jack|union flag|british flag"},
    "paisley": {"en": r"paisley", "de": r"paisley", "zh": "佩斯利"},
    "vintage": {"en": r"vintage|retro|antique|victorian|regency|shabby chic",
                "de": r"vintage|retro|antik", "fr": r"vintage|rétro", "es": r"vintage|retro",
                "pt": r"vintage|retrô", "zh": "复古|怀旧",
                "ja": "レトロ|ヴィンテージ|アンティーク"},
}  # fmt: skip


def _compile(table: dict[str, dict[str, str]]) -> dict[str, dict[str, re.Pattern[str]]]:
    return {
        key: {
            lang: re.compile(p if lang in WIDE else rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE)
            for lang, p in forms.items()
        }
        for key, forms in table.items()
    }


_AUDIENCE_RE = _compile(AUDIENCES)
_PATTERN_RE = _compile(PATTERNS)


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _CJK_NUMBERS.get(text) or _WORD_NUMBERS.get(text.lower())


def find_quantity(text: str, language: str) -> tuple[int, int, int] | None:
    """The pack size a text states, with the span of its phrase."""
    languages = [language] if language == "en" else [language, "en"]
    for lang in languages:
        for pattern in _QUANTITY_RE.get(lang, []):
            for m in pattern.finditer(text):
                value = _count(m.group(1))
                if value and 1 < value <= 10_000:
                    return value, m.start(), m.end()
    return None


def find_tiers(text: str, language: str) -> tuple[int, int] | None:
    """The span of a tier or layer count ("3 TIER", "3층"), which is no quantity."""
    for lang in [language] if language == "en" else [language, "en"]:
        pattern = _TIERS_RE.get(lang)
        if pattern is not None and (m := pattern.search(text)):
            return m.start(), m.end()
    return None


def _first(
    table: dict[str, dict[str, re.Pattern[str]]], text: str, language: str
) -> Iterator[tuple[str, int, int]]:
    languages = [language] if language == "en" else [language, "en"]
    for key, forms in table.items():
        for lang in languages:
            pattern = forms.get(lang)
            m = pattern.search(text) if pattern else None
            if m:
                yield key, m.start(), m.end()
                break


def find_audience(text: str, language: str) -> list[tuple[str, int, int]]:
    return sorted(_first(_AUDIENCE_RE, text, language), key=lambda f: f[1])


def find_pattern(text: str, language: str) -> list[tuple[str, int, int]]:
    return sorted(_first(_PATTERN_RE, text, language), key=lambda f: f[1])


# Tokens with a digit that are measures or specs, not model numbers: 16gb, 1080p, 3.5mm, 24fps.
_MEASURE_TOKEN = re.compile(
    r"^[x#]?\d+(?:[.,]\d+)?(?:[x×]\d+(?:[.,]\d+)?)*(?:gb|mb|tb|kb|mp|mm|cm|m|in|inch|inches|hz|khz|"
    r"mhz|ghz|w|kw|v|mah|ah|fps|p|i|x|k|lb|lbs|oz|ft|g|kg|ml|l|cl|\"|'|''|th|st|nd|rd|bit|ch|"
    r"pc|pcs|pk|tier|er|db|btu|rpm|cu|qt|gal|yd|mw|ms|s|d|hr|h|min|sec|%)?$",
    re.IGNORECASE,
)
_MODEL_TOKEN = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9][a-z0-9\-/.+]*[a-z0-9+]$", re.IGNORECASE)


_COUNTED = re.compile(r"^\d+(?:[.,]\d+)?(?:-\d+(?:[.,]\d+)?)?-?[a-z]+$", re.IGNORECASE)  # 8-port


def is_measure_token(token: str) -> bool:
    """A measure or a counted spec: 16gb, 1080p, 3.5mm, 18-70mm, 6-disc, 8-port."""
    return bool(_MEASURE_TOKEN.match(token) or _COUNTED.match(token))


def model_like(token: str) -> bool:
    """Letters and digits together (KDL-40V3000, lds4821ww), not a measure or a spec."""
    if "/" in token and sum(part.isalpha() for part in token.split("/")) >= 2:
        return False  # cd/wma/mp3: a list of formats
    return (
        len(token) >= 4
        and bool(_MODEL_TOKEN.match(token))
        and not is_measure_token(token)
        and not re.fullmatch(
            r"(?:mp|usb|hdmi|ddr|cd|dvd|ipod|ps|xbox|wii|x)\d(?:\.\d)?", token, re.I
        )
    )
