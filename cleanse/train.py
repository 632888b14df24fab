"""Train a credibility model on labelled documents: `cleanse train` and the shipped model use this module.

Two families of model are compared (`cleanse.additive`): a logistic regression and gradient-boosted trees, both
additive in their feature groups — each editorial signal (log(1 + value)) alone, held to the direction its YAML
definition declares, and the topic-masked writing style of `cleanse.style` as one group — so that every score
splits exactly into signed contributions a reader can check. Labels may be soft (a source rating in [0, 1]:
each document counts as positive with that weight and negative with the rest) or hard. Documents are weighted
1/sqrt(documents of their group), so that one large source does not dominate. The family and its
hyperparameters are chosen, and every reported figure computed, out of fold with folds grouped by the group
field (the source): no source is in both the training and the test part. A final Platt scaling, fitted on the
out-of-fold scores, calibrates the probabilities; being one slope and offset, it keeps the model additive.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from cleanse.additive import fit_family
from cleanse.credibility import BOOSTED, LINEAR, STYLE_REASON
from cleanse.modelio import save_model
from cleanse.rules import DIRECTIONS, SignalDef
from cleanse.style import STYLE_BUCKETS, style_vector

FOLDS = 5
#: The candidates tried, each by its out-of-fold log loss: logistic regressions over regularisation strengths
#: and style weights (style weight 0 is the signals-only model), and boosted trees over two regularisations of
#: their style score.
CANDIDATES: tuple[tuple[str, dict[str, Any]], ...] = (
    *((LINEAR, {"C": c, "style_factor": f}) for f in (0.0, 1.0, 3.0) for c in (0.03, 0.1, 0.3, 1.0)),
    *(
        (BOOSTED, {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 7, "style": True, "style_C": c})
        for c in (3.0, 10.0)
    ),
)
FAMILY_CHOICES = {"linear": (LINEAR,), "boosted": (BOOSTED,), "both": (LINEAR, BOOSTED)}
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


def out_of_fold(
    docs: Documents, family: str, params: Mapping[str, Any], directions: Mapping[str, int], folds: int = FOLDS
) -> np.ndarray:
    """Out-of-fold logits, folds grouped by source."""
    from sklearn.model_selection import GroupKFold

    logits = np.zeros(len(docs.labels))
    for train, test in GroupKFold(n_splits=folds).split(docs.signals, docs.labels, docs.groups):
        model = fit_family(docs.subset(train), family, params, directions)
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


def platt_probabilities(logits: np.ndarray, slope: float, offset: float) -> np.ndarray:
    """The probabilities of `logits` under the calibration `platt` fitted."""
    return 1 / (1 + np.exp(-(slope * logits + offset)))


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


def candidates_of(choice: str) -> list[tuple[str, dict[str, Any]]]:
    """The candidates of a --family choice: 'linear', 'boosted' or 'both'."""
    if choice not in FAMILY_CHOICES:
        raise ValueError(f"the family must be one of {', '.join(FAMILY_CHOICES)}, not {choice!r}")
    return [(family, params) for family, params in CANDIDATES if family in FAMILY_CHOICES[choice]]


@dataclass
class TrainingRun:
    model: Any  # cleanse.additive.LinearModel or BoostedModel
    family: str
    params: dict[str, Any]
    calibration: tuple[float, float]
    metrics: dict[str, Any]
    search: list[dict[str, Any]]


def train(
    docs: Documents,
    directions: Mapping[str, int],
    log=print,
    candidates: Sequence[tuple[str, dict[str, Any]]] = CANDIDATES,
) -> TrainingRun:
    """Choose the family and its hyperparameters by grouped out-of-fold log loss, calibrate, fit on everything."""
    search, best = [], None
    for family, params in candidates:
        logits = out_of_fold(docs, family, params, directions)
        loss = soft_log_loss(logits, docs.labels, docs.weights)
        search.append({"family": family, **params, "oof_log_loss": round(loss, 5)})
        log(f"{family} {params}: out-of-fold log loss {loss:.5f}")
        if best is None or loss < best[0]:
            best = (loss, family, params, logits)
    _, family, params, logits = best
    slope, offset = platt(logits, docs.labels, docs.weights)
    calibrated = platt_probabilities(logits, slope, offset)
    metrics = grouped_metrics(calibrated, docs)
    metrics["folds"] = FOLDS
    model = fit_family(docs, family, params, directions)
    return TrainingRun(model, family, dict(params), (slope, offset), metrics, search)


def train_from_records(
    records: Iterable[Mapping[str, Any]],
    label_field: str,
    group_field: str,
    positive: frozenset[str] | None,
    cleaner: Any,
    log=print,
    candidates: Sequence[tuple[str, dict[str, Any]]] = CANDIDATES,
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
    return train(docs, directions, log, candidates), docs


def save_run(run: TrainingRun, out: Path, name: str, command: str, data_note: str, docs: Documents) -> None:
    """The model (skops), its parameters for the scorer (JSON) and a model card (Markdown), side by side."""
    out.parent.mkdir(parents=True, exist_ok=True)
    model = run.model
    save_model(model.classifier, out.with_suffix(".skops"))
    slope, offset = run.calibration
    meta = {
        "name": name,
        "kind": run.family,
        "trained": date.today().isoformat(),
        "command": command,
        "data": data_note,
        "params": run.params,
        "style_buckets": STYLE_BUCKETS,
        "calibration": {"slope": round(slope, 6), "offset": round(offset, 6)},
        **model.parameters(),
        "effects": effects(model, docs, slope),
        "dropped": {**{n: EXCLUDED[n] for n in EXCLUDED}, **model.dropped},
        "metrics": run.metrics,
        "search": run.search,
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(model_card(meta), encoding="utf-8")


EFFECT_PERCENTILES = (10, 50, 90, 99)


def effects(model: Any, docs: Documents, slope: float) -> dict[str, list[list[float]]]:
    """What each signal adds to the calibrated log-odds at the 10th, 50th, 90th and 99th percentile of its
    training values, against the typical document (the training medians, the mean style): the model's learned
    curve, in a few numbers. For the writing style, the contribution of the training documents' own style at
    those percentiles of it."""
    columns = [docs.signal_names.index(n) for n in model.signal_names]
    values = np.percentile(docs.signals[:, columns], EFFECT_PERCENTILES, axis=0)

    def probe(rows: int) -> Documents:
        return Documents(
            [""] * rows,
            np.median(docs.signals, axis=0, keepdims=True).repeat(rows, axis=0),
            docs.style.mean(axis=0, keepdims=True).repeat(rows, axis=0),
            np.full(rows, 0.5),
            np.array(["probe"] * rows, dtype=object),
            docs.signal_names,
        )

    table = {}
    for i, (name, column) in enumerate(zip(model.signal_names, columns, strict=True)):
        probes = probe(len(EFFECT_PERCENTILES) + 1)
        probes.signals[1:, column] = values[:, i]
        logits = model.logits(probes)
        table[name] = [[float(f"{v:.3g}"), round(float(slope * (lg - logits[0])), 3)]
                       for v, lg in zip(values[:, i], logits[1:], strict=True)]  # fmt: skip
    styled = probe(len(docs.labels) + 1)
    styled.style[1:] = docs.style
    logits = model.logits(styled)
    spread = np.percentile(slope * (logits[1:] - logits[0]), EFFECT_PERCENTILES)
    table[STYLE_REASON] = [[float(p), round(float(c), 3)] for p, c in zip(EFFECT_PERCENTILES, spread, strict=True)]
    return table


def model_card(meta: dict[str, Any]) -> str:
    m = meta["metrics"]
    curves = "\n".join(
        f"| `{n}` | " + " | ".join(f"{v:g}: {c:+.2f}" for v, c in meta["effects"][n]) + " |" for n in meta["features"]
    )
    style_spread = ", ".join(f"{c:+.2f} at the {p:g}th percentile" for p, c in meta["effects"][STYLE_REASON])
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
    search = "\n".join(
        f"| {c['family']} | {', '.join(f'{k} {v}' for k, v in c.items() if k not in ('family', 'oof_log_loss'))} "
        f"| {c['oof_log_loss']} |"
        for c in meta["search"]
    )
    return f"""# Model card: {meta["name"]}

