"""The verdict on generated and translated text: the issue's German and Portuguese cases, each
check in the fourteen languages, and approval only with an explicit override (API, dashboard,
SQLite and PostgreSQL). Spelling needs the Debian Hunspell dictionaries (scripts/test installs
them); tests that need one are skipped with the package to install when it is missing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from borderless.backends import GENERATORS
from borderless.backends.base import (
    Generation,
    GenerationRequest,
    Generator,
    Lexicon,
    Translator,
)
from borderless.backends.fake import FakeEmbedder
from borderless.capabilities.catalog.retail import RetailImport
from borderless.capabilities.localize.desk import TranslationDesk
from borderless.capabilities.verdict import Speller, judge, judge_many, meaning
from borderless.capabilities.verdict.checks import char_similarity
from borderless.config import Settings
from borderless.errors import ModelUnavailable
from borderless.service import create_app
from borderless.storage import Database
from borderless.storage.imports import save_retail

from .conftest import need, post_form

KEY = {"X-API-Key": "test-key"}
SKU = "85123A"  # WHITE HANGING HEART T-LIGHT HOLDER
TITLE = "WHITE HANGING HEART T-LIGHT HOLDER"
BAD_GERMAN = (
    "Der WHITE HANGING HEART T-LIGHT HOLDER ist ein wunderschönes Hörschütel für Ihr Zuhause. "
    "Das Lichtschütel sorgt für warmes Licht.\n\nMit freundlichen Grüßen,\n[Ihr Name]"
)
GOOD_GERMAN = (
    "Dieser weiße Teelichthalter in Herzform zum Aufhängen bringt warmes Licht in Ihr Zuhause. "
    "Ein schönes Geschenk für Freunde und Familie."
)


def _spelling(language: str) -> None:
    need(Speller().available(language), f"hunspell and its {language} dictionary (apt-get)")


def checks_of(verdict: object) -> set[str]:
    return {r.check for r in verdict.reasons if r.blocking}  # type: ignore[attr-defined]


def test_the_issues_german_description_needs_review() -> None:
    _spelling("de")
    verdict = judge(BAD_GERMAN, "de", TITLE, "en", compare_length=False)
    assert verdict.status == "needs review"
    assert {"spelling", "placeholder", "template", "untranslated"} <= checks_of(verdict)
    spelling = next(r for r in verdict.reasons if r.check == "spelling")
    assert "Hörschütel" in spelling.span and "Lichtschütel" in spelling.span
    untranslated = next(r for r in verdict.reasons if r.check == "untranslated")
    assert "HANGING" in untranslated.span and "T-LIGHT" in untranslated.span
    assert judge(GOOD_GERMAN, "de", TITLE, "en", compare_length=False).ok


def test_the_issues_portuguese_title_needs_review() -> None:
    verdict = judge("T-LIGHT TITULAR", "pt", "T-LIGHT HOLDER", "en")
    assert not verdict.ok and "untranslated" in checks_of(verdict)
    assert judge("PORTA-VELAS EM FORMA DE CORAÇÃO BRANCO", "pt", TITLE, "en").ok


@pytest.mark.parametrize(
    ("language", "good", "bad"),
    [
        ("en", "Set of three cake tins with a vintage design.", "Set of three cake tinz wiht a desgn."),  # noqa: E501
        ("de", "Set aus drei Kuchendosen mit Herzmuster.", "Set aus drei Kuchdosen im Desain."),
        ("fr", "Lot de trois boîtes à gâteaux au design rétro.", "Lot de trois boîtres à gâtaux."),
        ("es", "Juego de tres latas para pasteles de diseño retro.", "Juego de tres latsa para pastelles."),  # noqa: E501
        ("it", "Set di tre scatole per torte con cuori rossi.", "Set di tre scatolle per tortte."),
        ("pt", "Conjunto de três latas para bolos com design retro.", "Conjunto de três latsa para bollos."),  # noqa: E501
        ("nl", "Set van drie taartblikken met een retro ontwerp.", "Set van drie taartbikken met een ontwrep."),  # noqa: E501
        ("pl", "Zestaw trzech puszek na ciasto w stylu retro.", "Zestaw trzech puszk na ciastto."),
        ("ru", "Набор из трёх форм для торта в стиле ретро.", "Набор из трёх фломр для тотра."),
        ("tr", "Kırmızı kalpli üç kek kutusu seti.", "Retro tasarmlı üç kekk kutsuu seti."),
    ],
)  # fmt: skip
def test_spelling_in_each_language_with_a_dictionary(language: str, good: str, bad: str) -> None:
    _spelling(language)
    assert "spelling" not in checks_of(judge(good, language))
    assert "spelling" in checks_of(judge(bad, language))


def test_chinese_and_japanese_are_checked_by_script() -> None:
    assert judge("白色心形挂式烛台，给家里带来温暖的光。", "zh").ok
    assert "script" in checks_of(judge("白色のハート型キャンドルホルダーです。", "zh"))
    assert judge("白いハート型のキャンドルホルダーです。", "ja").ok
    assert "script" in checks_of(judge("白色心形挂式烛台给家里带来温暖的光芒和快乐", "ja"))
    # a walk's Japanese with kana and the simplified 壶 (Japanese writes 壺 or 急須) passed
    mixed = judge("青花花瓶の陶器茶壶、1升、洗浄可能。", "ja")
    assert "script" in checks_of(mixed) and any(r.span == "壶" for r in mixed.reasons)
    # a Japanese catalog job wrote Chinese for rubber (橡胶; Japanese: ゴム): JIS X 0213 has 胶
    rubber = judge("犬用橡胶のおもちゃ、丈夫です。", "ja")
    assert any(r.span == "胶" for r in rubber.reasons)
    assert judge("犬用のゴムのおもちゃ、丈夫です。", "ja").ok
    assert judge("青い花の磁器のティーポット、食洗機対応です。", "ja").ok
    left = judge("WHITE HANGING 心形烛台", "zh", TITLE, "en")
    assert "untranslated" in checks_of(left) and "WHITE" in left.reasons[0].span


def test_letters_of_another_script_need_review() -> None:
    from borderless.capabilities.verdict.checks import foreign_script

    source = "Siminoff said sales boosted after his 2013 appearance on Shark Tank."
    # what a sampled 1.5B model let into a Polish and a Dutch translation
    polish = foreign_script("Siminoff powiedział, że po jego 2013 появлении w Shark Tank", "pl")
    assert [r.message for r in polish] == ["Cyrillic letters in pl text: появлении"]
    assert foreign_script("de Nobelprijzen委员会 voor Literatuur", "nl")[0].span == "委员会"
    assert not judge("Sprzedaż wzrosła po jego występie w 2013 роки", "pl", source).ok
    # a script the language is written in, or one the source had, is fine
    assert foreign_script("Белая чаша", "ru") == []
    assert foreign_script("흰색 陶瓷 그릇", "ko") == []  # hanja in Korean
    assert foreign_script("Tasse mit 杯 Zeichen", "de", "Cup with the 杯 sign") == []


def test_placeholders_templates_and_chatter_in_any_language() -> None:
    for text, language in [
        ("Un joli cadeau. Cordialement, [Votre nom]", "fr"),
        ("Un regalo precioso. Atentamente, {nombre}", "es"),
        ("精美的礼物。此致 敬礼", "zh"),
        ("Here is the translation: a lovely gift.", "en"),
        ("Красивый подарок. С уважением, [Ваше имя]", "ru"),
        ("هدية جميلة. مع أطيب التحيات", "ar"),
        ("素敵な贈り物です。敬具", "ja"),
        ("Ein Geschenk mit ZXQ1Z Teilen.", "de"),
    ]:
        found = checks_of(judge(text, language))
        assert found & {"placeholder", "template"}, (text, found)
    # A support reply may greet and sign off.
    assert judge("Vielen Dank! Mit freundlichen Grüßen", "de", letter_endings=False).ok
    # Generated copy that apologises or offers help is the model talking to a person (the
    # local LLM's drafts did, in Arabic, Japanese and Turkish); a translation may apologise.
    for draft, language in [
        ("أعتذر، ولكن ليس لدي معلومات تفصيلية حول المنتج.", "ar"),
        ("この商品は、お手伝いできるかお知らせします。", "ja"),
        ("Üzgünüm, ancak bu ürün hakkında tam bilgi yok.", "tr"),
    ]:
        found = checks_of(judge(draft, language, "PINK OVAL MIRROR", "en", compare_length=False))
        assert "template" in found, (draft, found)
    assert "template" not in checks_of(
        judge("Lo siento, el pedido llega tarde.", "es", "Sorry, the order is late.", "en")
    )


def test_wrong_language_length_and_loops() -> None:
    assert "language" in checks_of(judge("This is a lovely gift for your mother.", "de"))
    assert "length" in checks_of(judge("Herz.", "de", "A white heart to hang in a window.", "en"))
    assert "garbled" in checks_of(judge("Sehr schön sehr schön sehr schön sehr schön", "de"))
    assert "garbled" in checks_of(judge("Schöne GrÃ¼ÃŸe aus Berlin", "de"))


def test_numbers_of_the_source_must_stand_in_a_translation() -> None:
    source = (
        "The white hanging heart T-light holder (85123A) costs £2.55, sold 1,200 on 2011-12-09."
    )
    # Separators and date order may change with the language; the numbers may not.
    for good, language in [
        ("Le porte-bougie (85123A) coûte 2,55 £, 1 200 vendus le 09.12.2011.", "fr"),
        ("白色心形茶蜡烛台（85123A）售价2.55英镑，2011年12月9日售出1,200个。", "zh"),
        ("Le porte-bougie (85123A) coûte 2,55 livres sterling, 1 200 vendus le 09.12.2011.", "fr"),
    ]:
        assert "numbers" not in checks_of(judge(good, language, source, "en")), good
    for bad in [
        "Le porte-bougie (85123A) coûte 25,50 £, 1 200 vendus le 09.12.2011.",  # wrong price
        "Le porte-bougie coûte 2,55 £, 1 200 vendus le 09.12.2011.",  # SKU dropped
        "Le porte-bougie (85123A) coûte 2,55 £, 1 200 vendus le",  # truncated
        "Le porte-bougie (85123A) coûte 2,55 euros, 1 200 vendus le 09.12.2011.",  # relabelled
        "Le porte-bougie (85123A) coûte 255 £, 1 200 vendus le 09.12.2011.",  # decimals lost
        "Le porte-bougie (85123A) coûte 25,5 £, 1 200 vendus le 09.12.2011.",  # mark moved
    ]:
        assert "numbers" in checks_of(judge(bad, "fr", source, "en")), bad
    # Copy written from a title is not a translation: its numbers are its own.
    assert "numbers" not in checks_of(judge("Ein schönes Geschenk.", "de", "SET OF 3 TINS", "en",
                                            compare_length=False))  # fmt: skip


def test_kept_terms_and_shared_words_are_not_untranslated() -> None:
    _spelling("de")
    # "Set" and "Design" are German words too; the brand is kept on purpose.
    assert judge("Set aus drei Kuchendosen im Design von Nordlicht", "de",
                 "NORDLICHT SET OF 3 CAKE TINS DESIGN", "en", keep=["Nordlicht"]).ok  # fmt: skip


def test_short_words_singulars_and_words_glued_to_another_script_left_in_english() -> None:
    """Misses read in the judged texts (benchmarks/bench_verdict.py): in a title written all
    in capitals "MUG" is a word, not an acronym; "SKULL" is the source's "SKULLS"; "DOILEY"
    stands glued to Chinese; French Hunspell takes "SLATE" in capitals for the name Slate."""
    _spelling("es")
    _spelling("fr")

    def left(text: str, language: str, source: str) -> str:
        found = [r for r in judge(text, language, source, "en").reasons
                 if r.check == "untranslated"]  # fmt: skip
        return found[0].span if found else ""

    assert left("CAFÉ MUG DISEÑO DE MANZANAS", "es", "COFFEE MUG APPLES DESIGN") == "MUG"
    assert left("小型 SKULL存储箱", "zh", "SKULLS STORAGE BOX SMALL") == "SKULL"
    assert left("大号袋 DOILEY图案", "zh", "JUMBO BAG DOILEY PATTERNS") == "DOILEY"
    assert left("SLATE DE DESSIN MAGIQUE", "fr", "MAGIC DRAWING SLATE DINOSAUR") == "SLATE"
    # Acronyms, names in camel case and hyphenated German product names still pass.
    assert left("GUIRLANDE LED ROUGE", "fr", "RED LED GARLAND") == ""
    assert left("Lampe LED mit USB-Anschluss", "de", "Lamp with LED and USB cable") == ""
    assert left("他建了一个WiFi门铃。", "zh", "He built a WiFi door bell.") == ""
    assert left("Kuchenformen Red-Retrospot", "de", "RED RETROSPOT CAKE TINS") == ""


def test_a_missing_dictionary_is_listed_not_passed(tmp_path: Path) -> None:
    verdict = judge("Ein Hörschütel.", "de", speller=Speller(paths=[str(tmp_path)]))
    assert verdict.unchecked and "hunspell-de-de" in verdict.unchecked[0]


class Echo(Translator):
    """Back-translates by returning a fixed sentence: "close" or not to the source."""

    name = "echo"

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [self.answer for _ in texts]


def test_back_translation_similarity() -> None:
    source = "White hanging heart tea light holder"
    assert char_similarity(source, source) == pytest.approx(1.0)
    near = judge_many(["Porta-velas"], "pt", [source], "en",
                      back_translator=Echo("White heart hanging tea-light holder"))[0]  # fmt: skip
    far = judge_many(["Porta-velas"], "pt", [source], "en",
                     back_translator=Echo("Title owner"))[0]  # fmt: skip
    assert "back-translation" not in checks_of(near)
    assert "back-translation" in checks_of(far) and far.scores["back_translation"] < 0.25


class Mistranslating(Translator):
    name = "bad"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return ["T-LIGHT TITULAR" for _ in texts]


def test_the_translation_desk_flags_what_needs_review() -> None:
    done = TranslationDesk(Mistranslating()).translate(["T-LIGHT HOLDER"], "en", "pt")[0]
    assert done.flagged and done.verdict is not None and not done.verdict.ok
    assert any("T-LIGHT" in c for c in done.checks)


class Stuttering(Translator):
    """The walk's Arabic title for WHITE HANGING HEART T-LIGHT HOLDER: gibberish with a word
    doubled ("... influential influential")."""

    name = "stuttering"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return ["هندارة مغنية تلمسة تأثيرية تأثيرية" for _ in texts]


def test_a_doubled_word_and_a_low_quality_estimate_need_review() -> None:
    """A walk: that title came back `flagged` (score 0.10) beside a verdict "ok" with no
    reason, and the dashboard said "needs review" without saying why."""
    stutter = judge("هندارة مغنية تأثيرية تأثيرية", "ar", "WHITE HANGING HEART", "en")
    assert "garbled" in checks_of(stutter) and not stutter.ok
    # a source that doubles a word, and Turkish (which doubles words as grammar), pass
    assert "garbled" not in checks_of(
        judge("Bitte bitte nicht füttern", "de", "Please please do not feed", "en")
    )
    assert "garbled" not in checks_of(judge("yavaş yavaş pişir", "tr", "cook slowly", "en"))
    done = TranslationDesk(Stuttering(), FakeEmbedder()).translate(["HEART HOLDER"], "en", "ar")[0]
    assert done.flagged and done.verdict is not None and not done.verdict.ok
    assert "similarity" in checks_of(done.verdict) and "quality" in done.verdict.scores


def test_a_word_that_mixes_two_alphabets_needs_review() -> None:
    """A walk: Russian copy "Пurpовый элитный necklace" was "ok"; fresh titles "الرETRO",
    "테APOT". A name before a Korean particle ("USB를") and Chinese or Japanese beside Latin
    letters ("LED電球") are writing, not breakage."""
    for text, language, source in [("Пurpовый чехол", "ru", "Purple case"),
                                   ("مغارة الرETRO", "ar", "RETRO CAVE"),
                                   ("레드 테APOT", "ko", "RED TEAPOT")]:  # fmt: skip
        assert "garbled" in checks_of(judge(text, language, source, "en")), text
    for text, language, source in [("USB를 연결하세요", "ko", "Connect the USB"),
                                   ("LED電球", "ja", "LED bulb"),
                                   ("Кафе Café Москва", "ru", "Café Moscow cafe"),
                                   # the Arabic comma ends a word (a walk: "ml،" was mixed)
                                   ("كوب 350 ml، أبيض", "ar", "Mug 350 ml, white")]:  # fmt: skip
        assert "garbled" not in checks_of(judge(text, language, source, "en")), text


class Sloppy(Generator):
    """Writes the issue's German description."""

    name = "sloppy"

    def generate_batch(self, requests: Sequence[GenerationRequest]) -> list[Generation]:
        return [Generation(BAD_GERMAN, "stop", "sloppy", 50, 40) for _ in requests]


