"""Combine the signals of a document into a credibility score, with the signed reasons behind it.

The score comes from a model trained by `cleanse train` (see `cleanse/train.py` and the model card) over the
signals and the topic-masked writing style, plus documented YAML weights for page-level signals that the
training texts cannot contain (promotions, donation banners, share bars). The model is additive in its feature
groups — each signal alone, the writing style as one group — either a calibrated logistic regression or
gradient-boosted trees held to that structure, so every score splits exactly into per-signal contributions
relative to a typical training article.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanse.modelio import check_model, load_trees
from cleanse.records import Credibility, Reason, SignalValue
from cleanse.rules import RuleSet, SignalDef
from cleanse.style import STYLE_BUCKETS, StyleBuckets, style_buckets

if TYPE_CHECKING:
    from cleanse.forest import Forest

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "credibility.skops"
TOP_REASONS = 5
NEGLIGIBLE = 0.01
LINEAR, BOOSTED = "linear-v2", "boosted-v4"
MODEL_KINDS = (LINEAR, BOOSTED)
#: The function words that the writing-style features keep are English.
STYLE_LANGUAGES = frozenset({"en"})
STYLE_REASON = "writing_style"


def feature_value(value: float) -> float:
    """The model sees log(1 + value): rates are skewed, and a doubling should count the same everywhere."""
    return math.log1p(max(value, 0.0))


def model_parameters(ruleset: RuleSet, model_path: Path | str) -> dict:
    """A model's parameters (the JSON beside its .skops file), once they are of a kind this version reads and
    every signal they weigh is defined; ValueError otherwise."""
    model_path = Path(model_path)
    meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    if meta.get("kind") not in MODEL_KINDS:
        raise ValueError(
            f"{model_path}: a model of kind {meta.get('kind')!r}; this version reads {', '.join(MODEL_KINDS)}"
        )
    if meta.get("style_buckets", STYLE_BUCKETS) != STYLE_BUCKETS:
        raise ValueError(
            f"{model_path}: a model of {meta['style_buckets']} style buckets; this version hashes the writing "
            f"style into {STYLE_BUCKETS}: retrain it with `cleanse train`"
        )
    missing = [name for name in meta["features"] if name not in ruleset.signals]
    if missing:
        raise ValueError(f"{model_path}: the model needs signals the rule packs do not define: {', '.join(missing)}")
    return meta


@dataclass(frozen=True)
class _Signal:
    signal: SignalDef
    typical: float  # the value contributions are measured from (the model's reference article)
    share: float  # the share of training articles where it is present, for signals of presence


class CredibilityScorer:
    """Scores documents with the shipped (or a given) model and the rule set's signal weights."""

    def __init__(self, ruleset: RuleSet, model_path: Path | str = DEFAULT_MODEL):
        meta = model_parameters(ruleset, model_path)
        self.name: str = meta["name"]
        self.signals = [
            _Signal(ruleset.signals[n], meta["typical"][n], meta["present_share"][n]) for n in meta["features"]
        ]
        if meta["kind"] == LINEAR:
            check_model(model_path)  # refuses a file outside the allow-list, though the weights come from the JSON
            self.model: _Linear | _Boosted = _Linear(meta)
        else:
            self.model = _Boosted(meta, model_path)
        self.intercept = self.model.intercept
        self.rule_weights = [s for s in ruleset.signals.values() if s.score_weight]

    def score(self, signals: dict[str, SignalValue], text: str = "", language: str = "en") -> Credibility:
        """The score of one document from its signals and, for the writing style, its clean text."""
        values = [signals.get(s.signal.name) for s in self.signals]  # None: not applicable, counts as typical
        features = [None if v is None else feature_value(v.value) for v in values]
        style = style_buckets(text) if text and language in STYLE_LANGUAGES else None
        by_signal, style_contribution = self.model.contributions(features, style)
        # (name, contribution, its explanation): explained only if among the top reasons
        terms: list[tuple[str, float, Callable[[], str]]] = [
            (s.signal.name, contribution, partial(_model_explanation, s, measured.value))
            for s, measured, contribution in zip(self.signals, values, by_signal, strict=True)
            if measured is not None
        ]
        if style is not None and style_contribution:
            terms.append((STYLE_REASON, style_contribution, partial(_style_explanation, style_contribution)))
        for signal in self.rule_weights:
            measured = signals.get(signal.name)
            if measured is None or not measured.value:
                continue
            units = min(measured.value, signal.score_cap) if signal.score_cap is not None else measured.value
            terms.append((signal.name, signal.score_weight * units, partial(_rule_explanation, signal, measured.value)))
        logit = self.intercept + sum(contribution for _, contribution, _ in terms)
        top = sorted((t for t in terms if abs(t[1]) >= NEGLIGIBLE), key=lambda t: -abs(t[1]))[:TOP_REASONS]
        reasons = [Reason(name, contribution, explain()) for name, contribution, explain in top]
        return Credibility(score=_sigmoid(logit), model=self.name, reasons=reasons)


