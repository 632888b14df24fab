"""Language identification: the fast paths give exactly what langdetect's own code gives."""

from __future__ import annotations

import unicodedata
from functools import cache

import pytest
from conftest import SEEDS

from cleanse.language import (
    detect_language,
    gram_rows,
    langdetect_answer,
    langdetect_factory,
    profiles,
    read_in,
    without_latin_if_foreign,
)

TEXTS = [
    *(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))),
    "Ein schöner Tag in MÜNCHEN, sagte der Bürgermeister am Montag.",
    "Это тестовый текст на русском языке, написанный для проверки.",
    "これは日本語のテキストです。カタカナもひらがなも漢字もあります。",
    "هذا نص باللغة العربية مع حرف ی الفارسي",
    "Tiếng Việt có dấu: Hà Nội là thủ đô của Việt Nam.",
    "Visit https://example.org/a?b=c or mail me@example.org    now,   OK?  ABC DEF ghi JKL mNo",
    "  A  ",
    "Ș și ț: românește",
    unicodedata.normalize("NFD", "Tiếng Việt có dấu: Hà Nội là thủ đô của Việt Nam."),  # marks to compose
    "Ḁḁ Ẁẁ Ỳỳ ḝ ṩ: the Latin Extended Additional block counts as Latin, Ω and ω do not",
    "Новый iPhone и MacBook Pro от Apple в продаже с понедельника",  # Latin names in a Russian text
    "Price @ 5 dollars, a lone surrogate \ud800 and \U0001f600 beyond the basic plane",
]


_factory = cache(langdetect_factory)


def langdetect_itself(text: str) -> tuple[str, float]:
    return langdetect_answer(_factory(), text)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_reading_in_cleaning_and_ngrams_are_langdetects_own(text):
    detector = _factory().create()
    detector.append(text)
    assert read_in(text, detector.max_text_length) == detector.text
    read = detector.text
    detector.cleaning_text()
    assert without_latin_if_foreign(read) == detector.text
    assert gram_rows(detector.text) == [profiles().rows[gram] for gram in detector._extract_ngrams()]


def test_the_profile_table_holds_langdetects_probabilities():
    factory, table = _factory(), profiles()
    assert table.languages == factory.langlist
    assert table.rows.keys() == factory.word_lang_prob_map.keys()
    assert " " not in table.rows  # so a word's n-gram rows need not leave out the space after it
    for gram in list(factory.word_lang_prob_map)[::997]:
        assert table.table[table.rows[gram]].tolist() == factory.word_lang_prob_map[gram]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_answer_and_its_probability_are_langdetects_own(text):
    assert detect_language(text) == langdetect_itself(text)