@pytest.fixture
def client(
    settings: Settings, db: Database, retail_parsed: Callable[[], RetailImport]
) -> Iterator[TestClient]:
    GENERATORS.register("sloppy", lambda arg, s: Sloppy(), replace=True)
    save_retail(db, retail_parsed())
    with TestClient(create_app(settings.model_copy(update={"generator": "sloppy"}), db)) as c:
        yield c


def test_copy_that_needs_review_is_approved_only_with_override(client: TestClient) -> None:
    _spelling("de")
    written = client.post("/v1/copy", json={"sku": SKU, "language": "de", "n": 1,
                                            "policy": "report"}, headers=KEY)  # fmt: skip
    assert written.status_code == 200, written.text
    draft = written.json()["data"][0]
    assert draft["grounding"]["verdict"]["status"] == "needs review"
    assert draft["needs_review"] and draft["verdict"]["ok"] is False  # as a stored draft says
    stored = client.get(f"/v1/copy/{draft['id']}").json()
    assert stored["needs_review"] and stored["verdict"]["ok"] is False
    page = client.get(f"/products/{SKU}/copy", params={"language": "de"}).text
    assert "needs review" in page and "Hörschütel" in page and "all facts backed" not in page
    refused = client.patch(f"/v1/copy/{draft['id']}", json={"status": "approved"}, headers=KEY)
    assert refused.status_code == 422 and refused.json()["field"] == "override"
    post_form(client, "/login", data={"key": "test-key"})
    form = post_form(client, f"/copy/{draft['id']}/review", data={"status": "approved"})
    assert form.status_code == 422
    # the copy page again, the reason beside that draft (was a page with only "Back")
    beside = form.text[form.text.index(f'id="draft-{draft["id"]}"') :].split("</article>")[0]
    assert 'id="review-error"' in beside and "override" in beside
    assert client.get(f"/v1/copy/{draft['id']}").json()["status"] == "draft"
    approved = client.patch(f"/v1/copy/{draft['id']}",
                            json={"status": "approved", "override": True}, headers=KEY)  # fmt: skip
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["overridden"]
    assert "approved by override" in client.get(f"/products/{SKU}/copy",
                                                params={"language": "de"}).text  # fmt: skip
    # rejected again, it no longer says "approved by override" (a walk)
    client.patch(f"/v1/copy/{draft['id']}", json={"status": "rejected"}, headers=KEY)
    page = client.get(f"/products/{SKU}/copy", params={"language": "de"}).text
    assert "once approved by override" in page and " · approved by override" not in page
    loose = client.patch(f"/v1/copy/{draft['id']}",
                         json={"status": "approved", "override": "yes"}, headers=KEY)  # fmt: skip
    assert loose.status_code == 422 and loose.json()["field"] == "override"  # was taken as true
    edited = client.patch(f"/v1/copy/{draft['id']}", json={"text": GOOD_GERMAN}, headers=KEY)
    assert edited.json()["verdict"]["ok"] and not edited.json()["needs_review"]


