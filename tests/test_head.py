"""Head recognition of plain text: title, dek and byline by position and form; dates in ISO form."""

from __future__ import annotations

import pytest

from cleanse.dates import find_date
from cleanse.extract import extract_text
from cleanse.head import parse_byline, recognise_head


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe | March 3, 2024", ("Jane Doe", "2024-03-03")),
        ("By isabelle // 2025-02-26", ("isabelle", "2025-02-26")),
        ("Written by John Smith and Ann Lee", ("John Smith and Ann Lee", None)),
        ("Published: 14 May 2024", (None, "2024-05-14")),
        ("The minister said on March 3, 2024 that the talks had failed after weeks of work.", None),
    ],
)
def test_bylines_and_datelines(line, expected):
    assert parse_byline(line) == expected


def test_numeric_day_month_orders_are_not_guessed():
    assert find_date("03/04/2025") is None
    assert find_date("on 2025-02-30") is None  # not a date


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    text = (
        "Title of the piece\n\nThe council approved the plan on Tuesday after a\n"
        "long debate about costs.\nA new paragraph."
    )
    segments = extract_text(text).segments
    assert [s.text for s in segments] == [
        "Title of the piece",
        "The council approved the plan on Tuesday after a long debate about costs.",
        "A new paragraph.",
    ]
    assert [s.line for s in segments] == [1, 3, 5]


def test_soft_hyphens_inside_words_are_dropped_and_spacers_become_spaces():
    text = "Die gro\u00dfen Wei\u00adne Ita\u00adli\u00adens,\u200bneben Bar\u00adba\u00adres\u00adco."
    assert [s.text for s in extract_text(text).segments] == ["Die gro\u00dfen Weine Italiens, neben Barbaresco."]


def test_a_long_first_paragraph_is_not_a_title():
    segments = extract_text(
        "Russia is making a direct play for minerals, pushing back as the United States tries "
        "to strike a deal that would give it access to half of the reserves.\nSecond."
    ).segments
    head = recognise_head(segments, None, plain_text=True)
    assert head.title is None and segments[0].role == "body"
