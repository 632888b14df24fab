"""Credibility benchmark: every figure source-disjoint, cleanse against the two baselines, side by side.

    python training/credibility_data.py          # once: builds training/.cache/credibility.jsonl
    python benchmarks/credibility.py [--data ../shared/data/credibility] [--systems cleanse,tfidf-lr]
                                     [--parts lopo,grouped,transfer,register]

Systems, all trained on the same soft label (the host's Lin et al. 2023 pc1 rating) and the same folds:
  cleanse                the shipped recipe (cleanse/train.py): the model family and hyperparameters that
                         `cleanse train` chose for the shipped model, over the signals and the topic-masked style
  cleanse-other-family  the best candidate of the family it did not choose (cleanse/additive.py: logistic
                         regression, or additive monotone boosted trees), from the shipped model's search
  gradient-boosting      unconstrained scikit-learn HistGradientBoosting over the same features (the signals and
                         the style score): what the additive, monotone structure (exact explanations) costs
  13-signals-lr          baseline: logistic regression over 13 first-version signals
  tfidf-lr               baseline: logistic regression over word TF-IDF of the text
Evaluations:
  1. BuzzFeed-Webis, leave one portal out (the test portal's hosts are left out of training): article AUC for
     "mostly true" (articles with factual content), mainstream vs hyperpartisan AUC, and fake-vs-true within
     hyperpartisan portals (expected near chance: the score is not a fact-check).
  2. All rated articles, 5-fold GroupKFold on the host: article AUC (pc1 >= 0.5), host-level Spearman against
     pc1 with a bootstrap 95 % interval (over every host, and over the news corpora's hosts, the extraction
     pages' hosts and the hosts with two or more articles apart), calibration (reliability of the calibrated
     cleanse score).
  3. Transfer between datasets (train on one, test on the others' hosts not seen in training).
  4. Register checks on Horne & Adali 2017 (not in the training data): mean score of real, fake and satire
     articles, scored by a model trained on all rated articles.
Writes benchmarks/results/credibility.json and prints Markdown tables (docs/credibility.md holds the last run).
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanse.additive import fit_family, fit_style_score, soft_labelled, style_scores  # noqa: E402
from cleanse.credibility import DEFAULT_MODEL  # noqa: E402
from cleanse.pipeline import Cleaner  # noqa: E402
from cleanse.rules import DIRECTIONS  # noqa: E402
from cleanse.sources import PRIOR  # noqa: E402
from cleanse.train import (  # noqa: E402
    EXCLUDED,
    Documents,
    bootstrap_spearman,
    featurise,
    model_signals,
    platt,
    platt_probabilities,
    reliability,
)

CACHE = ROOT / "training" / ".cache"
SYSTEMS = ("cleanse", "cleanse-other-family", "gradient-boosting", "13-signals-lr", "tfidf-lr")
PARTS = ("lopo", "grouped", "transfer", "register")
BASELINE_SIGNALS = (
    "attribution",
    "attributed_quotes",
    "outlet_citations",
    "data_citations",
    "sources_list",
    "byline",
    "hedging",
    "certainty",
    "first_person",
    "second_person",
    "slang_profanity",
    "exclamation",
    "shouting",
)
#: The style score's regularisation for the unconstrained gradient-boosting system.
STYLE_C = 3.0
#: The news corpora of ../shared/data/credibility; the rest of the articles are the extraction benchmarks' pages.
NEWS_CORPORA = frozenset({"buzzfeed-webis", "fakenewscorpus", "fakenewsnet"})
GOALS = {"mostly_true_auc": 0.85, "mainstream_auc": 0.95, "host_spearman": 0.70}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def featurised(records: list[dict], name: str, cleaner: Cleaner, signal_names: list[str]) -> Documents:
    """Signals and style of the records, cached by content and by the pipeline that measured them (its code,
    rules and segment models): featurising runs the whole pipeline."""
    ids = zlib.crc32("\n".join(r["id"] for r in records).encode("utf-8"))
    key = f"{name}-{len(records)}-{ids}-{zlib.crc32(' '.join(signal_names).encode('utf-8'))}-{_pipeline_version()}"
    cached = CACHE / f"credibility-features-{key}.npz"
    labels = [r.get("pc1", 0.5) for r in records]
    groups = [r.get("host", r["id"]) for r in records]
    if cached.exists():
        data = np.load(cached, allow_pickle=False)
        return Documents(
            [r["id"] for r in records],
            data["signals"],
            data["style"],
            np.asarray(labels),
            np.asarray(groups, dtype=object),
            signal_names,
        )
    fields = ("id", "text", "title", "author")
    docs = featurise([{k: r.get(k) for k in fields} for r in records], labels, groups, cleaner, signal_names)
    np.savez_compressed(cached, signals=docs.signals, style=docs.style)
    return docs


def _pipeline_version() -> str:
    digest = 0
    sources = [*sorted((ROOT / "cleanse").glob("*.py")), *sorted((ROOT / "rules").glob("*.yaml"))]
    for path in [*sources, *sorted((ROOT / "cleanse" / "models").glob("segments-*.json"))]:
        digest = zlib.crc32(path.read_bytes(), digest)
    return f"{digest:08x}"


class Systems:
    """Fits every system on a training part and scores a test part (higher = sounder practice)."""

    def __init__(self, meta: dict, directions: dict[str, int], texts: dict[str, str], names: tuple[str, ...]):
        self.names = names
        self.shipped = (meta["kind"], meta["params"])
        other = [c for c in meta["search"] if c["family"] != meta["kind"]]
        best_other = min(other, key=lambda c: c["oof_log_loss"])
        self.other = (
            best_other["family"],
            {k: v for k, v in best_other.items() if k not in ("family", "oof_log_loss")},
        )
        self.directions = directions
        self.texts = texts

    def scores(self, system: str, train: Documents, test: Documents) -> np.ndarray:
        if system == "cleanse":
            return fit_family(train, *self.shipped, self.directions).logits(test)
        if system == "cleanse-other-family":
            return fit_family(train, *self.other, self.directions).logits(test)
        if system == "gradient-boosting":
            return self._boosting(train, test)
        if system == "13-signals-lr":
            columns = [train.signal_names.index(n) for n in BASELINE_SIGNALS]
            return self._logistic(np.log1p(train.signals[:, columns]), np.log1p(test.signals[:, columns]), train)
        if system == "tfidf-lr":
            from sklearn.feature_extraction.text import TfidfVectorizer

            vectorizer = TfidfVectorizer(min_df=2, max_features=50_000, sublinear_tf=True)
            x_train = vectorizer.fit_transform([self.texts[i] for i in train.ids])
            return self._logistic(x_train, vectorizer.transform([self.texts[i] for i in test.ids]), train)
        raise ValueError(system)

    def _logistic(self, x_train, x_test, train: Documents) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        scaler = StandardScaler(with_mean=not hasattr(x_train, "tocsr"))
        model = make_pipeline(scaler, LogisticRegression(C=1.0, max_iter=3000))
        x, y, w = soft_labelled(x_train, train)
        model.fit(x, y, logisticregression__sample_weight=w)
        return model.decision_function(x_test)

    def _boosting(self, train: Documents, test: Documents) -> np.ndarray:
        from sklearn.ensemble import HistGradientBoostingClassifier

        means, weights, held_out = fit_style_score(train, STYLE_C)
        model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0)
        x, y, w = soft_labelled(np.hstack([np.log1p(train.signals), held_out[:, None]]), train)
        model.fit(x, y, sample_weight=w)
        test_style = style_scores(test.style, means, weights)
        return model.decision_function(np.hstack([np.log1p(test.signals), test_style[:, None]]))


def auc(truth, scores) -> float | None:
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(truth, dtype=bool)
    return round(float(roc_auc_score(truth, scores)), 4) if 0 < truth.sum() < len(truth) else None


def leave_one_portal_out(docs: Documents, records: list[dict], systems: Systems) -> dict:
    buzzfeed = [i for i, r in enumerate(records) if r["dataset"] == "buzzfeed-webis"]
    portals = sorted({records[i]["portal"] for i in buzzfeed})
    scores = {s: np.full(len(records), np.nan) for s in systems.names}
    for portal in portals:
        test = np.array([i for i in buzzfeed if records[i]["portal"] == portal])
        hosts = {records[i]["host"] for i in test}
        train = np.array([i for i, r in enumerate(records) if r["host"] not in hosts])
        for system in systems.names:
            scores[system][test] = systems.scores(system, docs.subset(train), docs.subset(test))
        print(f"  portal {portal}: {len(test)} test articles, {len(train)} training articles", file=sys.stderr)
    factual = [i for i in buzzfeed if records[i]["veracity"] != "no factual content"]
    partisan = [i for i in factual if records[i]["orientation"] != "mainstream"]
    truth = [records[i]["veracity"] == "mostly true" for i in factual]
    is_mainstream = np.array([records[i]["orientation"] == "mainstream" for i in factual])
    results = {}
    for system in systems.names:
        s = scores[system]
        results[system] = {
            "mostly_true_auc": auc(truth, s[factual]),
            "mainstream_auc": auc([records[i]["orientation"] == "mainstream" for i in buzzfeed], s[buzzfeed]),
            "within_hyperpartisan_true_vs_false_auc": auc(
                [records[i]["veracity"] == "mostly true" for i in partisan], s[partisan]
            ),
            # The same score with each article's orientation made perfect, its order within each orientation
            # kept: how far the mostly-true AUC is held back by orientation errors rather than the order within.
            "mostly_true_auc_with_perfect_orientation": auc(truth, with_group_known(is_mainstream, s[factual])),
        }
    # An oracle that knows each article's orientation and nothing else (ties, so chance, within orientation):
    # the mostly-true AUC a score reaches by telling mainstream from hyperpartisan perfectly.
    oracle = auc(truth, is_mainstream)
    mainstream = [i for i in factual if records[i]["orientation"] == "mainstream"]
    shares = {
        side: round(float(np.mean([records[i]["veracity"] == "mostly true" for i in rows])), 3)
        for side, rows in (("mainstream", mainstream), ("hyperpartisan", partisan))
    }
    return {"portals": portals, "articles": len(buzzfeed), "scores": results, "orientation_oracle": oracle,
            "mostly_true_share": shares}  # fmt: skip


def grouped_folds(docs: Documents, records: list[dict], systems: Systems, folds: int = 5) -> dict:
    """Out-of-fold scores, folds grouped by host; host Spearman over every host and over parts of them: the hosts
    of the news corpora (the figure before the extraction benchmarks' pages joined the data), those of the
    extraction pages, and the hosts with two or more articles (a source audited on one document is that
    document's score)."""
    from sklearn.model_selection import GroupKFold

    sizes = Counter(docs.groups.tolist())
    parts = {
        "news_hosts": [i for i, r in enumerate(records) if r["dataset"] in NEWS_CORPORA],
        "extraction_hosts": [i for i, r in enumerate(records) if r["dataset"] not in NEWS_CORPORA],
        "several_articles_hosts": [i for i, host in enumerate(docs.groups.tolist()) if sizes[host] >= 2],
    }
    from_extraction = np.zeros(len(records))
    from_extraction[parts["extraction_hosts"]] = 1.0
    # A score that knows only which kind of corpus a host's articles came from (ties within each kind; a host in
    # both lies between): how much of the host figure is the gap between the two kinds rather than a ranking
    # within them.
    corpus, ratings = host_means(from_extraction, docs, range(len(records)))
    results, calibration = {}, None
    for system in systems.names:
        scores = np.zeros(len(docs.labels))
        for train, test in GroupKFold(n_splits=folds).split(docs.signals, docs.labels, docs.groups):
            scores[test] = systems.scores(system, docs.subset(train), docs.subset(test))
        pred, truth = host_means(scores, docs, range(len(records)))
        slope, offset = platt(scores, docs.labels, docs.weights)
        probabilities = platt_probabilities(scores, slope, offset)
        posterior, _ = host_means(probabilities, docs, range(len(records)), posterior_mean)
        results[system] = {
            "article_auc": auc(docs.labels >= 0.5, scores),
            "host_spearman": spearman(pred, truth),
            "host_spearman_95ci": bootstrap_spearman(pred, truth),
            # the hosts ranked as the audit could rank them: by the centre of their interval, not their mean
            "host_spearman_by_posterior_mean": spearman(posterior, truth),
            # what the figure would be if the score told the two kinds of host apart perfectly and ranked the
            # hosts within each kind as it does now
            "host_spearman_with_known_corpus": spearman(with_group_known(corpus, pred), truth),
        }
        for part, rows in parts.items():
            pred, truth = host_means(scores, docs, rows)
            results[system] |= {
                f"{part}_spearman": spearman(pred, truth),
                f"{part}_spearman_95ci": bootstrap_spearman(pred, truth),
            }
        if system == "cleanse":
            calibration = reliability(probabilities, docs.labels)
        print(f"  grouped folds: {system} done", file=sys.stderr)
    return {"articles": len(docs.labels), "hosts": len(sizes), "scores": results, "reliability": calibration,
            "corpus_oracle_host_spearman": spearman(corpus, ratings),
            "part_hosts": {part: len({docs.groups[i] for i in rows}) for part, rows in parts.items()}}  # fmt: skip


def with_group_known(group: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Log-odds `scores` ranked first by `group` (0 to 1), then as they are within it: the score with the group
    made known, its order within each group kept (the logistic function squeezes any score below the gap)."""
    return 2.0 * group + 1 / (1 + np.exp(-scores))


def host_means(scores: np.ndarray, docs: Documents, rows, aggregate=np.mean) -> tuple[np.ndarray, np.ndarray]:
    """Each host's mean score over `rows` (or another `aggregate` of its scores), and its rating."""
    by_host = defaultdict(list)
    for row in rows:
        by_host[docs.groups[row]].append(row)
    hosts = sorted(by_host)
    ratings = np.array([docs.labels[by_host[h][0]] for h in hosts])
    return np.array([aggregate(scores[by_host[h]]) for h in hosts]), ratings


def posterior_mean(probabilities: np.ndarray) -> float:
    """The mean of the Beta posterior behind a source audit's interval (`cleanse.sources`): each document's
    calibrated score as fractional evidence on the audit's flat prior, so one document stays nearer the middle
    than a hundred."""
    return (probabilities.sum() + PRIOR) / (len(probabilities) + 2 * PRIOR)


def spearman(pred: np.ndarray, truth: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return round(float(spearmanr(pred, truth).statistic), 4)


def transfer(docs: Documents, records: list[dict], systems: Systems) -> dict:
    """Train on one dataset, test on the other datasets' articles from hosts the training part never saw."""
    results = {}
    others = {r["dataset"] for r in records} - {"buzzfeed-webis"}
    for name, train_sets in (("buzzfeed-webis -> others", {"buzzfeed-webis"}), ("others -> buzzfeed-webis", others)):
        train = np.array([i for i, r in enumerate(records) if r["dataset"] in train_sets])
        seen = {records[i]["host"] for i in train}
        test = np.array([i for i, r in enumerate(records) if r["dataset"] not in train_sets and r["host"] not in seen])
        row = {"train": len(train), "test": len(test)}
        for system in systems.names:
            row[system] = auc(docs.labels[test] >= 0.5, systems.scores(system, docs.subset(train), docs.subset(test)))
        results[name] = row
    return results


def register_checks(data: Path, docs: Documents, cleaner: Cleaner, signal_names: list[str], meta: dict) -> dict:
    """Horne & Adali 2017 (real / fake / satire), scored by the cleanse recipe trained on all rated articles."""
    horne = load(data / "horne2017-fakenewsdata1.jsonl")
    test = featurised(horne, "horne2017", cleaner, signal_names)
    directions = {n: DIRECTIONS[cleaner.ruleset.signals[n].direction] for n in signal_names}
    logits = fit_family(docs, meta["kind"], meta["params"], directions).logits(test)
    probabilities = 1 / (1 + np.exp(-logits))
    labels = np.array([r["label"] for r in horne])
    means = {label: round(float(probabilities[labels == label].mean()), 4) for label in sorted(set(labels))}
    counts = {label: int((labels == label).sum()) for label in sorted(set(labels))}
    real_fake = labels != "satire"
    real_satire = labels != "fake"
    return {
        "articles": counts,
        "mean_score": means,
        "real_vs_fake_auc": auc(labels[real_fake] == "real", logits[real_fake]),
        "real_vs_satire_auc": auc(labels[real_satire] == "real", logits[real_satire]),
    }


def markdown(results: dict) -> str:
    lines: list[str] = []
    if "leave_one_portal_out" in results:
        lopo = results["leave_one_portal_out"]
        lines += [
            f"### BuzzFeed-Webis, leave one portal out ({lopo['articles']} articles, {len(lopo['portals'])} portals)",
            "",
            "| system | mostly true AUC | mainstream vs hyperpartisan AUC | within hyperpartisan, true vs false AUC |",
            "|---|---|---|---|",
        ]
        for system, s in lopo["scores"].items():
            lines.append(
                f"| {system} | {s['mostly_true_auc']} | {s['mainstream_auc']} | "
                f"{s['within_hyperpartisan_true_vs_false_auc']} |"
            )
        lines += [
            "",
            f"Mostly true: {lopo['mostly_true_share']['mainstream']:.0%} of the mainstream articles with factual "
            f"content, {lopo['mostly_true_share']['hyperpartisan']:.0%} of the hyperpartisan ones. Knowing each "
            f"article's orientation perfectly, and nothing more, gives a mostly true AUC of "
            f"{lopo['orientation_oracle']}: a score goes beyond that only by telling true from false articles "
            "within hyperpartisan sources.",
        ]
        if "cleanse" in lopo["scores"]:
            lines[-1] += (
                " cleanse's score with every article's orientation made perfect (its order within each orientation "
                f"kept) would give {lopo['scores']['cleanse']['mostly_true_auc_with_perfect_orientation']}."
            )
    if "grouped" in results:
        grouped = results["grouped"]
        lines += [
            "",
            f"### All rated articles, 5-fold GroupKFold on the host ({grouped['articles']} articles, "
            f"{grouped['hosts']} hosts)",
            "",
            "| system | article AUC (pc1 >= 0.5) | host Spearman vs pc1 | 95% interval | ranked by posterior mean |",
            "|---|---|---|---|---|",
        ]
        for system, s in grouped["scores"].items():
            low, high = s["host_spearman_95ci"]
            lines.append(
                f"| {system} | {s['article_auc']} | {s['host_spearman']} | {low} to {high} | "
                f"{s['host_spearman_by_posterior_mean']} |"
            )
        lines += [
            "",
            "Host Spearman ranks the hosts by their articles' mean score, as `cleanse score` ranks sources; the "
            "last column ranks them by the mean of the Beta posterior behind the audit's interval (a host of one "
            "article nearer the middle than one of many).",
            "",
            "Which corpus a host's articles came from (the news corpora, mostly hyperpartisan and fake-news sites, "
            "or the extraction benchmarks' pages, mostly sound outlets), and nothing more, ranks the hosts with a "
            f"Spearman of {grouped['corpus_oracle_host_spearman']} (ties within each corpus).",
        ]
        if "cleanse" in grouped["scores"]:
            lines[-1] += (
                " cleanse's host means with each host's corpus made known (its order within each corpus kept) would "
                f"give {grouped['scores']['cleanse']['host_spearman_with_known_corpus']}."
            )
        hosts = grouped["part_hosts"]
        lines += [
            "",
            "Host Spearman over parts of the hosts (the same out-of-fold scores; 95 % intervals):",
            "",
            f"| system | news-corpus hosts ({hosts['news_hosts']}) | extraction-page hosts "
            f"({hosts['extraction_hosts']}) | hosts with 2+ articles ({hosts['several_articles_hosts']}) |",
            "|---|---|---|---|",
        ]
        for system, s in grouped["scores"].items():
            cells = [f"{s[f'{p}_spearman']} ({' to '.join(map(str, s[f'{p}_spearman_95ci']))})" for p in hosts]
            lines.append(f"| {system} | " + " | ".join(cells) + " |")
        if grouped["reliability"]:
            lines += ["", "### Reliability of the calibrated cleanse score (out of fold)", ""]
            lines += ["| predicted | articles | mean predicted | mean pc1 |", "|---|---|---|---|"]
            lines += [
                f"| {b['bin']} | {b['documents']} | {b['mean_predicted']:.3f} | {b['mean_label']:.3f} |"
                for b in grouped["reliability"]
            ]
    if "transfer" in results:
        names = [k for k in next(iter(results["transfer"].values())) if k not in ("train", "test")]
        lines += ["", "### Transfer between datasets (article AUC, pc1 >= 0.5)", ""]
        lines += ["| direction | train | test | " + " | ".join(names) + " |", "|---" * (3 + len(names)) + "|"]
        for name, row in results["transfer"].items():
            lines.append(
                f"| {name} | {row['train']} | {row['test']} | " + " | ".join(str(row[s]) for s in names) + " |"
            )
    if "register" in results:
        horne = results["register"]
        lines += [
            "",
            "### Register check: Horne & Adali 2017 (not in training)",
            "",
            "| | " + " | ".join(horne["articles"]) + " |",
            "|---" * (1 + len(horne["articles"])) + "|",
            "| articles | " + " | ".join(str(n) for n in horne["articles"].values()) + " |",
            "| mean score | " + " | ".join(str(v) for v in horne["mean_score"].values()) + " |",
            "",
            f"real vs fake AUC {horne['real_vs_fake_auc']}, real vs satire AUC {horne['real_vs_satire_auc']}.",
        ]
    measured = {}
    if "cleanse" in results.get("leave_one_portal_out", {}).get("scores", {}):
        cleanse_lopo = results["leave_one_portal_out"]["scores"]["cleanse"]
        measured |= {
            "mostly_true_auc": cleanse_lopo["mostly_true_auc"],
            "mainstream_auc": cleanse_lopo["mainstream_auc"],
        }
    if "cleanse" in results.get("grouped", {}).get("scores", {}):
        measured["host_spearman"] = results["grouped"]["scores"]["cleanse"]["host_spearman"]
    lines += ["", "### Goals", ""]
    for goal, target in GOALS.items():
        value = measured.get(goal)
        verdict = "not measured in this run" if goal not in measured else "met" if value >= target else "NOT met"
        lines.append(f"- {goal} >= {target}: {value} ({verdict})")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "credibility")
    parser.add_argument("--articles", type=Path, default=CACHE / "credibility.jsonl")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated, of: " + ", ".join(SYSTEMS))
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated, of: " + ", ".join(PARTS))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "credibility.json")
    args = parser.parse_args()
    names = tuple(n.strip() for n in args.systems.split(","))
    parts = set(args.parts.split(","))
    if unknown := (set(names) - set(SYSTEMS)) | (parts - set(PARTS)):
        sys.exit(f"unknown system or part: {', '.join(sorted(unknown))}")
    if not args.articles.exists():
        sys.exit(f"{args.articles} is missing: run python training/credibility_data.py first")
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    records = load(args.articles)
    cleaner = Cleaner(model=None)
    signal_names = model_signals(cleaner.ruleset.signals, EXCLUDED)
    directions = {n: DIRECTIONS[cleaner.ruleset.signals[n].direction] for n in signal_names}
    docs = featurised(records, "rated", cleaner, signal_names)
    systems = Systems(meta, directions, {r["id"]: r["text"] for r in records}, names)
    results: dict = {"model": meta["name"], "systems": list(names)}
    if "lopo" in parts:
        results["leave_one_portal_out"] = leave_one_portal_out(docs, records, systems)
    if "grouped" in parts:
        results["grouped"] = grouped_folds(docs, records, systems)
    if "transfer" in parts:
        results["transfer"] = transfer(docs, records, systems)
    if "register" in parts:
        results["register"] = register_checks(args.data, docs, cleaner, signal_names, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