def test_a_text_in_a_language_outside_the_markets_is_not_passed_as_one_of_them() -> None:
    """A Swedish sentence judged as Arabic passed ("ok"): the detector named a market language
    at a low score. It is now read as Swedish, and the verdict says so."""
    verdict = judge("Jag vill returnera den här koppen, tack", "ar")
    assert not verdict.ok
    assert any(r.check == "language" and r.span == "sv" for r in verdict.reasons)


def test_addresses_and_turkish_suffixes_are_no_words() -> None:
    """A walk: "Contact sales@shop.co.uk" to Portuguese was "left in en: sales"; Turkish
    "350 ml'dir" was "not tr words: dir" (a suffix after an apostrophe)."""
    _spelling("pt")
    _spelling("tr")
    source = "Contact sales@shop.co.uk or visit https://shop.example/sales today."
    text = "Contate sales@shop.co.uk ou visite https://shop.example/sales hoje."
    mail = judge(text, "pt", source, "en")
    assert mail.ok, mail.reasons
    from borderless.capabilities.verdict import Speller

    capitals = Speller().unknown({"İSTANBUL", "KIRMIZI", "ALIŞVERIŞ"}, "tr")
    assert capitals == {"ALIŞVERIŞ"}  # "İSTANBUL" was no word; the dotless I still is wrong
    suffix = judge("Bu kupa 350 ml'dir ve İstanbul'da üretilmiştir.", "tr",
                   "This mug is 350 ml and made in Istanbul.", "en")  # fmt: skip
    assert suffix.ok, suffix.reasons


