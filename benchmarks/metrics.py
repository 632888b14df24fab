"""Extraction metrics as the field reports them (see ../shared/data/README.md), so results are comparable.

- AEB (Article Extraction Benchmark): word 4-gram shingle multisets, tokens `\\w+` case-sensitive; per page
  TP/FP/FN normalised to sum 1; precision and recall averaged over pages (a page counts for precision only
  when something was predicted or expected, likewise recall); F1 is their harmonic mean.
- WCXB: bag-of-words F1 on lower-cased `\\w+` tokens, averaged over pages; and the share of `with` snippets
  present / `without` snippets present (whitespace-normalised substring).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def aeb_page(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum(min(true[k], pred[k]) for k in true.keys() & pred.keys())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_scores(pages: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*x) for x in pages if x[0] + x[1] > 0)
    r = statistics.mean(recall(*x) for x in pages if x[0] + x[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def word_f1(gold: str, predicted: str) -> float:
    true = Counter(t.lower() for t in _TOKEN.findall(gold or ""))
    pred = Counter(t.lower() for t in _TOKEN.findall(predicted or ""))
    tp = sum((true & pred).values())
    if not tp:
        return 1.0 if not true and not pred else 0.0
    p, r = tp / sum(pred.values()), tp / sum(true.values())
    return 2 * p * r / (p + r)


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def contains(haystack_normalised: str, snippet: str) -> bool:
    needle = normalise(snippet)
    return bool(needle) and needle in haystack_normalised
