"""Language identification: the fast paths give what langdetect's own code gives (the probability to within
rounding: langdetect normalises at every convergence check, cleanse once per several)."""

from __future__ import annotations

import random
import unicodedata
from functools import cache

import pytest
from conftest import SEEDS

from cleanse import language
from cleanse.language import (
    SEED,
    detect_language,
    gram_rows,
    langdetect_answer,
    langdetect_factory,
    normalised,
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
    assert gram_rows(detector.text).tolist() == [profiles().rows[gram] for gram in detector._extract_ngrams()]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_normalising_is_langdetects_whether_the_text_is_mostly_ascii_or_not(text):
    from langdetect.utils.ngram import NGram

    assert normalised(text) == "".join(NGram.normalize(ch) for ch in text)


def test_the_profile_table_holds_langdetects_probabilities():
    factory, table = _factory(), profiles()
    assert table.languages == factory.langlist
    assert table.rows.keys() == factory.word_lang_prob_map.keys()
    assert " " not in table.rows  # so a word's n-gram rows need not leave out the space after it
    for gram in list(factory.word_lang_prob_map)[::997]:
        assert table.table[table.rows[gram]].tolist() == factory.word_lang_prob_map[gram]


def same_answer(ours: tuple[str, float], theirs: tuple[str, float]) -> bool:
    return ours[0] == theirs[0] and ours[1] == pytest.approx(theirs[1], rel=0, abs=1e-12)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_answer_and_its_probability_are_langdetects_own(text):
    assert same_answer(detect_language(text), langdetect_itself(text))


def test_a_text_that_never_converges_stops_at_langdetects_iteration_limit(monkeypatch):
    text = "Е " * 50  # Cyrillic capital E alone: Bulgarian, Russian and others are almost equally likely
    taken, real_advance = [], language._Draws.advance

    def advance(draws, count):
        taken.append(count)
        real_advance(draws, count)

    monkeypatch.setattr(language._Draws, "advance", advance)
    answer = detect_language(text)
    assert sum(taken) == 7 * 1001  # every trial: its first update and 1,000 more
    assert same_answer(answer, langdetect_itself(text))


@pytest.mark.parametrize("count", [1, 2, 3, 1000, 1024, 1025, 7184])
def test_the_draws_are_those_of_pythons_seeded_generator(count):
    generator, draws = random.Random(SEED), language._Draws(count)
    for trial in range(7):  # as the trials draw: a gaussian, then choices, some looked at ahead and not taken
        assert draws.gauss() == generator.gauss(0.0, 1.0)
        taken = 1 + 5 * 37 * trial  # enough to go past the first block of words
        ahead = draws.ahead(taken + 40)
        draws.advance(taken)
        assert ahead[:taken].tolist() == [generator._randbelow(count) for _ in range(taken)]
    assert draws.ahead(3).tolist() == [generator._randbelow(count) for _ in range(3)]