def test_latin_names_in_a_russian_source_are_no_words_left_untranslated() -> None:
    """An attack: ru->de "left in ru: Nespresso, IKEA" on a good translation."""
    _spelling("de")
    named = judge("Kaffeemaschine Nespresso von IKEA mit USB-C", "de",
                  "Кофемашина Nespresso от IKEA с USB-C", "ru")  # fmt: skip
    assert "untranslated" not in checks_of(named), named.reasons
    left = judge("Kaffeemaschine кофемашина", "de", "Кофемашина кофемашина", "ru")
    assert "untranslated" in checks_of(left) or "script" in checks_of(left)


# a pocket dictionary of French and Chinese words with their English senses
POCKET = {
    "fr": {"tasse": ["cup"], "café": ["coffee"], "boîte": ["box", "tin"], "gâteau": ["cake"],
           "moule": ["mold"], "sac à main": ["handbag"], "sac": ["bag"], "main": ["hand"]},
    "zh": {"手": ["hand"], "袋": ["bag"], "蛋糕": ["cake"], "陶瓷": ["pottery", "ceramics"]},
    "ru": {"белый": ["white"], "синий": ["blue"], "керамический": ["ceramic"]},
    "de": {"tier": ["animal"], "kuchen": ["cake"], "stufe": ["tier", "step"]},
    "pl": {"czekolada": ["chocolate"], "kubek": ["mug"], "ceramiczny": ["ceramic"],
           "malowany": ["painted"], "ręcznie": ["hand", "manually"], "wysoki": ["tall"]},
}  # fmt: skip


