"""Train a credibility model on labelled documents: `cleanse train` and the shipped model use this module.

The model is a logistic regression over two kinds of features, so that every score splits exactly into signed
contributions a reader can check:
- the editorial signals (log(1 + value), standardised), each coefficient held to the direction its YAML
  definition declares: a signal whose fitted coefficient contradicts it is dropped, so an explanation never
  says that profanity raised a score;
- the topic-masked writing style of `cleanse.style` (hashed), reported as one contribution, "writing style".
Labels may be soft (a source rating in [0, 1]: each document counts as positive with that weight and negative
with the rest) or hard. Documents are weighted 1/sqrt(documents of their group), so that one large source does
not dominate. Hyperparameters are chosen, and every reported figure computed, out of fold with folds grouped
by the group field (the source): no source is in both the training and the test part. A final Platt scaling,
fitted on the out-of-fold scores, calibrates the probabilities and keeps the model linear.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from cleanse.modelio import save_model
from cleanse.rules import DIRECTIONS, SignalDef
from cleanse.style import STYLE_BUCKETS, style_vector

FOLDS = 5
#: Regularisation strengths and style weights tried; style weight 0 is the signals-only model.
C_GRID = (0.03, 0.1, 0.3, 1.0)
STYLE_GRID = (0.0, 1.0, 3.0)
RELIABILITY_BINS = 10
#: Signals no model learns, and why.
EXCLUDED = {
    "dated": "training corpora often carry no dates at all, so the feature would learn which corpus a text is from",
}


@dataclass
class Documents:
    """Featurised training documents."""

    ids: list[str]
    signals: np.ndarray  # raw signal values, one column per name in `signal_names`
    style: np.ndarray  # style vectors, STYLE_BUCKETS columns
    labels: np.ndarray  # in [0, 1]
    groups: np.ndarray
    signal_names: list[str]
    weights: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        sizes = Counter(self.groups.tolist())
        self.weights = np.array([1 / math.sqrt(sizes[g]) for g in self.groups.tolist()])

    def subset(self, rows: np.ndarray) -> Documents:
        return Documents(
            [self.ids[i] for i in rows],
            self.signals[rows],
            self.style[rows],
            self.labels[rows],
            self.groups[rows],
            self.signal_names,
        )


def model_signals(catalogue: Mapping[str, SignalDef], excluded: Iterable[str] = ()) -> list[str]:
    """The signals a model may learn: directional, not carried by a rule weight, not excluded."""
    skip = set(excluded)
    return [
        name
        for name, s in catalogue.items()
        if s.direction != "neutral" and s.score_weight is None and name not in skip
    ]


def label_value(value: Any, positive: frozenset[str] | None) -> float:
    """A label as a number in [0, 1]: a probability or rating, a boolean, or a string named in `positive`."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value <= 1 or math.isnan(value):
            raise ValueError(f"numeric labels must lie in [0, 1], got {value}")
        return float(value)
    if isinstance(value, str) and positive is not None:
        return 1.0 if value in positive else 0.0
    raise ValueError(f"label {value!r}: give numbers in [0, 1], booleans, or strings with --positive")


def featurise(
    records: Sequence[Mapping[str, Any]],
    labels: Sequence[float],
    groups: Sequence[str],
    cleaner: Any,
    signal_names: list[str],
) -> Documents:
    """Run the pipeline (without a model) over the documents and collect their signals and style."""
    signals = np.zeros((len(records), len(signal_names)))
    style = np.zeros((len(records), STYLE_BUCKETS))
    for row, record in enumerate(records):
        result = cleaner.process(record)
        if result.status == "error":
            raise ValueError(f"record {result.id}: {result.error}")
        for column, name in enumerate(signal_names):
            measured = result.signals.get(name)
            signals[row, column] = measured.value if measured is not None else 0.0
        for bucket, value in style_vector(result.text).items():
            style[row, bucket] = value
    return Documents(
        [str(r.get("id")) for r in records],
        signals,
        style,
        np.asarray(labels, dtype=float),
        np.asarray(groups, dtype=object),
        list(signal_names),
    )