{_about(meta)}

## What it estimates
The probability that the document comes from a source that follows sound editorial practice, as its labels
define it. It does **not** judge whether a claim is true.

## Data
{meta["data"]}

## Split and metrics
{m["folds"]}-fold GroupKFold on the source: no source is in both the training and the test part of a fold.
The model family and its hyperparameters were chosen by out-of-fold log loss:

| family | hyperparameters | out-of-fold log loss |
|---|---|---|
{search}

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

## What each signal does
Calibrated log-odds it adds against the typical training article, at the 10th, 50th, 90th and 99th percentile
of its training values (value: effect):

| signal | effects |
|---|---|
{curves}

The writing style of the training documents contributes {style_spread}.

Signals left out of the model:
{dropped}

Page-level signals that training texts rarely contain (promotions, donation appeals, share lists) are not
learned; they enter the score through the documented `score_weight` of their YAML definitions.
"""


def _forest_text(meta: dict[str, Any]) -> str:
    return "; its trees also as numpy arrays beside it, which scoring reads" if meta["kind"] == BOOSTED else ""


def _about(meta: dict[str, Any]) -> str:
    calibration = meta["calibration"]
    return textwrap.fill(
        f"{_family_text(meta)} Calibrated by Platt scaling on out-of-fold scores (slope {calibration['slope']:.3f}, "
        f"offset {calibration['offset']:+.3f}). Saved with skops and loaded only under an explicit allow-list of "
        f"types{_forest_text(meta)}. Trained {meta['trained']} by `{meta['command']}`.",
        width=110,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _family_text(meta: dict[str, Any]) -> str:
    p = meta["params"]
    if meta["kind"] == LINEAR:
        style = (
            f"plus the topic-masked writing style ({meta['style_buckets']} hashed buckets, weight "
            f"{p['style_factor']:g}), reported as one contribution"
            if p["style_factor"]
            else "(the writing-style features did not improve the grouped validation and have weight 0)"
        )
        return (
            f"Logistic regression (scikit-learn, C = {p['C']:g}) over cleanse's editorial signals, each as "
            f"standardised log(1 + value) held to its declared direction, {style}."
        )
    style = (
        "and trees over one style score, the log-odds of a logistic regression (C = "
        f"{p['style_C']:g}) over the topic-masked writing style ({meta['style_buckets']} hashed buckets), the "
        "trees trained on scores for sources the regression was not fitted on"
        if meta["style"]
        else "(no writing-style features)"
    )
    return (
        f"Gradient-boosted trees (scikit-learn HistGradientBoosting, {p['max_iter']} trees of up to "
        f"{p['max_leaf_nodes']} leaves, learning rate {p['learning_rate']:g}) that are additive by construction: "
        "interaction constraints let a tree split on one feature only: an editorial signal (log(1 + value)), "
        f"each signal's trees monotone in its declared direction, {style}. Every score is the sum of one learned "
        "curve per signal and the style term, so it splits exactly into contributions against the reference "
        "article (the training medians, the mean style)."
    )