@dataclass(frozen=True)
class _StyleScore:
    """A linear function of the (sparse) style vector that is 0 for the training documents' mean style."""

    weights: Any  # numpy array, one weight per bucket
    center: float

    @classmethod
    def of(cls, weights: list[float], means: list[float]) -> _StyleScore:
        import numpy as np

        return cls(np.array(weights, dtype=float), sum(w * m for w, m in zip(weights, means, strict=True)))

    def __call__(self, style: StyleBuckets) -> float:
        # Python's sum of the products in the order of the buckets, as over the vector's dict
        buckets, values = style
        return sum((self.weights[buckets] * values).tolist()) - self.center


class _Linear:
    """A calibrated logistic regression: a signal contributes its weight times its distance from the training
    mean; the style, its weights times the style vector, less the training mean's."""

    def __init__(self, meta: dict):
        slope, offset = meta["calibration"]["slope"], meta["calibration"]["offset"]
        self.intercept = slope * meta["intercept"] + offset
        self.weights = [
            slope * w / s for w, s in zip(meta["signal_weights"], meta["signal_scales"], strict=True)
        ]  # per unit of feature_value
        self.centers = meta["signal_means"]
        self.style_score = _StyleScore.of([slope * w for w in meta["style_weights"]], meta["style_means"])

    def contributions(self, features: list[float | None], style: StyleBuckets | None) -> tuple[list, float]:
        by_signal = [
            0.0 if x is None else w * (x - c) for x, w, c in zip(features, self.weights, self.centers, strict=True)
        ]
        if style is None or not self.style_score.weights.any():
            return by_signal, 0.0
        return by_signal, self.style_score(style)


class _Boosted:
    """Gradient-boosted trees where every tree uses one feature (interaction constraints): a signal, each
    signal's trees monotone in its declared direction, or the style score, a logistic regression's log-odds
    over the style vector (0 for the mean style). The model is a sum of one function per feature, so a
    feature's contribution is what its trees give the document less what they give the reference article (the
    training medians of the signals, the mean style). The trees are walked by `cleanse.forest`: read from the
    forest file saved beside the model, or built from scikit-learn's model and checked against it. Where that
    cannot be done, each contribution is the change in scikit-learn's own score when the feature is set to the
    reference."""

    def __init__(self, meta: dict, model_path: Path):
        import numpy as np

        self.np = np
        self.forest, self.classifier = load_trees(model_path)
        self.slope, offset = meta["calibration"]["slope"], meta["calibration"]["offset"]
        self.signals = len(meta["features"])
        self.style = bool(meta["style"])
        self.style_score = _StyleScore.of(meta["style_weights"], meta["style_means"])
        self.reference = np.array(meta["reference"] + [0.0] * self.style, dtype=float)
        if self.forest is not None:
            self.curves = _Curves.of(self.forest, self.reference)
            self.reference_values = [self.curves(g, x) for g, x in enumerate(self.reference.tolist())]
            reference_raw = self.forest.raw(self.reference[None, :])[0]
        else:
            reference_raw = float(self.classifier.decision_function(self.reference[None, :])[0])
        self.intercept = self.slope * reference_raw + offset

    def contributions(self, features: list[float | None], style: StyleBuckets | None) -> tuple[list, float]:
        row = self.reference.tolist()
        for column, x in enumerate(features):
            if x is not None:
                row[column] = x
        if self.style and style is not None:
            row[self.signals] = self.style_score(style)
        if self.forest is None:
            differences = self._ablated(self.np.array(row, dtype=float)).tolist()
        else:
            differences = [
                self.curves(g, x) - r for g, (x, r) in enumerate(zip(row, self.reference_values, strict=True))
            ]
        by_signal = [self.slope * d for d in differences[: self.signals]]
        return by_signal, self.slope * differences[self.signals] if self.style else 0.0

    def _ablated(self, row):
        """Per feature, the model's score less its score with that feature set to the reference: exact for an
        additive model."""
        rows = self.np.repeat(row[None, :], len(row) + 1, axis=0)
        for column in range(len(row)):
            rows[column + 1, column] = self.reference[column]
        scores = self.classifier.decision_function(rows)
        return scores[0] - scores[1:]


