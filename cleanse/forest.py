"""The trees of a fitted scikit-learn HistGradientBoostingClassifier, walked with numpy: each tree's leaf value
for a document, which an additive model sums per feature group into exact contributions.

scikit-learn only gives the sum over all trees, and for one row it costs a millisecond or more (input checks and
one call per tree); here every tree is walked at once, one level per step, over node arrays built when the model
is loaded. The walk is checked against scikit-learn's own prediction then, so a model whose trees look otherwise
(categorical splits, a scikit-learn that stores its trees differently) is never mispredicted: `Forest.of`
returns None and the caller falls back on scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: Rows of random data the walk is checked on against scikit-learn when the forest is built.
_PROBE_ROWS = 64


@dataclass(frozen=True)
class Forest:
    """All trees of a binary classifier as flat node arrays, `roots` holding each tree's first node. A leaf is
    its own child on both sides, so a walk that has reached it stays there."""

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray  # (nodes, 2): the next node when the value is <= threshold, and when it is greater
    value: np.ndarray
    roots: np.ndarray
    baseline: float
    depth: int

    @classmethod
    def of(cls, model: Any) -> Forest | None:
        """The forest of `model`, or None when it cannot be walked here exactly as scikit-learn walks it."""
        try:
            if model.n_trees_per_iteration_ != 1:
                return None
            trees = [predictors[0].nodes for predictors in model._predictors]
            if any(nodes["is_categorical"].any() for nodes in trees):
                return None
            offsets = np.cumsum([0] + [len(nodes) for nodes in trees[:-1]])
            nodes = np.concatenate(trees)
            shift = np.repeat(offsets, [len(n) for n in trees])
            leaf = nodes["is_leaf"].astype(bool)
            children = np.stack([nodes["left"] + shift, nodes["right"] + shift], axis=1).astype(np.intp)
            children[leaf] = np.arange(len(nodes))[leaf, None]
            forest = cls(
                feature=np.where(leaf, 0, nodes["feature_idx"]).astype(np.intp),
                threshold=np.where(leaf, np.inf, nodes["num_threshold"]).astype(float),
                children=children,
                value=nodes["value"].astype(float),
                roots=offsets.astype(np.intp),
                baseline=float(np.ravel(model._baseline_prediction)[0]),
                depth=int(max(n["depth"].max() for n in trees)),
            )
            probe = np.random.default_rng(0).normal(0.0, 1.0, size=(_PROBE_ROWS, model.n_features_in_))
            probe[::4] = 0.0
            if not np.allclose(forest.raw(probe), model.decision_function(probe), rtol=0, atol=1e-9):
                return None
            return forest
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            return None

    @property
    def root_features(self) -> np.ndarray:
        """The feature each tree splits on first (under interaction constraints, its whole group)."""
        return self.feature[self.roots]

    def leaf_values(self, rows: np.ndarray) -> np.ndarray:
        """(rows, trees): the value of the leaf each row reaches in each tree. Rows must hold no missing value,
        which a split may send either way."""
        at = np.broadcast_to(self.roots, (len(rows), len(self.roots)))
        row_index = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            at = self.children[at, (rows[row_index, self.feature[at]] > self.threshold[at]).view(np.int8)]
        return self.value[at]

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The decision function (log-odds) of each row, as scikit-learn's."""
        return self.baseline + self.leaf_values(rows).sum(axis=1)
