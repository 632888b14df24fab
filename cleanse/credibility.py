"""Combine the signals of a document into a credibility score, with the signed reasons behind it.

The score is the log-odds of a scikit-learn logistic regression over the signals (trained by
`training/train_credibility.py`, see the model card), plus documented YAML weights for page-level signals that
the training texts cannot contain (promotions, donation banners, share bars). Both parts are linear, so every
score splits exactly into per-signal contributions relative to the average training article.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from cleanse.modelio import load_model
from cleanse.records import Credibility, Reason, SignalValue
from cleanse.rules import RuleSet, SignalDef

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "credibility.skops"
TOP_REASONS = 5
NEGLIGIBLE = 0.01


def feature_value(value: float) -> float:
    """The model sees log(1 + value): rates are skewed, and a doubling should count the same everywhere."""
    return math.log1p(max(value, 0.0))


@dataclass(frozen=True)
class _Term:
    signal: SignalDef
    weight: float  # log-odds per unit of feature_value(value)
    center: float  # the training mean of feature_value(value)
    typical: float  # the training mean of the value itself, for explanations


class CredibilityScorer:
    """Scores documents with the shipped (or a given) model and the rule set's signal weights."""

    def __init__(self, ruleset: RuleSet, model_path: Path | str = DEFAULT_MODEL):
        model_path = Path(model_path)
        meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
        pipeline = load_model(model_path)
        scaler, classifier = pipeline.named_steps["scale"], pipeline.named_steps["model"]
        missing = [name for name in meta["features"] if name not in ruleset.signals]
        if missing:
            raise ValueError(
                f"{model_path}: the model needs signals the rule packs do not define: {', '.join(missing)}"
            )
        self.name: str = meta["name"]
        self.intercept = float(classifier.intercept_[0])
        self.terms = [
            _Term(ruleset.signals[name], float(coef) / float(scale), float(mean), meta["feature_means"][name])
            for name, coef, scale, mean in zip(
                meta["features"], classifier.coef_[0], scaler.scale_, scaler.mean_, strict=True
            )
        ]
        self.rule_weights = [s for s in ruleset.signals.values() if s.score_weight]

    def score(self, signals: dict[str, SignalValue]) -> Credibility:
        reasons: list[Reason] = []
        for term in self.terms:
            measured = signals.get(term.signal.name)
            if measured is None:
                continue
            contribution = term.weight * (feature_value(measured.value) - term.center)
            reasons.append(Reason(term.signal.name, contribution, _model_explanation(term, measured.value)))
        for signal in self.rule_weights:
            measured = signals.get(signal.name)
            if measured is None or not measured.value:
                continue
            units = min(measured.value, signal.score_cap) if signal.score_cap is not None else measured.value
            contribution = signal.score_weight * units
            reasons.append(Reason(signal.name, contribution, _rule_explanation(signal, measured.value)))
        logit = self.intercept + sum(r.contribution for r in reasons)
        top = sorted((r for r in reasons if abs(r.contribution) >= NEGLIGIBLE), key=lambda r: -abs(r.contribution))
        return Credibility(score=_sigmoid(logit), model=self.name, reasons=top[:TOP_REASONS])


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def describe_value(signal: SignalDef, value: float) -> str:
    if signal.normalise == "presence":
        return "present" if value else "absent"
    if signal.normalise == "per_1000_words":
        return f"{value:.1f} per 1,000 words"
    return f"{value:g}"


def _model_explanation(term: _Term, value: float) -> str:
    if term.signal.normalise == "presence":
        comparison = f"in {term.typical:.0%} of training articles"
    else:
        side = "above" if feature_value(value) > term.center else "below"
        comparison = f"{side} the training average of {describe_value(term.signal, term.typical)}"
    return f"{term.signal.description}: {describe_value(term.signal, value)} ({comparison})"


def _rule_explanation(signal: SignalDef, value: float) -> str:
    cap = f", counted up to {signal.score_cap:g}" if signal.score_cap is not None else ""
    return f"{signal.description}: {describe_value(signal, value)} (rule weight {signal.score_weight:+g} each{cap})"