@dataclass(frozen=True)
class _Curves:
    """The trees of an additive forest (each tree splits on one feature) as one step function per feature: the
    sum of that feature's trees, for a value between two of its thresholds. A document then costs one binary
    search per feature instead of a walk of every tree. Each step's value is the forest's own sum for a row at
    that step (its trees' leaf values added in tree order, as `numpy.bincount` adds them), so the values are
    the same to the last bit; a tree without a split counts in the first feature, as `Forest.root_features`
    says."""

    thresholds: list[list[float]]  # per feature: the distinct thresholds of its splits, ascending
    values: list[list[float]]  # per feature: its trees' sum below the first threshold, above it, ..., above the last

    @classmethod
    def of(cls, forest: Forest, reference: Any) -> _Curves:
        """The curves of `forest`, read off rows that are `reference` but for one feature set to each step."""
        import numpy as np

        splits, features = ~forest.is_leaf, len(reference)
        thresholds = [np.unique(forest.threshold[splits & (forest.feature == g)]) for g in range(features)]
        steps = [(g, x) for g in range(features) for x in [*thresholds[g].tolist(), math.inf]]
        rows = np.repeat(reference[None, :], len(steps), axis=0)
        for row, (g, x) in zip(rows, steps, strict=True):
            row[g] = x  # x is the largest value of its step: a value goes right only where it exceeds a threshold
        leaves = forest.leaf_values(rows)
        values: list[list[float]] = [[] for _ in range(features)]
        for (g, _), row_leaves in zip(steps, leaves, strict=True):
            sums = np.bincount(forest.root_features, weights=row_leaves, minlength=features)
            values[g].append(float(sums[g]))
        return cls([t.tolist() for t in thresholds], values)

    def __call__(self, feature: int, x: float) -> float:
        """The sum of `feature`'s trees at value `x` (NaN past every threshold, as `Forest` sends it)."""
        thresholds = self.thresholds[feature]
        return self.values[feature][len(thresholds) if x != x else bisect_left(thresholds, x)]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def describe_value(signal: SignalDef, value: float) -> str:
    if signal.normalise == "presence":
        return "present" if value else "absent"
    if signal.normalise == "per_1000_words":
        return f"{value:.1f} per 1,000 words"
    return f"{value:g}"


def _model_explanation(term: _Signal, value: float) -> str:
    if term.signal.normalise == "presence":
        comparison = f"in {term.share:.0%} of training articles"
    else:
        side = "above" if feature_value(value) > feature_value(term.typical) else "below"
        comparison = f"{side} the reference article's {describe_value(term.signal, term.typical)}"
    return f"{term.signal.description}: {describe_value(term.signal, value)} ({comparison})"


def _rule_explanation(signal: SignalDef, value: float) -> str:
    cap = f", counted up to {signal.score_cap:g}" if signal.score_cap is not None else ""
    return f"{signal.description}: {describe_value(signal, value)} (rule weight {signal.score_weight:+g} each{cap})"


def _style_explanation(contribution: float) -> str:
    side = "higher" if contribution > 0 else "lower"
    return (
        "writing style, topic words masked (function words, punctuation, capitals, sentence openings): "
        f"closer to the {side}-rated training sources"
    )