class Pocket(Lexicon):
    """POCKET as a lexicon."""

    def senses_batch(self, words: Sequence[str], source: str, target: str) -> list[list[str]]:
        book = POCKET.get(target if source == "en" else source)
        if book is None:
            raise ModelUnavailable("no dictionary", field="target")
        if target == "en":
            return [book.get(w.lower(), []) for w in words]
        return [[x for x, senses in book.items() if w in senses] for w in words]


def _meaning(text: str, language: str, source: str) -> list[str]:
    verdict = judge(text, language, source, "en", lexicon=Pocket())
    return [r.message for r in verdict.reasons if r.check == "meaning" and r.blocking]


def test_a_short_translation_that_loses_the_sources_words_needs_review() -> None:
    # "tasse à café" (coffee cup) for a cake tin: spelling, language and script all pass
    assert judge("tasse à café", "fr", "cake tin", "en").ok  # without dictionaries
    assert _meaning("tasse à café", "fr", "cake tin") == [
        "no dictionary translation found here for: cake, tin"
    ]
    assert _meaning("Boîte à gâteau", "fr", "CAKE TIN") == []
    # British spelling and plurals ("moulds" ~ moule: mold), a run of words ("sac à main")
    assert _meaning("Moules à gâteau", "fr", "cake moulds") == []
    assert _meaning("sac à main", "fr", "handbag") == []
    # a compound's two words (手 hand, 袋 bag), found inside unspaced text
    assert _meaning("手袋", "zh", "handbag") == []
    assert _meaning("蛋糕杯", "zh", "cake tin") == []  # one of two lost: under the share
    # a form the dictionary does not list: a plural sense (陶瓷: ceramics), another ending
    # ("синяя" for синий, "бело-" for белый: a walk's correct titles were flagged)
    assert _meaning("陶瓷", "zh", "CERAMIC") == []
    assert _meaning("БЕЛО-СИНЯЯ КЕРАМИЧЕСКАЯ ЧАШКА", "ru", "WHITE AND BLUE CERAMIC CUP") == []
    assert _meaning("ЧЁРНАЯ ЧАШКА", "ru", "WHITE CERAMIC CUP") != []
    # a source word left as it was counts as a loanword only where the target's dictionary
    # lacks it: German "TIER" is an animal, and "TORTE TIER" for CAKE TIER had passed (a walk)
    assert _meaning("TORTE TIER", "de", "CAKE TIER") != []
    assert _meaning("KUCHEN STUFE", "de", "CAKE TIER") == []
    assert _meaning("KUCHEN PUZZLE", "de", "CAKE PUZZLE") == []
    # sentences are free to reword; other source languages are not read
    assert _meaning("Une tasse de café.", "fr", "The cake tin is round.") == []
    assert judge("tasse à café", "fr", "Kuchenform", "de", lexicon=Pocket()).ok


