"""Train the shipped credibility model: logistic regression over cleanse's signals.

Data (../shared/data/credibility, see its README for licences and citations):
  - BuzzFeed-Webis Fake News Corpus 2016 (Potthast et al., ACL 2018)
  - FakeNewsCorpus sample (OpenSources-typed domains)
  - FakeNewsNet v1 articles (Shu et al.), those whose URL names their host
Label: the host's aggregate quality rating pc1 (Lin et al. 2023, PNAS Nexus), used as a soft target: each
article counts as "sound practice" with weight pc1 and as "not" with weight 1 - pc1, so the model's probability
estimates the rating. Hosts are weighted by 1/sqrt(articles) so that one large outlet does not dominate.
Each signal's coefficient is held to the direction its YAML definition declares; a signal whose fitted
coefficient contradicts it is dropped (and named in the model card).
Evaluation: 5-fold GroupKFold on the rated host (no host in both train and test), whole procedure per fold.

    python training/train_credibility.py [--data ../shared/data/credibility] [--out cleanse/models]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.credibility import feature_value  # noqa: E402
from cleanse.modelio import save_model  # noqa: E402
from cleanse.pipeline import Cleaner  # noqa: E402
from cleanse.rules import DIRECTIONS  # noqa: E402

MODEL_NAME = "credibility-v1"
FOLDS = 5
C = 0.3
#: Signals left out of the model, and why: the training texts cannot show them fairly.
EXCLUDED = {
    "dated": "BuzzFeed-Webis and the FakeNewsCorpus sample carry no dates, so the feature would learn the dataset",
}


def rated_host(host: str, ratings: dict[str, float]) -> str | None:
    """The host, or its closest parent domain, that has a rating."""
    parts = host.lower().removeprefix("www.").split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in ratings:
            return candidate
    return None


def _host(value: str | None) -> str:
    if not value:
        return ""
    return (urlsplit(value if "//" in value else f"//{value}").hostname or "").lower()


def load_articles(data: Path, ratings: dict[str, float]) -> list[dict]:
    articles = []

    def add(dataset: str, i: str, text: str, title: str | None, author: str | None, host_hint: str) -> None:
        host = rated_host(_host(host_hint), ratings)
        if host and text and text.strip():
            articles.append(
                {
                    "id": f"{dataset}:{i}",
                    "text": text,
                    "title": title or None,
                    "author": author or None,
                    "host": host,
                    "dataset": dataset,
                    "pc1": ratings[host],
                }
            )

    for line in (data / "buzzfeed-webis-2016.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        add(
            "buzzfeed-webis",
            r["id"],
            "\n\n".join(r["paragraphs"]),
            r.get("title"),
            r.get("author"),
            r["source"],
        )
    for line in (data / "fakenewscorpus-sample.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        add("fakenewscorpus", r["id"], r["text"], r.get("title"), r.get("authors"), r["source"])
    for line in (data / "fakenewsnet" / "fakenewsnet_v1_articles.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        authors = r.get("authors")
        author = ", ".join(authors) if isinstance(authors, list) else authors
        add("fakenewsnet", r["id"], r["text"], r.get("title"), author, r.get("source") or r.get("url") or "")
    return articles


def signal_table(articles: list[dict], cleaner: Cleaner) -> list[dict]:
    rows = []
    for article in articles:
        record = {k: article[k] for k in ("id", "text", "title", "author")}
        result = cleaner.process(record)
        if result.status == "error":
            raise RuntimeError(f"{article['id']}: {result.error}")
        rows.append({name: s.value for name, s in result.signals.items()})
    return rows


def soft_fit(model: Pipeline, X: np.ndarray, pc1: np.ndarray, weight: np.ndarray) -> Pipeline:
    """Fit on soft labels: every row twice, as positive with weight pc1 and as negative with 1 - pc1."""
    X2 = np.vstack([X, X])
    y2 = np.r_[np.ones(len(X)), np.zeros(len(X))]
    w2 = np.r_[weight * pc1, weight * (1 - pc1)]
    model.fit(X2, y2, model__sample_weight=w2)
    return model


def sign_constrained_fit(X, pc1, weight, features, directions) -> tuple[Pipeline, list[str], dict[str, str]]:
    """Fit, then drop the feature whose coefficient most contradicts its declared direction, until none does.

    Collinear signals can take the wrong sign (slang "raising" a score because it co-occurs with first-person
    writing); such a coefficient would make the explanations wrong, so the feature is dropped instead.
    """
    kept, dropped = list(features), {}
    while True:
        columns = [features.index(f) for f in kept]
        model = soft_fit(new_model(), X[:, columns], pc1, weight)
        coef = model.named_steps["model"].coef_[0]
        wrong = [(c * directions[f], f) for f, c in zip(kept, coef, strict=True) if c * directions[f] < 0]
        if not wrong:
            return model, kept, dropped
        _, worst = min(wrong)
        kept.remove(worst)
        dropped[worst] = "its fitted coefficient contradicted its declared direction"


def new_model() -> Pipeline:
    return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(C=C, max_iter=2000))])


def evaluate(X, pc1, weight, groups, features, directions) -> tuple[dict, np.ndarray]:
    """Out-of-fold scores of the whole procedure (sign constraints included), folds grouped by host."""
    oof = np.zeros(len(X))
    for train, test in GroupKFold(n_splits=FOLDS).split(X, pc1, groups):
        model, kept, _ = sign_constrained_fit(X[train], pc1[train], weight[train], features, directions)
        columns = [features.index(f) for f in kept]
        oof[test] = model.predict_proba(X[test][:, columns])[:, 1]
    by_host = defaultdict(list)
    for g, p in zip(groups, oof, strict=True):
        by_host[g].append(p)
    hosts = sorted(by_host)
    host_pred = np.array([np.mean(by_host[h]) for h in hosts])
    host_pc1 = np.array([pc1[list(groups).index(h)] for h in hosts])
    rho = spearmanr(host_pred, host_pc1).statistic
    rng = np.random.default_rng(0)
    boot = []
    for _ in range(2000):
        idx = rng.integers(0, len(hosts), len(hosts))
        if len(set(host_pc1[idx])) > 2:
            boot.append(spearmanr(host_pred[idx], host_pc1[idx]).statistic)
    metrics = {
        "folds": FOLDS,
        "split": "GroupKFold on the rated host",
        "articles": len(X),
        "hosts": len(hosts),
        "article_auc_pc1_ge_0.5": round(float(roc_auc_score(pc1 >= 0.5, oof)), 4),
        "host_auc_pc1_ge_0.5": round(float(roc_auc_score(host_pc1 >= 0.5, host_pred)), 4),
        "host_spearman_pc1": round(float(rho), 4),
        "host_spearman_pc1_95ci": [
            round(float(np.percentile(boot, 2.5)), 4),
            round(float(np.percentile(boot, 97.5)), 4),
        ],
    }
    return metrics, oof


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    parser.add_argument("--out", type=Path, default=ROOT / "cleanse" / "models")
    args = parser.parse_args()

    with (args.data / "ratings" / "lin2023_domain_pc1.csv").open(encoding="utf-8") as handle:
        ratings = {row["domain"]: float(row["pc1"]) for row in csv.DictReader(handle)}
    articles = load_articles(args.data, ratings)
    cleaner = Cleaner(model=None)
    signals = cleaner.ruleset.signals
    features = [
        name
        for name, signal in signals.items()
        if signal.direction != "neutral" and signal.score_weight is None and name not in EXCLUDED
    ]
    directions = {name: DIRECTIONS[signals[name].direction] for name in features}
    table = signal_table(articles, cleaner)
    raw = np.array([[row[f] for f in features] for row in table])
    X = np.vectorize(feature_value)(raw)
    pc1 = np.array([a["pc1"] for a in articles])
    groups = np.array([a["host"] for a in articles])
    per_host = Counter(groups)
    weight = np.array([1 / math.sqrt(per_host[g]) for g in groups])

    metrics, _ = evaluate(X, pc1, weight, groups, features, directions)
    print(json.dumps(metrics, indent=2))
    model, kept, dropped = sign_constrained_fit(X, pc1, weight, features, directions)
    args.out.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out / "credibility.skops")
    coefficients = dict(zip(kept, model.named_steps["model"].coef_[0].round(4).tolist(), strict=True))
    meta = {
        "name": MODEL_NAME,
        "features": kept,
        "feature_means": {f: round(float(raw[:, features.index(f)].mean()), 4) for f in kept},
        "excluded": {**EXCLUDED, **dropped},
        "coefficients_standardised": coefficients,
        "trained": date.today().isoformat(),
        "datasets": dict(Counter(a["dataset"] for a in articles)),
        "metrics": metrics,
        "command": "python training/train_credibility.py",
    }
    (args.out / "credibility.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (args.out / "credibility.md").write_text(model_card(meta), encoding="utf-8")
    print(json.dumps(coefficients, indent=2))


def model_card(meta: dict) -> str:
    m = meta["metrics"]
    weights = "\n".join(f"| {name} | {coef:+.3f} |" for name, coef in meta["coefficients_standardised"].items())
    excluded = "\n".join(f"- `{name}`: {why}" for name, why in meta["excluded"].items())
    datasets = ", ".join(f"{name} {count}" for name, count in meta["datasets"].items())
    low, high = m["host_spearman_pc1_95ci"]
    return f"""# Model card: {meta["name"]}

