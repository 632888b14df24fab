"""A function's values kept by argument, for the hottest per-token lookups.

`functools.lru_cache` keeps its entries in order of use, which costs every hit a few list operations; these
caches are asked once per word of every document, where a plain dict lookup (`map(memo.__getitem__, ...)`,
all in C) is about half the cost. Memory stays flat all the same: the memo is emptied when it is full, and
the words that recur fill it again at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo(dict):
    """`memo[x]` is `function(x)`, worked out on first use; at most `size` values are kept."""

    def __init__(self, function: Callable[[Any], Any], size: int):
        super().__init__()
        self.function, self.size = function, size

    def __missing__(self, key: Hashable) -> Any:
        value = self.function(key)
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
