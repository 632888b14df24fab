"""The segment model's prediction: its trees walked with numpy give what scikit-learn gives."""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import SEEDS

from cleanse.extract import extract_text
from cleanse.segment_features import segment_features
from cleanse.segment_model import KINDS, SegmentClassifier


def _seed_segments():
    for path in sorted(SEEDS.glob("*.txt")):
        yield extract_text(path.read_text(encoding="utf-8")).segments


@pytest.mark.parametrize("kind", KINDS)
def test_the_segment_models_trees_walked_here_give_scikit_learns_probabilities_to_the_last_bit(kind):
    classifier = SegmentClassifier.load(kind)
    assert classifier.forest is not None
    for segments in _seed_segments():
        rows = np.asarray(segment_features(segments, None, ()), dtype=float)
        walked = classifier.article_probabilities(segments, None, ())
        assert walked == classifier.scikit_learn().predict_proba(rows)[:, 1].tolist()


def test_a_row_with_a_missing_value_is_left_to_scikit_learn(monkeypatch):
    class Unwalkable:
        def probabilities(self, rows):
            raise AssertionError("a missing value may go either way in a split: only scikit-learn knows which")

    classifier = SegmentClassifier.load("text")
    classifier.forest = Unwalkable()
    segments = next(_seed_segments())
    rows = np.asarray(segment_features(segments, None, ()), dtype=float)
    rows[0, 0] = np.nan
    monkeypatch.setattr("cleanse.segment_model.segment_features", lambda *args: rows)
    expected = classifier.scikit_learn().predict_proba(rows)[:, 1].tolist()
    assert classifier.article_probabilities(segments, None, ()) == expected


def test_a_model_whose_trees_cannot_be_walked_is_predicted_by_scikit_learn(monkeypatch):
    from cleanse.forest import Forest

    walked = SegmentClassifier.load("text")
    monkeypatch.setattr("cleanse.modelio.load_forest", lambda path: None)
    monkeypatch.setattr(Forest, "of", classmethod(lambda cls, model: None))
    fallback = SegmentClassifier.load("text")
    assert fallback.forest is None
    for segments in _seed_segments():
        assert fallback.article_probabilities(segments, None, ()) == walked.article_probabilities(segments, None, ())


HEADS = [
    "The Mayor said on Monday that the NATO summit would go ahead.",
    "İstanbul'da bir gün: ΟΔΟΣ'Α and ΣΟΦΙΑ ΚΑΙ ΛΟΓΟΣ",  # a capital that lowers into two; Σ, lowered by context
    "snake_case_WORD __init__ X Ab aB ÀÉ ЁЖ Straße STRASSE ǅemal ﬀ",
    "Новый iPhone и MacBook Pro от Apple",
    "",
]


@pytest.mark.parametrize("head", HEADS, ids=range(len(HEADS)))
def test_a_heads_words_and_capitals_are_read_in_one_pass_as_by_their_definitions(head):
    from cleanse.segment_features import _CAPITALISED, _CAPITALS_WORD, _head_words

    words = re.findall(r"[^\W_]+", head.lower())
    definition = (words, len(_CAPITALISED.findall(head)), len(_CAPITALS_WORD.findall(head)))
    assert _head_words(head, head.lower()) == definition