@dataclass
class LinearModel:
    """A fitted model in the form the scorer uses: per-feature weights on centred inputs."""

    signal_names: list[str]
    signal_means: np.ndarray  # of log(1 + value)
    signal_scales: np.ndarray
    signal_weights: np.ndarray  # log-odds per standardised unit
    style_means: np.ndarray
    style_weights: np.ndarray  # log-odds per unit of the style vector (style factor included)
    intercept: float
    typical: np.ndarray  # training mean of each raw signal value, for explanations
    classifier: Any = None  # the fitted scikit-learn estimator, saved with skops
    dropped: dict[str, str] = field(default_factory=dict)

    def logits(self, docs: Documents) -> np.ndarray:
        columns = [docs.signal_names.index(n) for n in self.signal_names]
        x = (_log1p(docs.signals[:, columns]) - self.signal_means) / self.signal_scales
        return self.intercept + x @ self.signal_weights + (docs.style - self.style_means) @ self.style_weights


def _log1p(values: np.ndarray) -> np.ndarray:
    """`cleanse.credibility.feature_value`, on whole columns."""
    return np.log1p(np.maximum(values, 0.0))


def fit(docs: Documents, c: float, style_factor: float, directions: Mapping[str, int]) -> LinearModel:
    """Sign-constrained, soft-label logistic regression; drops signals whose sign contradicts their direction."""
    from sklearn.linear_model import LogisticRegression

    kept, dropped = list(docs.signal_names), {}
    raw = _log1p(docs.signals)
    means, scales = raw.mean(axis=0), raw.std(axis=0)
    scales[scales == 0] = 1.0
    standardised = (raw - means) / scales
    style_means = docs.style.mean(axis=0)
    style = (docs.style - style_means) * style_factor
    while True:
        columns = [docs.signal_names.index(n) for n in kept]
        X = np.hstack([standardised[:, columns], style]) if style_factor else standardised[:, columns]
        classifier = LogisticRegression(C=c, max_iter=3000)
        classifier.fit(
            np.vstack([X, X]),
            np.r_[np.ones(len(X)), np.zeros(len(X))],
            sample_weight=np.r_[docs.weights * docs.labels, docs.weights * (1 - docs.labels)],
        )
        coef = classifier.coef_[0]
        wrong = [(coef[i] * directions[n], n) for i, n in enumerate(kept) if coef[i] * directions[n] < 0]
        if not wrong:
            break
        kept.remove(min(wrong)[1])
        dropped[min(wrong)[1]] = "its fitted coefficient contradicted its declared direction"
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
        typical=docs.signals[:, columns].mean(axis=0),
        classifier=classifier,
        dropped=dropped,
    )


def out_of_fold(
    docs: Documents, c: float, style_factor: float, directions: Mapping[str, int], folds: int = FOLDS
) -> np.ndarray:
    """Out-of-fold logits, folds grouped by source."""
    from sklearn.model_selection import GroupKFold

    logits = np.zeros(len(docs.labels))
    for train, test in GroupKFold(n_splits=folds).split(docs.signals, docs.labels, docs.groups):
        model = fit(docs.subset(train), c, style_factor, directions)
        logits[test] = model.logits(docs.subset(test))
    return logits


def soft_log_loss(logits: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    p = np.clip(1 / (1 + np.exp(-logits)), 1e-9, 1 - 1e-9)
    losses = -(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    return float(np.sum(weights * losses) / np.sum(weights))


def platt(logits: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """Slope and offset that calibrate out-of-fold logits (a one-feature soft-label logistic regression)."""
    from sklearn.linear_model import LogisticRegression

    x = logits.reshape(-1, 1)
    calibrator = LogisticRegression(C=1e6, max_iter=1000)
    calibrator.fit(
        np.vstack([x, x]),
        np.r_[np.ones(len(x)), np.zeros(len(x))],
        sample_weight=np.r_[weights * labels, weights * (1 - labels)],
    )
    return float(calibrator.coef_[0][0]), float(calibrator.intercept_[0])


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = RELIABILITY_BINS) -> list[dict]:
    """Mean predicted probability against the mean label, per bin of predictions (a reliability curve)."""
    table = []
    edges = np.linspace(0, 1, bins + 1)
    for low, high in zip(edges, edges[1:], strict=False):
        inside = (probabilities >= low) & ((probabilities < high) | (high == 1))
        if inside.any():
            table.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "documents": int(inside.sum()),
                    "mean_predicted": round(float(probabilities[inside].mean()), 4),
                    "mean_label": round(float(labels[inside].mean()), 4),
                }
            )
    return table


