"""Language identification: the fast paths give exactly what langdetect's own code gives."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from cleanse.language import SAMPLE_CHARS, _factory, detect_language, ngrams, read_in

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
]


def langdetect_itself(text: str) -> tuple[str, float]:
    detector = _factory().create()
    detector.append(text[:SAMPLE_CHARS])
    best = detector.get_probabilities()[0]
    return best.lang, float(best.prob)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_reading_in_and_ngrams_are_langdetects_own(text):
    detector = _factory().create()
    detector.append(text)
    assert read_in(text, detector.max_text_length) == detector.text
    detector.cleaning_text()
    assert ngrams(detector.text, detector.word_lang_prob_map) == detector._extract_ngrams()


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_the_answer_and_its_probability_are_langdetects_own(text):
    assert detect_language(text) == langdetect_itself(text)