def test_a_sentence_whose_clauses_line_up_is_read_by_its_opening_clause() -> None:
    """A walk: "Czekolada z rysunkami, 350 ml, ..." (chocolate with drawings) for a hand-painted
    ceramic mug kept every number and was judged fine; sentences were not read at all."""
    source = "Hand-painted ceramic mug, 350 ml, 9.5 cm tall. Only £2.95!"
    wrong = "Czekolada z rysunkami, 350 ml, 9,5 cm wysokości. Tylko 2,95 £!"
    assert _meaning(wrong, "pl", source) == [
        "no dictionary translation found here for: Hand, painted, ceramic, mug"
    ]
    assert _meaning("Ręcznie malowany kubek ceramiczny, 350 ml, 9,5 cm wysokości. Tylko 2,95 £!",
                    "pl", source) == []  # fmt: skip
    # the openings' rule is stricter than a title's: every content word lost, four or more
    assert _meaning("Czekolada z rysunkami, 350 ml.", "pl", "Ceramic mug, 350 ml.") == []
    assert _meaning("Czekolada z rysunkami.", "pl", "Hand-painted ceramic mug.") == []  # 1 clause
    # clauses that do not line up are not read: the sentence may be reworded as a whole
    assert _meaning("Czekolada z rysunkami 350 ml, 9,5 cm.", "pl",
                    "Hand-painted ceramic mug, 350 ml, 9.5 cm.") == []  # fmt: skip
    assert meaning.openings("a, b. c", "x, y, z") == ("a", "x")
    assert meaning.openings("9,5 cm", "9.5 cm") is None