def grouped_metrics(probabilities: np.ndarray, docs: Documents) -> dict[str, Any]:
    """Article AUC (label >= 0.5), source-level Spearman and AUC, calibration error: all out of fold."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    by_group: dict[str, list[int]] = defaultdict(list)
    for row, group in enumerate(docs.groups.tolist()):
        by_group[group].append(row)
    groups = sorted(by_group)
    group_pred = np.array([probabilities[by_group[g]].mean() for g in groups])
    group_label = np.array([docs.labels[by_group[g]].mean() for g in groups])
    binary = docs.labels >= 0.5
    metrics: dict[str, Any] = {
        "documents": len(docs.labels),
        "groups": len(groups),
        "article_auc": _auc(roc_auc_score, binary, probabilities),
        "group_auc": _auc(roc_auc_score, group_label >= 0.5, group_pred),
    }
    if len(set(group_label.tolist())) > 2:
        metrics["group_spearman"] = round(float(spearmanr(group_pred, group_label).statistic), 4)
        metrics["group_spearman_95ci"] = bootstrap_spearman(group_pred, group_label)
    table = reliability(probabilities, docs.labels)
    metrics["calibration_error"] = round(
        sum(b["documents"] * abs(b["mean_predicted"] - b["mean_label"]) for b in table) / len(docs.labels), 4
    )
    metrics["reliability"] = table
    return metrics


def _auc(roc_auc_score, truth: np.ndarray, scores: np.ndarray) -> float | None:
    return round(float(roc_auc_score(truth, scores)), 4) if 0 < truth.sum() < len(truth) else None


def bootstrap_spearman(pred: np.ndarray, truth: np.ndarray, rounds: int = 2000) -> list[float]:
    """A 95 % bootstrap interval of Spearman's rho over the groups."""
    from scipy.stats import spearmanr

    rng = np.random.default_rng(0)
    values = []
    for _ in range(rounds):
        rows = rng.integers(0, len(pred), len(pred))
        if len(set(truth[rows].tolist())) > 2 and len(set(pred[rows].tolist())) > 2:
            values.append(spearmanr(pred[rows], truth[rows]).statistic)
    return [round(float(np.percentile(values, 2.5)), 4), round(float(np.percentile(values, 97.5)), 4)]


@dataclass
class TrainingRun:
    model: LinearModel
    c: float
    style_factor: float
    calibration: tuple[float, float]
    metrics: dict[str, Any]
    search: list[dict[str, Any]]


def train(docs: Documents, directions: Mapping[str, int], log=print) -> TrainingRun:
    """Choose C and the style weight by grouped out-of-fold log loss, calibrate, and fit on everything."""
    search, best = [], None
    for style_factor in STYLE_GRID:
        for c in C_GRID:
            logits = out_of_fold(docs, c, style_factor, directions)
            loss = soft_log_loss(logits, docs.labels, docs.weights)
            search.append({"C": c, "style_factor": style_factor, "oof_log_loss": round(loss, 5)})
            log(f"C={c:<5} style={style_factor:<4} out-of-fold log loss {loss:.5f}")
            if best is None or loss < best[0]:
                best = (loss, c, style_factor, logits)
    _, c, style_factor, logits = best
    slope, offset = platt(logits, docs.labels, docs.weights)
    calibrated = 1 / (1 + np.exp(-(slope * logits + offset)))
    metrics = grouped_metrics(calibrated, docs)
    metrics["folds"] = FOLDS
    model = fit(docs, c, style_factor, directions)
    return TrainingRun(model, c, style_factor, (slope, offset), metrics, search)


def train_from_records(
    records: Iterable[Mapping[str, Any]],
    label_field: str,
    group_field: str,
    positive: frozenset[str] | None,
    cleaner: Any,
    log=print,
) -> tuple[TrainingRun, Documents]:
    """Validate the labelled records, featurise them and train; a record without a usable label or group
    stops the run with its id (training on silently partial data would misreport every figure)."""
    kept, labels, groups, problems = [], [], [], []
    for number, record in enumerate(records, start=1):
        where = f"record {record.get('id', number)}"
        group = record.get(group_field)
        if group in (None, ""):
            problems.append(f"{where}: no '{group_field}'")
            continue
        try:
            labels.append(label_value(record.get(label_field), positive))
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        kept.append(record)
        groups.append(str(group))
    if problems:
        raise ValueError(f"{len(problems)} unusable record(s):\n  " + "\n  ".join(problems[:10]))
    if len(set(groups)) < FOLDS:
        raise ValueError(f"grouped validation needs at least {FOLDS} groups, found {len(set(groups))}")
    if len({label >= 0.5 for label in labels}) < 2:
        raise ValueError("all labels are on one side of 0.5: nothing to learn")
    names = model_signals(cleaner.ruleset.signals, EXCLUDED)
    directions = {n: DIRECTIONS[cleaner.ruleset.signals[n].direction] for n in names}
    log(f"featurising {len(kept)} documents from {len(set(groups))} groups ...")
    docs = featurise(kept, labels, groups, cleaner, names)
    return train(docs, directions, log), docs


