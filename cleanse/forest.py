"""The trees of a fitted scikit-learn HistGradientBoostingClassifier, evaluated with numpy: each tree's leaf
value for a document, which an additive model sums per feature group into exact contributions, and the
prediction of the segment model, whose documents are a few dozen rows each.

scikit-learn only gives the sum over all trees, and for one row it costs a millisecond or more (input checks and
one call per tree). Here every tree is evaluated at once by QuickScorer's method (Lucchese et al., SIGIR 2015):
a tree's leaves are numbered from left to right, and a split whose threshold the row's value exceeds sends the
row right, ruling out the leaves on its left; the row's leaf is the leftmost leaf that none of its splits rules
out. With at most 64 leaves a tree's leaves are the bits of one 64-bit number. The splits on one feature that a
value exceeds are the first ones in order of threshold, so a table holds, for each feature and each such prefix
of its splits, the leaves they leave in every tree; a row's leaf in every tree is then one table row per
feature, combined with a bitwise AND, and the lowest bit set. No loop runs over the trees' levels, which the
segment model's trees have up to 28 of.

The trees are checked against scikit-learn's own prediction when the forest is built, so a model whose trees
look otherwise (categorical splits, more than 64 leaves, a scikit-learn that stores its trees differently) is
never mispredicted: `Forest.of` returns None and the caller falls back on scikit-learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

#: Rows of random data the trees are checked on against scikit-learn when the forest is built.
_PROBE_ROWS = 64
#: The arrays of a forest file (`Forest.save`), beside its baseline and model digest.
_ARRAYS = ("feature", "threshold", "children", "value", "is_leaf", "roots")
#: A tree's leaves, as bits of one number.
MAX_LEAVES = 64
_ALL_LEAVES = np.uint64(2**64 - 1)


@dataclass(frozen=True)
class Forest:
    """All trees of a binary classifier as flat node arrays, `roots` holding each tree's first node (a leaf is
    its own child on both sides). Each tree has at most `MAX_LEAVES` leaves (else `ValueError`); a tree's
    nodes lie from its root to the next tree's root."""

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray  # (nodes, 2): the next node when the value is <= threshold, and when it is greater
    value: np.ndarray
    is_leaf: np.ndarray
    roots: np.ndarray
    baseline: float

    def __post_init__(self) -> None:
        leaves = np.add.reduceat(self.is_leaf.astype(np.intp), self.roots).max(initial=0)
        if leaves > MAX_LEAVES:
            raise ValueError(f"a tree has {leaves} leaves, more than {MAX_LEAVES}")

    @cached_property
    def _exits(self) -> _ExitLeaves:
        """The tables, made on first use (tens of milliseconds for the segment model), so that a process builds
        those of the models it uses."""
        return _ExitLeaves.of(self)

    @classmethod
    def of(cls, model: Any) -> Forest | None:
        """The forest of `model`, or None when its trees cannot be evaluated here exactly as scikit-learn does."""
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
        return self._exits.leaf_values(rows)

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The decision function (log-odds) of each row, as scikit-learn's to the last bit: the baseline, then the
        trees added one after the other (a cumulative sum adds in that order; a plain sum adds pairwise)."""
        values = self.leaf_values(rows)
        if not values.shape[1]:  # no trees
            return np.full(len(rows), self.baseline)
        values[:, 0] += self.baseline  # the baseline and the first tree, then the others
        return np.cumsum(values, axis=1)[:, -1]

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(class 1) of each row, as scikit-learn's `predict_proba(rows)[:, 1]`: the logistic function as scipy's
        `expit` computes it, 1 / (1 + exp(-x)) with the C library's exp, without importing scipy. (numpy's
        vectorised exp differs from it in the last bit on some CPUs.)"""
        return np.array([_logistic(x) for x in self.raw(rows).tolist()])

    def save(self, path: Path, source: str) -> None:
        """Write the forest as numpy arrays (.npz), with `source`, the digest of the model file it was read from."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        np.savez_compressed(path, **arrays, baseline=self.baseline, source=np.str_(source))

    @classmethod
    def read(cls, path: Path) -> tuple[Forest, str]:
        """A forest written by `save`, and the digest of its model file. Read without pickle: nothing in the file
        can run code."""
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _ARRAYS}
            forest = cls(**arrays, baseline=float(data["baseline"]))
            return forest, str(data["source"])


@dataclass(frozen=True)
class _ExitLeaves:
    """QuickScorer's tables of a forest (see the module's docstring)."""

    features: np.ndarray  # the features split on
    thresholds: list[np.ndarray]  # per feature of `features`: its splits' distinct thresholds, ascending
    starts: np.ndarray  # per feature of `features`: its first row in `leaves_left`
    leaves_left: np.ndarray  # (rows, trees) of uint64: per feature, the leaves left by its splits on its first
    # 0, 1, 2, ... thresholds
    values: np.ndarray  # (trees, MAX_LEAVES): the value of each tree's leaves, numbered from the left
    first_leaves: np.ndarray  # each tree's first leaf in `values` flattened

    @classmethod
    def of(cls, forest: Forest) -> _ExitLeaves:
        trees, nodes = len(forest.roots), len(forest.feature)
        tree_of = [0] * nodes
        kept = [int(_ALL_LEAVES)] * nodes  # per split: the leaves that going right leaves
        values = np.zeros((trees, MAX_LEAVES))
        children, is_leaf = forest.children.tolist(), forest.is_leaf.tolist()
        for tree, root in enumerate(forest.roots.tolist()):
            order = _left_first(root, children, is_leaf)
            leaves = [node for node in order if is_leaf[node]]
            values[tree, : len(leaves)] = forest.value[leaves]
            spans = {leaf: (number, number + 1) for number, leaf in enumerate(leaves)}  # leaves under a node
            for node in reversed(order):  # each node after its subtrees
                tree_of[node] = tree
                if not is_leaf[node]:
                    (first, end), (_, last) = spans[children[node][0]], spans[children[node][1]]
                    spans[node] = (first, last)
                    kept[node] ^= ((1 << (end - first)) - 1) << first
        tree_of, leaves_left = np.array(tree_of, dtype=np.intp), np.array(kept, dtype=np.uint64)
        splits = np.flatnonzero(~forest.is_leaf)
        features = np.unique(forest.feature[splits])
        thresholds, tables = [], []
        for feature in features.tolist():
            on = splits[forest.feature[splits] == feature]
            on = on[np.argsort(forest.threshold[on], kind="stable")]
            table = np.full((len(on) + 1, trees), _ALL_LEAVES)
            table[np.arange(1, len(on) + 1), tree_of[on]] = leaves_left[on]
            # one row per distinct threshold (a third of the segment model's rows): a value exceeds all the
            # splits of a threshold or none, so only the row after the last of them is ever read
            ordered = forest.threshold[on]
            distinct = np.unique(ordered)
            thresholds.append(distinct)
            exceeded = np.concatenate([[0], ordered.searchsorted(distinct, side="right")])
            tables.append(np.bitwise_and.accumulate(table, axis=0)[exceeded])
        starts = np.cumsum([0] + [len(table) for table in tables[:-1]], dtype=np.intp)
        leaves = np.concatenate(tables) if tables else np.empty((0, trees), dtype=np.uint64)
        return cls(features, thresholds, starts, leaves, values, np.arange(trees, dtype=np.intp) * MAX_LEAVES)

    def leaf_values(self, rows: np.ndarray) -> np.ndarray:
        """`Forest.leaf_values`: per feature, the table row of the splits each value exceeds; the rows ANDed;
        the lowest bit left is the leaf."""
        columns = rows.T.take(self.features, axis=0)  # a feature's values side by side
        at = np.empty((len(self.features), len(rows)), dtype=np.intp)
        for k, (thresholds, values) in enumerate(zip(self.thresholds, columns, strict=True)):
            at[k] = thresholds.searchsorted(values)  # how many of the feature's thresholds each value exceeds
        at += self.starts[:, None]
        # (`take` copies whole table rows; indexing with `at` costs a sixth more)
        left = np.bitwise_and.reduce(self.leaves_left.take(at, axis=0), axis=0, initial=_ALL_LEAVES)
        lowest = left & (~left + np.uint64(1))
        _, exponent = np.frexp(lowest.astype(float))  # 2**k is 0.5 * 2**(k + 1), exactly
        exponent += self.first_leaves - 1  # each tree's leaf, numbered in `values` flattened
        return self.values.take(exponent)


def _left_first(root: int, children: list[list[int]], is_leaf: list[bool]) -> list[int]:
    """A tree's nodes from its root, each before its subtrees and the left subtree before the right."""
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        if not is_leaf[node]:
            stack += (children[node][1], children[node][0])
    return order


def _logistic(x: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # exp(-x) is beyond the largest float for x below -709.78: P is 0, as scipy gives
        return 0.0