def test_words_the_dictionary_lacks_may_be_the_lost_ones() -> None:
    # each unknown word of the text may translate one lost word: the dictionaries are small
    english = {"cake", "tin", "box"}
    one, two = meaning.lost_words(
        ["tasse blorg", "blorg flonk"], ["cake tin", "cake tin"], "fr", Pocket(), english
    )
    assert one is not None and one.lost == ("cake", "tin") and one.needs_review
    assert two is not None and two.unknown == ("blorg", "flonk") and not two.needs_review
    assert meaning.stem("moulds") == meaning.stem("mold") == "mold"
    assert meaning.stem("hanging") == meaning.stem("hang")
    assert meaning.splits("handbag", {"hand", "bag"}) == [("hand", "bag")]


def test_a_language_without_a_dictionary_lists_the_check_as_not_run() -> None:
    verdict = judge("tazza da caffè", "it", "cake tin", "en", lexicon=Pocket())
    assert verdict.ok and any(u.startswith("meaning") for u in verdict.unchecked)


class CoffeeCup(Translator):
    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return ["tasse à café" for _ in texts]


def test_the_translation_desk_reads_meaning_with_its_dictionaries() -> None:
    desk = TranslationDesk(CoffeeCup(), lexicon=Pocket())
    (done,) = desk.translate(["CAKE TIN"], "en", "fr")
    assert done.flagged and "no dictionary translation found here for: CAKE, TIN" in done.checks