def save_run(run: TrainingRun, out: Path, name: str, command: str, data_note: str) -> None:
    """The model (skops), its parameters for the scorer (JSON) and a model card (Markdown), side by side."""
    out.parent.mkdir(parents=True, exist_ok=True)
    model = run.model
    save_model(model.classifier, out.with_suffix(".skops"))
    slope, offset = run.calibration
    meta = {
        "name": name,
        "kind": "linear-v2",
        "trained": date.today().isoformat(),
        "command": command,
        "data": data_note,
        "C": run.c,
        "style_factor": run.style_factor,
        "style_buckets": STYLE_BUCKETS,
        "calibration": {"slope": round(slope, 6), "offset": round(offset, 6)},
        "intercept": model.intercept,
        "features": model.signal_names,
        "signal_means": model.signal_means.round(6).tolist(),
        "signal_scales": model.signal_scales.round(6).tolist(),
        "signal_weights": model.signal_weights.round(6).tolist(),
        "feature_means": dict(zip(model.signal_names, model.typical.round(4).tolist(), strict=True)),
        "style_means": model.style_means.round(6).tolist(),
        "style_weights": model.style_weights.round(6).tolist(),
        "dropped": {**{n: EXCLUDED[n] for n in EXCLUDED}, **model.dropped},
        "metrics": run.metrics,
        "search": run.search,
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(model_card(meta), encoding="utf-8")


def model_card(meta: dict[str, Any]) -> str:
    m = meta["metrics"]
    weights = "\n".join(f"| `{n}` | {w:+.3f} |" for n, w in zip(meta["features"], meta["signal_weights"], strict=True))
    dropped = "\n".join(f"- `{n}`: {why}" for n, why in meta["dropped"].items()) or "- none"
    reliability_rows = "\n".join(
        f"| {b['bin']} | {b['documents']} | {b['mean_predicted']:.3f} | {b['mean_label']:.3f} |"
        for b in m["reliability"]
    )
    spearman = (
        f"{m['group_spearman']} (bootstrap 95% CI {m['group_spearman_95ci'][0]} to {m['group_spearman_95ci'][1]})"
        if "group_spearman" in m
        else "n/a (labels are not graded)"
    )
    style = (
        f"plus the topic-masked writing style ({meta['style_buckets']} hashed buckets, weight "
        f"{meta['style_factor']:g}), reported as one contribution"
        if meta["style_factor"]
        else "(the writing-style features did not improve the grouped validation and have weight 0)"
    )
    return f"""# Model card: {meta["name"]}

Logistic regression (scikit-learn) over cleanse's editorial signals, each as standardised log(1 + value), {style}.
Calibrated by Platt scaling on out-of-fold scores (slope {meta["calibration"]["slope"]:.3f}, offset
{meta["calibration"]["offset"]:+.3f}). Saved with skops and loaded only under an explicit allow-list of types.
Trained {meta["trained"]} by `{meta["command"]}`.

## What it estimates
The probability that the document comes from a source that follows sound editorial practice, as its labels
define it. It does **not** judge whether a claim is true.

## Data
{meta["data"]}

## Split and metrics
{m["folds"]}-fold GroupKFold on the source: no source is in both the training and the test part of a fold.
Hyperparameters (C = {meta["C"]:g}, style weight {meta["style_factor"]:g}) chosen by out-of-fold log loss.

| metric (out of fold, {m["documents"]} documents, {m["groups"]} sources) | value |
|---|---|
| article AUC, label >= 0.5 | {m["article_auc"]} |
| source AUC (mean score per source), label >= 0.5 | {m["group_auc"]} |
| source Spearman against the mean label | {spearman} |
| expected calibration error | {m["calibration_error"]} |

Reliability (out of fold, calibrated):

| predicted | documents | mean predicted | mean label |
|---|---|---|---|
{reliability_rows}

## Signal weights (log-odds per standard deviation of log(1 + value))
| signal | weight |
|---|---|
{weights}

Signals left out of the model:
{dropped}

Page-level signals that training texts rarely contain (promotions, donation appeals, share lists) are not
learned; they enter the score through the documented `score_weight` of their YAML definitions.
"""
