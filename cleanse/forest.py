"""The trees of a fitted scikit-learn HistGradientBoostingClassifier, walked with numpy: each tree's leaf value
for a document, which an additive model sums per feature group into exact contributions, and the prediction of
the segment model, whose documents are a few dozen rows each.

scikit-learn only gives the sum over all trees, and for one row it costs a millisecond or more (input checks and
one call per tree); here every tree is walked at once, one level per step, over node arrays built when the model
is loaded. The walk is checked against scikit-learn's own prediction then, so a model whose trees look otherwise
(categorical splits, a scikit-learn that stores its trees differently) is never mispredicted: `Forest.of`
returns None and the caller falls back on scikit-learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Rows of random data the walk is checked on against scikit-learn when the forest is built.
_PROBE_ROWS = 64
#: Levels walked between two set-asides of the walks that have reached a leaf (each costs as much as a level).
_SET_ASIDE_EVERY = 4
#: The arrays of a forest file (`Forest.save`), beside its baseline, depth and model digest.
_ARRAYS = ("feature", "threshold", "children", "value", "is_leaf", "roots")


@dataclass(frozen=True)
class Forest:
    """All trees of a binary classifier as flat node arrays, `roots` holding each tree's first node. A leaf is
    its own child on both sides, so a walk that has reached it stays there."""

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray  # (nodes, 2): the next node when the value is <= threshold, and when it is greater
    value: np.ndarray
    is_leaf: np.ndarray
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
                is_leaf=leaf,
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
        which a split may send either way.

        Every (row, tree) walk moves one level per step, as flat arrays; every few steps the walks that have
        reached a leaf are set aside, so the deep trees' last levels do not drag the shallow ones along (three
        times faster on the segment model, whose trees are up to 28 levels deep)."""
        count, width = rows.shape
        trees = len(self.roots)
        values = rows.ravel()
        at = np.tile(self.roots, count)
        offset = np.repeat(np.arange(count) * width, trees)  # where each walk's row starts in `values`
        walk = np.arange(count * trees)
        found = np.empty(count * trees)
        children = self.children.ravel()
        for level in range(1, self.depth + 1):
            at = children[2 * at + (values[offset + self.feature[at]] > self.threshold[at])]
            if level % _SET_ASIDE_EVERY == 0:
                done = self.is_leaf[at]
                found[walk[done]] = self.value[at[done]]
                at, offset, walk = at[~done], offset[~done], walk[~done]
        found[walk] = self.value[at]
        return found.reshape(count, trees)

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The decision function (log-odds) of each row, as scikit-learn's to the last bit: the baseline, then the
        trees added one after the other (a cumulative sum adds in that order; a plain sum adds pairwise)."""
        values = self.leaf_values(rows)
        return np.cumsum(np.column_stack([np.full(len(rows), self.baseline), values]), axis=1)[:, -1]

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(class 1) of each row, as scikit-learn's `predict_proba(rows)[:, 1]`: the logistic function as scipy's
        `expit` computes it, 1 / (1 + exp(-x)) with the C library's exp, without importing scipy. (numpy's
        vectorised exp differs from it in the last bit on some CPUs.)"""
        return np.array([_logistic(x) for x in self.raw(rows).tolist()])

    def save(self, path: Path, source: str) -> None:
        """Write the forest as numpy arrays (.npz), with `source`, the digest of the model file it was read from."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        np.savez_compressed(path, **arrays, baseline=self.baseline, depth=self.depth, source=np.str_(source))

    @classmethod
    def read(cls, path: Path) -> tuple[Forest, str]:
        """A forest written by `save`, and the digest of its model file. Read without pickle: nothing in the file
        can run code."""
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _ARRAYS}
            forest = cls(**arrays, baseline=float(data["baseline"]), depth=int(data["depth"]))
            return forest, str(data["source"])


def _logistic(x: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # exp(-x) is beyond the largest float for x below -709.78: P is 0, as scipy gives
        return 0.0
