"""The two families of credibility model that `cleanse train` compares, both additive in their feature groups
(each signal alone, the writing style as one group), so that every score splits exactly into contributions:

- `linear`: a soft-label logistic regression over standardised log(1 + signal) and the style vector, each
  signal's coefficient held to the direction its YAML definition declares (a signal whose fitted coefficient
  contradicts it is dropped);
- `boosted`: gradient-boosted trees (scikit-learn's HistGradientBoosting) under interaction constraints — a tree
  splits on one feature only: a signal, or the style score that a logistic regression makes of the style
  vector — and monotone in each signal's declared direction, so the model is a sum of one learned curve per
  signal plus a style term: it can learn that a little hedging is a good sign and much of it is not, where a
  line cannot, and still never says that profanity raised a score.

Both take the same documents (`cleanse.train.Documents`) and give log-odds with `logits`; `parameters` is what
the scorer (`cleanse.credibility`) reads from the model's JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cleanse.credibility import BOOSTED, LINEAR

if TYPE_CHECKING:
    from cleanse.train import Documents

FAMILIES = (LINEAR, BOOSTED)


def log_features(values: np.ndarray) -> np.ndarray:
    """`cleanse.credibility.feature_value`, on whole columns."""
    return np.log1p(np.maximum(values, 0.0))


def soft_labelled(x: Any, docs: Documents) -> tuple[Any, np.ndarray, np.ndarray]:
    """Soft labels as two weighted copies of each document's row of `x` (dense, or a scipy sparse matrix):
    positive with its label, negative with the rest."""
    y = np.r_[np.ones(x.shape[0]), np.zeros(x.shape[0])]
    weights = np.r_[docs.weights * docs.labels, docs.weights * (1 - docs.labels)]
    if hasattr(x, "tocsr"):
        from scipy import sparse

        return sparse.vstack([x, x]), y, weights
    return np.vstack([x, x]), y, weights


def _present_share(docs: Documents, columns: list[int]) -> dict[str, float]:
    shares = (docs.signals[:, columns] > 0).mean(axis=0)
    return {docs.signal_names[c]: round(float(s), 4) for c, s in zip(columns, shares, strict=True)}


@dataclass
class LinearModel:
    signal_names: list[str]
    signal_means: np.ndarray  # of log(1 + value)
    signal_scales: np.ndarray
    signal_weights: np.ndarray  # log-odds per standardised unit
    style_means: np.ndarray
    style_weights: np.ndarray  # log-odds per unit of the style vector (style factor included)
    intercept: float
    present_share: dict[str, float]
    classifier: Any = None  # the fitted scikit-learn estimator, saved with skops
    dropped: dict[str, str] = field(default_factory=dict)
    kind: str = LINEAR

    def logits(self, docs: Documents) -> np.ndarray:
        columns = [docs.signal_names.index(n) for n in self.signal_names]
        x = (log_features(docs.signals[:, columns]) - self.signal_means) / self.signal_scales
        return self.intercept + x @ self.signal_weights + (docs.style - self.style_means) @ self.style_weights

    def parameters(self) -> dict[str, Any]:
        return {
            "features": self.signal_names,
            "typical": dict(zip(self.signal_names, np.expm1(self.signal_means).round(4).tolist(), strict=True)),
            "present_share": self.present_share,
            "intercept": self.intercept,
            "signal_means": self.signal_means.round(6).tolist(),
            "signal_scales": self.signal_scales.round(6).tolist(),
            "signal_weights": self.signal_weights.round(6).tolist(),
            "style_means": self.style_means.round(6).tolist(),
            "style_weights": self.style_weights.round(6).tolist(),
        }


def fit_linear(docs: Documents, params: Mapping[str, float], directions: Mapping[str, int]) -> LinearModel:
    """Sign-constrained, soft-label logistic regression (params: C, style_factor)."""
    from sklearn.linear_model import LogisticRegression

    c, style_factor = params["C"], params["style_factor"]
    kept, dropped = list(docs.signal_names), {}
    raw = log_features(docs.signals)
    means, scales = raw.mean(axis=0), raw.std(axis=0)
    scales[scales == 0] = 1.0
    standardised = (raw - means) / scales
    style_means = docs.style.mean(axis=0)
    style = (docs.style - style_means) * style_factor
    while True:
        columns = [docs.signal_names.index(n) for n in kept]
        X = np.hstack([standardised[:, columns], style]) if style_factor else standardised[:, columns]
        classifier = LogisticRegression(C=c, max_iter=3000)
        x, y, w = soft_labelled(X, docs)
        classifier.fit(x, y, sample_weight=w)
        coef = classifier.coef_[0]
        wrong = [(coef[i] * directions[n], n) for i, n in enumerate(kept) if coef[i] * directions[n] < 0]
        if not wrong:
            break
        worst = min(wrong)[1]
        kept.remove(worst)
        dropped[worst] = "its fitted coefficient contradicted its declared direction"
    columns = [docs.signal_names.index(n) for n in kept]
    style_weights = coef[len(kept) :] * style_factor if style_factor else np.zeros(docs.style.shape[1])
    return LinearModel(
        signal_names=kept,
        signal_means=means[columns],
        signal_scales=scales[columns],
        signal_weights=coef[: len(kept)],
        style_means=style_means,
        style_weights=style_weights,
        intercept=float(classifier.intercept_[0]),
        present_share=_present_share(docs, columns),
        classifier=classifier,
        dropped=dropped,
    )


@dataclass
class BoostedModel:
    signal_names: list[str]
    reference: np.ndarray  # log(1 + median value) of each signal: the reference article
    style: bool
    present_share: dict[str, float]
    style_means: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the mean style vector
    style_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the style score's weight per bucket
    classifier: Any = None
    dropped: dict[str, str] = field(default_factory=dict)
    kind: str = BOOSTED

    def style_scores(self, docs: Documents) -> np.ndarray:
        return style_scores(docs.style, self.style_means, self.style_weights)

    def features(self, docs: Documents, style_scores: np.ndarray | None = None) -> np.ndarray:
        columns = [docs.signal_names.index(n) for n in self.signal_names]
        signals = log_features(docs.signals[:, columns])
        if not self.style:
            return signals
        scores = self.style_scores(docs) if style_scores is None else style_scores
        return np.hstack([signals, scores[:, None]])

    def logits(self, docs: Documents) -> np.ndarray:
        return self.classifier.decision_function(self.features(docs))

    def parameters(self) -> dict[str, Any]:
        return {
            "features": self.signal_names,
            "typical": dict(zip(self.signal_names, np.expm1(self.reference).round(4).tolist(), strict=True)),
            "present_share": self.present_share,
            "style": self.style,
            "reference": self.reference.round(6).tolist(),
            "style_means": self.style_means.round(6).tolist(),
            "style_weights": self.style_weights.round(6).tolist(),
        }


#: Folds (grouped by source) of the style scores the trees learn from.
STYLE_FOLDS = 5


def fit_boosted(docs: Documents, params: Mapping[str, Any], directions: Mapping[str, int]) -> BoostedModel:
    """Additive, monotone gradient boosting over the signals and one style score (params: max_iter,
    learning_rate, max_leaf_nodes, style, style_C).

    The style buckets enter as one score, a logistic regression's (regularisation style_C). The trees
    learn from scores the regression gave documents of sources it was not fitted on (grouped folds within the
    training part), so they learn how far a score carries to a new source, not how well the regression
    remembers its own training documents; the final regression is fitted on the whole training part. Trees
    over the one score instead of over thousands of buckets also train in seconds instead of minutes."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = list(docs.signal_names)
    style = bool(params["style"])
    model = BoostedModel(
        signal_names=names,
        reference=np.median(log_features(docs.signals), axis=0),
        style=style,
        present_share=_present_share(docs, list(range(len(names)))),
    )
    held_out = None
    if style:
        model.style_means, model.style_weights, held_out = fit_style_score(docs, params["style_C"])
    x = model.features(docs, held_out)
    model.classifier = HistGradientBoostingClassifier(
        max_iter=params["max_iter"],
        learning_rate=params["learning_rate"],
        max_leaf_nodes=params["max_leaf_nodes"],
        l2_regularization=1.0,
        monotonic_cst=[directions[n] for n in names] + [1] * style,
        interaction_cst=[[i] for i in range(x.shape[1])],
        early_stopping=False,
        random_state=0,
    )
    rows, y, weights = soft_labelled(x, docs)
    model.classifier.fit(rows, y, sample_weight=weights)
    return model


