"""The boilerplate segment classifier: scores the segments no rule removed, and removes the unlikely ones.

One model per input kind: "html" segments come from trafilatura's article extraction and are mostly article;
"text" segments are lines of plain text, which may be a whole page's visible text with menus and footers.
Both are scikit-learn gradient boosting over `cleanse.segment_features`, trained by
`training/train_segments.py`.

The decision is made for the document, not segment by segment: the article is one stretch of text, so the
stretch of candidate segments with the most evidence of article (the maximum-sum run of
(P(article) - threshold) x sqrt(words), as in body-text extraction since Finn et al. 2001) is the main block.
Inside it a segment stays unless it is clearly boilerplate (P < inside); outside it only segments that are
clearly article (P >= outside) stay. Each removal says `reason: model` and its probability of boilerplate.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanse.modelio import load_model, load_trees
from cleanse.records import Segment
from cleanse.segment_features import FEATURES, segment_features

if TYPE_CHECKING:
    from cleanse.forest import Forest

MODELS = Path(__file__).resolve().parent / "models"
KINDS = ("html", "text")
CANDIDATE_ROLES = ("body", "subhead")
LABEL = "other"
REASON = "model"


@dataclass(frozen=True)
class Decision:
    """Thresholds on P(article): `block` finds the main block, `inside` and `outside` keep segments in it
    and out of it."""

    block: float
    inside: float
    outside: float

    @property
    def keeps_everything(self) -> bool:
        """No probability falls below the thresholds: the model need not even run."""
        return self.inside <= 0 and self.outside <= 0

    def keep(self, probabilities: list[float], words: list[int]) -> list[bool]:
        start, end = main_block(
            [(p - self.block) * math.sqrt(max(w, 1)) for p, w in zip(probabilities, words, strict=True)]
        )
        return [p >= (self.inside if start <= i < end else self.outside) for i, p in enumerate(probabilities)]


def main_block(scores: list[float]) -> tuple[int, int]:
    """[start, end) of the contiguous run with the largest sum (empty when every score is negative)."""
    best, best_span, running, start = 0.0, (0, 0), 0.0, 0
    for i, score in enumerate(scores):
        if running <= 0:
            running, start = score, i
        else:
            running += score
        if running > best:
            best, best_span = running, (start, i + 1)
    return best_span


@cache
def _thread_control() -> Any:
    """OpenMP's thread pool, to predict one document on one thread: its few dozen rows cost less than waking
    threads does (on a busy 2-core machine, 80x less), and cores are used by worker processes instead.
    Built on first use, once scikit-learn has loaded its OpenMP library."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@dataclass
class SegmentClassifier:
    """`forest` is the model's trees evaluated with numpy (`cleanse.forest`): the same probabilities as
    scikit-learn's, without its per-call checks and one call per tree, which cost a document several times as
    much. Read from the file saved beside the model, it spares loading scikit-learn and skops at all (seconds of
    start and about 180 MB per process); the scikit-learn `model` is then loaded from `path` only if a row
    needs it. None when the trees cannot be evaluated exactly; scikit-learn predicts then."""

    model: Any  # the scikit-learn model, or None until `scikit_learn()` loads it from `path`
    decision: Decision
    name: str
    forest: Forest | None = None
    path: Path | None = None

    @classmethod
    def load(cls, kind: str, directory: Path = MODELS) -> SegmentClassifier:
        path = directory / f"segments-{kind}.skops"
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if tuple(meta["features"]) != FEATURES:
            raise ValueError(f"{path}: trained on other features than this version computes; retrain it")
        forest, model = load_trees(path)
        return cls(model, Decision(**meta["decision"]), meta["name"], forest, path)

    def scikit_learn(self) -> Any:
        """The scikit-learn model, loaded on first use."""
        if self.model is None:
            self.model = load_model(self.path)
        return self.model

    def article_probabilities(self, segments: list[Segment], title: str | None, site: tuple[str, ...]) -> list[float]:
        """P(article) for every segment (features see the whole document, removed segments included)."""
        if not segments:
            return []
        import numpy as np

        rows = np.asarray(segment_features(segments, title, site), dtype=float)
        if self.forest is not None and not np.isnan(rows).any():  # a missing value may go either way in a split
            return self.forest.probabilities(rows).tolist()
        model = self.scikit_learn()
        with _thread_control().limit(limits=1, user_api="openmp"):
            return model.predict_proba(rows)[:, 1].tolist()

    def apply(self, segments: list[Segment], title: str | None, site: tuple[str, ...]) -> None:
        candidates = [s for s in segments if s.role in CANDIDATE_ROLES]
        if not candidates or self.decision.keeps_everything:
            return
        probabilities = self.article_probabilities(segments, title, site)
        scored = [(s, p) for s, p in zip(segments, probabilities, strict=True) if s.role in CANDIDATE_ROLES]
        keep = self.decision.keep([p for _, p in scored], [s.words for s, _ in scored])
        for (segment, probability), kept in zip(scored, keep, strict=True):
            if not kept:
                segment.remove(LABEL, REASON, round(1.0 - probability, 4))
