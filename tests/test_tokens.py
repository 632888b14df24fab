"""Words as runs of word characters: the same as the regular expressions they stand for, on every code point."""

from __future__ import annotations

import re

import pytest

from cleanse.tokens import alphanumeric_runs, word_runs

EVERY_CODE_POINT = "".join(map(chr, range(0x110000)))  # surrogates included: texts can carry lone ones
MIXED = [
    "",
    "plain ASCII words, 42 of them_and snake_case",
    "“Quoted,” she said — at 9:30 a.m. (UTC) … ½ ² ٣ ǅ İstanbul ΣΊΣΥΦΟΣ",
    "no\u00a0break\u2028line\u200bzero\ufeffwidth\x1cunit\x1fseparators",
    "日本語のテキスト、カタカナ。한국어 텍스트 Русский текст",
    "a lone surrogate \ud800 and \U0001f600 beyond the basic plane",
]


@pytest.mark.parametrize(
    ("runs", "pattern"), [(alphanumeric_runs, r"[^\W_]+"), (word_runs, r"\w+")], ids=["alphanumeric", "word"]
)
def test_the_runs_are_those_the_expression_finds(runs, pattern):
    expression = re.compile(pattern)
    for text in [*MIXED, EVERY_CODE_POINT]:
        assert runs(text) == expression.findall(text)
    for start in range(0, 0x110000, 0x400):  # every code point, each next to ASCII letters and spaces
        text = " ab".join(EVERY_CODE_POINT[start : start + 0x400])
        assert runs(text) == expression.findall(text)


def test_bytes_are_counted_among_those_asked_for():
    from cleanse.tokens import count_bytes

    data = "3 × 4 = 12, “twelve”".encode()
    assert count_bytes(data, b"0123456789") == sum(data.count(bytes([d])) for d in b"0123456789") == 4
    assert count_bytes(data, bytes(range(0x80, 0x100))) == 8  # ×, “ and ”: two, three and three bytes
    assert count_bytes(b"", b"abc") == 0