Logistic regression (scikit-learn, standardised inputs) over cleanse's editorial signals, each as
log(1 + value). Saved with skops; cleanse loads it only under an explicit allow-list of types.
Trained {meta["trained"]} by `{meta["command"]}`.

## What it estimates
The probability that the document's *source* follows sound editorial practice, as rated by experts: the
target is the host's aggregate quality rating pc1 (Lin et al. 2023, PNAS Nexus), used as a soft label. It does
**not** judge whether a claim is true.

## Data
{m["articles"]} articles from {m["hosts"]} rated hosts ({datasets}): BuzzFeed-Webis Fake News Corpus 2016
(Potthast et al. 2018), a FakeNewsCorpus sample, FakeNewsNet v1 articles (Shu et al.), joined on the host to
Lin et al. 2023 pc1. Hosts are weighted by 1/sqrt(articles).

## Split and metrics
{m["folds"]}-fold {m["split"]}: no host is in both the training and the test folds.

| metric (out-of-fold) | value |
|---|---|
| article AUC, pc1 >= 0.5 | {m["article_auc_pc1_ge_0.5"]} |
| host AUC (mean score per host), pc1 >= 0.5 | {m["host_auc_pc1_ge_0.5"]} |
| host Spearman vs pc1 | {m["host_spearman_pc1"]} (bootstrap 95% CI {low} to {high}) |

The article AUC is carried by the large hosts (politico.com, cnn.com, the hyperpartisan Facebook pages of
BuzzFeed-Webis); across the many hosts with one to three articles the ranking is weak, which the host Spearman
shows.

## Features and standardised coefficients
| signal | coefficient |
|---|---|
{weights}

Left out:
{excluded}

Page-level signals that these texts do not contain (promotions, donation appeals, share lists) are not learned
here; they enter the score through the documented `score_weight` of their YAML signal definitions.
"""


if __name__ == "__main__":
    main()
