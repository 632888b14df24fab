"""Register signals: pejoratives and exaggerations in the writer's own words are measured, quoted ones are not.

The words are generic (no group, party or topic is a loaded word); `benchmarks/signals.py` measures how often
their matches are what propaganda and bias annotators mark. The sentences here are made up.
"""

from __future__ import annotations

import pytest

REPORT = "The council said on Tuesday it would repair the bridge by autumn, according to its engineers. " * 3


def count(cleaner, signal: str, sentence: str) -> int:
    out = cleaner({"id": "r", "text": REPORT + sentence})
    return out["signals"][signal]["count"]


@pytest.mark.parametrize(
    ("signal", "sentence"),
    [
        ("loaded_language", "The inquiry is a witch hunt run by hypocrites."),
        ("loaded_language", "Their so-called reform is a sham and a charade."),
        ("loaded_language", "The senator's smear campaign was shameless."),
        ("sensational", "The result was disastrous, a catastrophic nightmare for the town."),
        ("intensifiers", "It was sheer incompetence, grossly mishandled."),
    ],
)
def test_a_loaded_or_exaggerating_phrase_in_the_writers_words_is_measured(cleaner, signal, sentence):
    assert count(cleaner, signal, sentence) >= 1


@pytest.mark.parametrize(
    ("signal", "sentence"),
    [
        ("loaded_language", '"This inquiry is a witch hunt," the senator said.'),
        ("loaded_language", "The court heard evidence from three witnesses on Monday."),
        ("sensational", "Flooding closed two roads after heavy rain overnight."),
    ],
)
def test_quoted_or_plain_reporting_is_not_measured(cleaner, signal, sentence):
    assert count(cleaner, signal, sentence) == 0
