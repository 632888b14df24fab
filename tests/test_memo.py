"""The per-token memo: the function's values, each worked out once, in bounded memory."""

from __future__ import annotations

import pytest

from cleanse.memo import Memo


def test_a_value_is_the_functions_and_is_worked_out_once():
    calls = []
    memo = Memo(lambda word: calls.append(word) or word.upper(), size=10)
    assert list(map(memo.__getitem__, ["a", "b", "a", "a"])) == ["A", "B", "A", "A"]
    assert calls == ["a", "b"]


def test_a_full_memo_is_emptied_so_memory_stays_flat():
    memo = Memo(len, size=3)
    for word in ["a", "bb", "ccc", "dddd", "eeeee"]:
        memo[word]
        assert len(memo) <= 3
    assert memo["eeeee"] == 5 and "eeeee" in memo


def test_a_value_that_fails_is_not_kept():
    memo = Memo(lambda word: 1 / len(word), size=3)
    with pytest.raises(ZeroDivisionError):
        memo[""]
    assert "" not in memo and memo["ab"] == 0.5