def style_scores(style: np.ndarray, means: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The writing style (rows of style vectors) as one number each: a logistic regression's log-odds, 0 for
    the mean style."""
    return (style - means) @ weights


def fit_style_score(docs: Documents, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The style score (logistic regression, regularisation c) as its centre (the mean style vector) and its
    weights, with each training document's score from a regression fitted without its source."""
    means = docs.style.mean(axis=0)
    return means, _style_weights(docs, means, c), _held_out_style_scores(docs, means, c)


def _style_weights(docs: Documents, means: np.ndarray, c: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    x, y, w = soft_labelled(docs.style - means, docs)
    return LogisticRegression(C=c, max_iter=3000).fit(x, y, sample_weight=w).coef_[0]


def _held_out_style_scores(docs: Documents, means: np.ndarray, c: float) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    folds = min(STYLE_FOLDS, len(set(docs.groups.tolist())))
    if folds < 2:
        raise ValueError("the style score needs documents from at least two sources")
    scores = np.zeros(len(docs.labels))
    for train, test in GroupKFold(n_splits=folds).split(docs.style, docs.labels, docs.groups):
        scores[test] = style_scores(docs.style[test], means, _style_weights(docs.subset(train), means, c))
    return scores


def fit_family(docs: Documents, family: str, params: Mapping[str, Any], directions: Mapping[str, int]):
    """A fitted model of `family` (LinearModel or BoostedModel)."""
    if family == LINEAR:
        return fit_linear(docs, params, directions)
    if family == BOOSTED:
        return fit_boosted(docs, params, directions)
    raise ValueError(f"unknown model family {family!r}")