def test_the_installed_dictionaries_read_meaning(tmp_path: Path) -> None:
    from borderless.backends.local.dictionaries import DICTIONARY_DIR, DictionaryTranslator

    if not (DICTIONARY_DIR / "freedict-spa-eng.index").exists():
        pytest.skip("no Spanish dictionary: apt-get install dict-freedict-spa-eng")
    words = DictionaryTranslator(DICTIONARY_DIR, tmp_path)
    title = "WHITE METAL LANTERN"
    assert judge("Farolillo de metal blanco", "es", title, "en", lexicon=words).ok
    wrong = judge("BOLSA DE ORO", "es", title, "en", lexicon=words)  # gold bag
    assert [r.span for r in wrong.reasons if r.check == "meaning"] == ["WHITE, METAL, LANTERN"]


def test_the_model_announcing_its_answer_in_any_words_needs_review() -> None:
    # a walk: "Voici une nouvelle description en français" passed as French copy
    for text, language in (
        ("Voici une nouvelle description en français : la lanterne est blanche.", "fr"),
        ("Hier ist eine kurze neue Beschreibung: Die Laterne ist weiß.", "de"),
        ("Aquí tienes una breve descripción: la linterna es blanca.", "es"),
        ("Ecco una nuova descrizione: la lanterna è bianca.", "it"),
    ):
        verdict = judge(text, language, "WHITE METAL LANTERN", "en", compare_length=False)
        assert "template" in [r.check for r in verdict.reasons if r.blocking], (text, verdict)


def test_what_a_pass_is_worth_is_the_measured_catch_of_its_language() -> None:
    """A pass in a language where the checks missed most faulty titles is not "ok" (catches.py;
    the figures are the fresh titles' in benchmarks/RESULTS.md)."""
    from borderless.capabilities.verdict.catches import MEASURED, measured_catch

    assert set(MEASURED) == {"zh", "es", "de", "fr", "ja", "pt", "it", "ko", "ar", "ru", "nl",
                             "pl", "tr"}  # fmt: skip
    arabic, dutch = measured_catch("ar"), measured_catch("nl")
    assert arabic is not None and not arabic.sure and "have a reader look" in arabic.note
    assert dutch is not None and dutch.sure and "reader" not in dutch.note
    assert measured_catch("en") is None and measured_catch("xx") is None
    given = judge("Lunchtasche mit Punkten", "de", "LUNCH BAG WITH DOTS", "en").as_dict()
    assert given["measured_catch"] == {"caught": 17, "faulty": 24, "share": 0.71, "sure": False}
