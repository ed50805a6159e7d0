"""Product attributes: extraction with evidence in several languages, learning from a catalog,
suggestions apart from facts, copy facts with no unbacked values, and the CLI contract."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

import pytest

from borderless.backends.base import Generation, GenerationRequest, Generator
from borderless.capabilities.attributes import AttributeExtractor, CatalogLexicon
from borderless.capabilities.attributes.catalog import extract_catalog
from borderless.capabilities.attributes.files import CatalogRow
from borderless.capabilities.attributes.llm import LLMExtractor
from borderless.capabilities.catalog.attributes import attributes_from_title, load_vocabulary
from borderless.capabilities.catalog.records import Product
from borderless.capabilities.copywrite import check_copy, facts_of
from borderless.capabilities.copywrite.kinds import copy_kind, length_report
from borderless.capabilities.verdict.spelling import Speller

from .conftest import need, run

VOCAB = load_vocabulary()


def _facts(title: str, description: str = "", language: str | None = None) -> dict[str, object]:
    found = AttributeExtractor(VOCAB).extract("p", title, description, language)
    for a in found.attributes:
        text = title if a.field == "title" else description
        assert text[a.start : a.end] == a.span, a  # every value keeps its evidence
    return found.facts()


@pytest.mark.parametrize(
    ("title", "language", "expected"),
    [
        ("SET OF 3 WHITE CERAMIC HEART BOWLS", "en",
         {"type": "bowl", "quantity": 3, "colour": "white", "material": "ceramic"}),
        # one stand of three tiers, not three (a walk: copy may say "a pack of 3")
        ("REGENCY CAKESTAND 3 TIER", "en", {"type": "cakestand"}),
        ("12 pack red paper napkins", "en", {"type": "napkin", "quantity": 12, "colour": "red"}),
        ("Keramikschüsseln weiß 3er-Set", "de", {"quantity": 3, "colour": "white"}),
        ("Lot de 3 bols en céramique blanche", "fr",
         {"type": "bols", "quantity": 3, "material": "ceramic"}),
        ("白色陶瓷心形碗3件套", "zh",
         {"type": "碗", "quantity": 3, "colour": "white", "material": "ceramic"}),
        ("ステンレス ボトル 12本入り", "ja", {"type": "ボトル", "quantity": 12}),
        # colours, materials and pack sizes in every market language
        *(
            (title, language, {"colour": "white", "material": "ceramic", "quantity": 3})
            for language, title in (
                ("it", "Set di 3 ciotole in ceramica bianca"),
                ("nl", "Witte keramische kom, set van 3"),
                ("pl", "Biała ceramiczna miska 3 szt."),
                ("ru", "Белая керамическая чаша, набор из 3"),
                ("tr", "Beyaz seramik kase 3'lü set"),
                ("ar", "مجموعة من 3 أوعية سيراميك بيضاء"),
                ("ko", "흰색 세라믹 그릇 3개 세트"),
                ("ja", "白い陶器のボウル 3個セット"),
            )
        ),
        ("유리로 만든 파란색 꽃병", "ko", {"colour": "blue", "material": "glass"}),  # particle
        ("وعاء زجاجي أزرق", "ar", {"colour": "blue", "material": "glass"}),
        ("Серьги серебряные", "ru", {"colour": "silver", "material": None}),  # not "серия"
    ],
)  # fmt: skip
def test_titles_in_any_language(title: str, language: str, expected: dict[str, object]) -> None:
    found = _facts(title, language=language)
    assert {k: found.get(k) for k in expected} == expected


def test_description_and_audience() -> None:
    found = _facts("Snack box", "A blue lunch box for kids, 20 cm long.")
    assert found["colour"] == "blue" and found["audience"] == "children"
    assert found["size"] == "20 cm"


def test_brands_and_types_are_learnt_from_the_catalog() -> None:
    titles = [
        "Sony Bravia 40' KDL-40V4100 LCD HDTV", "Sony DSC-W120 digital camera",
        "Sony MDR-V150 headphones", "Panasonic DMC-FX35 digital camera",
        "Panasonic TH-42PZ80U plasma HDTV", "Canon PowerShot SD1100 digital camera",
        "new Canon EOS 40D digital camera",
    ]  # fmt: skip
    extractor = AttributeExtractor(VOCAB).fit(titles)
    assert extractor.lexicon_ is not None and extractor.lexicon_.branded_
    assert {"sony", "panasonic"} <= extractor.lexicon_.brands_
    found = extractor.extract("x", "new Canon EOS 40D digital camera", language="en")
    assert found.first("brand") == "Canon"  # not "new"
    assert found.first("type") == "digital camera"
    camera = extractor.extract("y", "Sony DSC-W120 digital camera", language="en")
    assert (camera.first("brand"), camera.first("model")) == ("Sony", "DSC-W120")
    assert camera.first("type") == "digital camera"  # the catalog backs the two-word type


def test_brands_of_two_words_are_learnt_but_not_product_lines() -> None:
    titles = [
        "Polk Audio PSW110 powered subwoofer", "Polk Audio RM705 speaker system",
        "Polk Audio CSIA4 center channel loudspeaker", "Case Logic DVD player case PDVK10",
        "Case Logic leather case CLP104", "Sony DVD player DVPNS700", "DVD player case SL24",
        "Escort Passport 9500ci radar detector", "Escort Passport 8500X50 radar detector",
        "Escort Passport S55 radar detector", "Escort Solo S2 radar detector",
        "Laptop case MB13C", "Leather case 24BB",
    ]  # fmt: skip
    extractor = AttributeExtractor(VOCAB).fit(titles)
    brand = lambda t: extractor.extract("x", t, language="en").first("brand")  # noqa: E731
    # Every "polk" title goes on with a company word; "case" alone is a product word.
    assert brand("Polk Audio PSW110 powered subwoofer") == "Polk Audio"
    assert brand("Case Logic leather case CLP104") == "Case Logic"
    # A product line follows its brand as faithfully; counts cannot tell it from a company word.
    assert brand("Escort Passport 9500ci radar detector") == "Escort"


def test_chinese_types_are_the_last_word_of_the_main_part() -> None:
    need(find_spec("jieba") is not None, "jieba (the attributes extra)")
    titles = {
        "白色蕾丝蛋糕架": "蛋糕架",  # one-character head: with the word before it
        "金色骨瓷马克杯 生命之树": "马克杯",  # the part after the space describes it
        "复古广告牌Drink Me马克杯": "马克杯",  # a Latin name does not split the title
        "草本收纳罐6件套 素描风": "收纳罐",  # the pack size is a fact, not the product
        "舒适拖鞋 小号 绿色": "拖鞋",
    }
    extractor = AttributeExtractor(VOCAB).fit(list(titles), ["zh"] * len(titles))
    for title, kind in titles.items():
        found = extractor.extract("x", title, language="zh")
        assert found.first("type") == kind, title
        (a,) = [a for a in found.attributes if a.name == "type"]
        assert title[a.start : a.end] == kind


def test_a_german_title_names_its_product_with_its_first_noun() -> None:
    need(Speller().available("de"), "Hunspell with its German dictionary (hunspell-de-de)")
    titles = {
        "Duftlampe aus Porzellan mit Schmetterling": "duftlampe",
        "Bunte Wabengirlande aus Papier": "wabengirlande",  # "bunte" is an adjective
        "Vintage Becher Drink Me": "becher",  # "Vintage" is English, not the product
        "Kelch aus Glas, grün, groß": "kelch",
    }
    extractor = AttributeExtractor(VOCAB).fit(list(titles), ["de"] * len(titles))
    for title, kind in titles.items():
        assert extractor.extract("x", title, language="de").first("type") == kind, title


def test_a_gift_shop_has_no_invented_brands() -> None:
    titles = ["REGENCY CAKESTAND 3 TIER", "REGENCY TEA PLATE ROSES", "REGENCY MILK JUG PINK",
              "WHITE HANGING HEART T-LIGHT HOLDER", "RED HANGING HEART T-LIGHT HOLDER",
              "HEART OF WICKER SMALL"]  # fmt: skip
    lexicon = CatalogLexicon().fit(titles)
    assert not lexicon.branded_ and not lexicon.brands_
    extractor = AttributeExtractor(VOCAB).fit(titles)
    found = extractor.extract("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", language="en")
    assert found.first("type") == "t-light holder" and found.first("brand") is None
    # a known brand's name as the picture on it is no brand (the demo shop's facets said Apple)
    for title in ("LUNCH BAG APPLE DESIGN", "APPLE SHAPED MAGNET"):
        assert extractor.extract("x", title, language="en").first("brand") is None, title
    assert extractor.extract("x", "Apple iPod nano 8GB", language="en").first("brand") == "Apple"


def test_implied_values_are_suggestions_not_facts() -> None:
    found = AttributeExtractor(VOCAB).extract("85123A", "WHITE HANGING HEART T-LIGHT HOLDER")
    assert found.values("material") == []
    assert [(a.name, a.value) for a in found.attributes if a.status == "suggested"] == [
        ("material", "glass")
    ]
    holder = AttributeExtractor(VOCAB).extract("h", "BLUE WIRE SPIRAL CANDLE HOLDER")
    assert not [a for a in holder.attributes if a.status == "suggested"]  # not wax
    assert "material" not in attributes_from_title("WHITE HANGING HEART T-LIGHT HOLDER")


def test_a_measure_of_several_numbers_is_one_measure_with_each_number() -> None:
    """ "POLYESTER FILLER PAD 60x40cm" had the measure "40cm" (the 60 was dropped: a walk)."""
    from borderless.capabilities.catalog.attributes import find_measures

    assert attributes_from_title("POLYESTER FILLER PAD 60x40cm")["measures"] == ["60x40cm"]
    lattice = find_measures("ZINC HEART LATTICE 25x24x12cm")
    assert [(m.span, m.value) for m in lattice] == [
        ("25x24x12cm", Decimal(250)),
        ("25x24x12cm", Decimal(240)),
        ("25x24x12cm", Decimal(120)),
    ]


def test_copy_states_no_value_without_evidence() -> None:
    # stored as glass by imports before the rule: the copy may not say glass
    stored = Product(sku="85123A", title="WHITE HANGING HEART T-LIGHT HOLDER",
                     attributes={"colour": ["white"], "material": ["glass"]})  # fmt: skip
    facts = facts_of(stored, VOCAB)
    assert "glass" not in facts.prompt_text().lower()
    chinese = "这款白色心形烛台采用玻璃材质。"
    assert [v.span for v in check_copy(chinese, "zh", facts, VOCAB).violations] == ["玻璃"]
    confirmed = Product(sku="85123A", title=stored.title,
                        attributes={**stored.attributes, "confirmed": ["material"]})  # fmt: skip
    assert check_copy(chinese, "zh", facts_of(confirmed, VOCAB), VOCAB).ok


@pytest.mark.parametrize(
    "title", ["REGENCY CAKESTAND 3 TIER", "PARTY BUNTING", "ASSORTED COLOUR BIRD ORNAMENT",
              "HAND WARMER UNION JACK"],
)  # fmt: skip
def test_every_product_with_a_title_has_facts(title: str) -> None:
    facts = facts_of(Product(sku="S", title=title), VOCAB)
    assert "- Type: " in facts.prompt_text()


def test_chinese_length_is_counted_in_characters() -> None:
    text = "这款白色心形烛台" * 10  # 80 characters
    report = length_report(text, copy_kind("description"), "short", "zh")
    assert report["unit"] == "characters" and report["actual"] == 80
    assert length_report("one two", copy_kind("description"), "short", "en")["unit"] == "words"


def test_cli_contract(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        "id,title,description\n"
        "1,Sony DSC-W120 digital camera,\n2,Sony MDR-V150 headphones,\n"
        '3,SET OF 3 WHITE CERAMIC HEART BOWLS,"Three bowls"\n4,白色陶瓷心形碗3件套,\n',
        encoding="utf-8",
    )
    done = run("attributes", "extract", str(path), "--json", env={})
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["id"] for d in lines] == ["1", "2", "3", "4"]
    keys = {"id", "brand", "model", "type", "colour", "material", "quantity"}
    assert all(keys <= d.keys() for d in lines)
    assert (lines[0]["brand"], lines[0]["model"]) == ("Sony", "DSC-W120")
    assert (lines[2]["quantity"], lines[2]["brand"], lines[2]["model"]) == (3, None, None)
    assert (lines[3]["type"], lines[3]["material"]) == ("碗", "ceramic")


class Scripted(Generator):
    """Answers each listing with the JSON given for its title."""

    name = "scripted"

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        titles = [r.messages[-1].content.splitlines()[0].removeprefix("Title: ") for r in requests]
        return [Generation(self.answers.get(t, "no idea"), "stop", "scripted") for t in titles]


def test_the_llm_extractor_keeps_only_what_the_text_says() -> None:
    rows = [
        CatalogRow("22394", "PAPERWEIGHT KINGS CHOICE"),
        CatalogRow("22091", "EMPIRE TISSUE BOX", "A box of 3 tissue packs."),
        CatalogRow("21137", "BLACK RECORD COVER FRAME"),
    ]
    reader = LLMExtractor(Scripted({
        # the type is in the title; the material is invented, the brand is not asked for
        "PAPERWEIGHT KINGS CHOICE": '{"type": "paperweight", "brand": "Kings", "material": '
                                    '"glass", "quantity": null}',
        # "tissue boxes" is backed by "TISSUE BOX"; 3 stands in the description
        "EMPIRE TISSUE BOX": 'Sure! {"type": "tissue boxes", "quantity": 3, "colour": "red"}',
    }))  # fmt: skip
    rules = extract_catalog(rows)
    found = extract_catalog(rows, llm=reader)
    paperweight, box, frame = found
    assert rules[0].first("type") != "paperweight"  # the rules read the design name
    assert paperweight.first("type") == "paperweight"
    (kind,) = [a for a in paperweight.attributes if a.name == "type"]
    assert (kind.source, kind.span, kind.start) == ("llm", "PAPERWEIGHT", 0)
    assert paperweight.first("material") is None  # not in the text: dropped
    assert paperweight.first("brand") is None  # brand and model are the rules' alone
    assert box.first("type") == "tissue box" and box.first("quantity") == 3
    (qty,) = [a for a in box.attributes if a.name == "quantity"]
    assert qty.source != "llm"  # the rules had read it ("box of 3"): theirs stays
    assert box.first("colour") is None
    assert frame == rules[2]  # an answer that is not JSON changes nothing
    assert (reader.backed, reader.unbacked) == (3, 2)


def test_cli_llm_option(tmp_path: Path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text("id,title\n1,PAPERWEIGHT KINGS CHOICE\n2,EMPIRE TISSUE BOX\n", "utf-8")
    plain = run("attributes", "extract", str(path), "--json", env={})
    done = run("attributes", "extract", str(path), "--json", "--llm",
               env={"BORDERLESS_GENERATOR": "fake"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    # the fake generator echoes the prompt: no JSON, so nothing is added
    assert done.stdout == plain.stdout
    assert "LLM: 0 values found in the text, 0 not (dropped)" in done.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,name\n1,x\n", "missing column(s) title"),
        ("id,title\n1,\n", "title is empty"),
        ("id,title\n1,a cup\n1,a mug\n", "already on line 2"),
        ("id,title\n", "no products"),
        ("id,title,language\n1,a cup,xx\n", "unknown language 'xx'"),  # taken (an attack)
    ],
)
def test_cli_bad_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    done = run("attributes", "extract", str(path), "--json", env={})
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    missing = run("attributes", "extract", str(tmp_path / "none.csv"), env={})
    assert missing.returncode == 2 and "no such file" in missing.stderr
