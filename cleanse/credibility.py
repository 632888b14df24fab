"""Combine the signals of a document into a credibility score, with the signed reasons behind it.

The score is a calibrated logistic regression over the signals and the topic-masked writing style (trained by
`cleanse train`, see `cleanse/train.py` and the model card), plus documented YAML weights for page-level
signals that the training texts cannot contain (promotions, donation banners, share bars). Every part is
linear, so every score splits exactly into per-signal contributions relative to the average training article.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from cleanse.modelio import load_model
from cleanse.records import Credibility, Reason, SignalValue
from cleanse.rules import RuleSet, SignalDef
from cleanse.style import style_vector

DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "credibility.skops"
TOP_REASONS = 5
NEGLIGIBLE = 0.01
MODEL_KIND = "linear-v2"
#: The function words that the writing-style features keep are English.
STYLE_LANGUAGES = frozenset({"en"})
STYLE_REASON = "writing_style"


def feature_value(value: float) -> float:
    """The model sees log(1 + value): rates are skewed, and a doubling should count the same everywhere."""
    return math.log1p(max(value, 0.0))


def model_parameters(ruleset: RuleSet, model_path: Path | str) -> dict:
    """A model's parameters (the JSON beside its .skops file), once they are of the kind this version reads and
    every signal they weigh is defined; ValueError otherwise."""
    model_path = Path(model_path)
    meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
    if meta.get("kind") != MODEL_KIND:
        raise ValueError(f"{model_path}: a model of kind {meta.get('kind')!r}; this version reads {MODEL_KIND}")
    missing = [name for name in meta["features"] if name not in ruleset.signals]
    if missing:
        raise ValueError(f"{model_path}: the model needs signals the rule packs do not define: {', '.join(missing)}")
    return meta


@dataclass(frozen=True)
class _Term:
    signal: SignalDef
    weight: float  # calibrated log-odds per unit of feature_value(value)
    center: float  # the training mean of feature_value(value)
    typical: float  # the training mean of the value itself, for explanations


class CredibilityScorer:
    """Scores documents with the shipped (or a given) model and the rule set's signal weights."""

    def __init__(self, ruleset: RuleSet, model_path: Path | str = DEFAULT_MODEL):
        meta = model_parameters(ruleset, model_path)
        load_model(model_path)  # refuses a file outside the allow-list; the scorer itself uses the JSON weights
        slope, offset = meta["calibration"]["slope"], meta["calibration"]["offset"]
        self.name: str = meta["name"]
        self.intercept = slope * meta["intercept"] + offset
        self.terms = [
            _Term(ruleset.signals[name], slope * weight / scale, mean, meta["feature_means"][name])
            for name, weight, scale, mean in zip(
                meta["features"], meta["signal_weights"], meta["signal_scales"], meta["signal_means"], strict=True
            )
        ]
        self.style_weights = [slope * w for w in meta["style_weights"]]
        self.style_center = sum(w * m for w, m in zip(self.style_weights, meta["style_means"], strict=True))
        self.rule_weights = [s for s in ruleset.signals.values() if s.score_weight]

    def score(self, signals: dict[str, SignalValue], text: str = "", language: str = "en") -> Credibility:
        """The score of one document from its signals and, for the writing style, its clean text."""
        reasons: list[Reason] = []
        for term in self.terms:
            measured = signals.get(term.signal.name)
            if measured is None:  # not applicable in this language: counts as the training average
                continue
            contribution = term.weight * (feature_value(measured.value) - term.center)
            reasons.append(Reason(term.signal.name, contribution, _model_explanation(term, measured.value)))
        if text and language in STYLE_LANGUAGES and any(self.style_weights):
            style = style_vector(text)
            contribution = sum(self.style_weights[b] * v for b, v in style.items()) - self.style_center
            reasons.append(Reason(STYLE_REASON, contribution, _style_explanation(contribution)))
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


def _style_explanation(contribution: float) -> str:
    side = "higher" if contribution > 0 else "lower"
    return (
        "writing style, topic words masked (function words, punctuation, capitals, sentence openings): "
        f"closer to the {side}-rated training sources"
    )
