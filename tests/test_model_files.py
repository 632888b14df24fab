"""Model files: a tree model's trees are saved beside it as numpy arrays, and scoring reads those alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import SEEDS
from test_safety import crafted_model

from cleanse.credibility import DEFAULT_MODEL
from cleanse.modelio import UnsafeModelError, file_digest, forest_path, load_forest, load_model, save_model
from cleanse.segment_features import FEATURES
from cleanse.segment_model import MODELS, SegmentClassifier

PROBE = """
import json, sys
from cleanse import Cleaner
cleaner = Cleaner()
page = "<html><body><article>" + "<p>The council said on Tuesday it would repair the old bridge.</p>" * 5
records = [cleaner({"id": "t", "text": "Menu\\nHome\\n\\n" + "The council said it would repair the bridge. " * 9}),
           cleaner({"id": "h", "html": page + "</article></body></html>"})]
print(json.dumps({"statuses": [r["status"] for r in records], "scored": [r["credibility"] is not None for r in records],
                  "heavy": sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "skops", "scipy"})}))
"""


def test_cleaning_with_the_shipped_models_loads_neither_scikit_learn_nor_skops():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {"statuses": ["ok", "ok"], "scored": [True, True], "heavy": []}


@pytest.mark.parametrize("name", ["credibility", "segments-text", "segments-html"])
def test_every_shipped_tree_model_has_its_trees_beside_it_saved_from_that_very_file(name):
    path = MODELS / f"{name}.skops"
    forest = load_forest(path)
    assert forest is not None, f"run save_forest for {path}, or retrain it"
    rows = np.random.default_rng(2).gamma(1.0, 1.0, size=(40, load_model(path).n_features_in_))
    assert forest.raw(rows).tolist() == load_model(path).decision_function(rows).tolist()


def _small_models():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    x = np.random.default_rng(0).normal(size=(200, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    return HistGradientBoostingClassifier(max_iter=10).fit(x, y), LogisticRegression().fit(x, y), x


def test_saving_a_tree_model_saves_its_trees_and_saving_another_model_there_removes_them(tmp_path):
    trees, linear, x = _small_models()
    path = tmp_path / "model.skops"
    save_model(trees, path)
    forest = load_forest(path)
    assert forest is not None and forest.raw(x).tolist() == trees.decision_function(x).tolist()
    assert forest.probabilities(x).tolist() == trees.predict_proba(x)[:, 1].tolist()
    save_model(linear, path)
    assert not forest_path(path).exists() and load_forest(path) is None


def test_trees_saved_for_another_model_file_are_not_used(tmp_path):
    for suffix in (".skops", ".json"):
        shutil.copy((MODELS / "segments-text").with_suffix(suffix), (tmp_path / "segments-text").with_suffix(suffix))
    shutil.copy(forest_path(MODELS / "segments-html.skops"), forest_path(tmp_path / "segments-text.skops"))
    assert load_forest(tmp_path / "segments-text.skops") is None
    classifier = SegmentClassifier.load("text", tmp_path)  # the trees come from the model file itself instead
    assert classifier.forest is not None and classifier.model is not None
    shipped = SegmentClassifier.load("text")
    rows = np.random.default_rng(3).gamma(1.0, 1.0, size=(30, len(FEATURES)))
    assert classifier.forest.raw(rows).tolist() == shipped.forest.raw(rows).tolist()


def test_an_unsafe_model_file_is_refused_even_with_trees_beside_it(tmp_path):
    crafted = crafted_model(tmp_path)
    forest = load_forest(DEFAULT_MODEL)
    forest.save(forest_path(crafted), file_digest(crafted))
    with pytest.raises(UnsafeModelError, match="os.system"):
        load_forest(crafted)


def test_a_forest_file_holding_python_objects_is_not_read(tmp_path):
    shutil.copy(DEFAULT_MODEL, tmp_path / "model.skops")
    arrays = {name: np.array([{"run": "code"}], dtype=object) for name in ("feature", "threshold", "children")}
    np.savez(forest_path(tmp_path / "model.skops"), **arrays, source=np.str_(file_digest(tmp_path / "model.skops")))
    assert load_forest(tmp_path / "model.skops") is None  # numpy refuses to unpickle; the model file is used


def test_the_credibility_scores_are_the_same_from_the_saved_trees_as_from_scikit_learns_model(cleaner, monkeypatch):
    from cleanse.credibility import CredibilityScorer

    saved = CredibilityScorer(cleaner.ruleset)
    monkeypatch.setattr("cleanse.modelio.load_forest", lambda path: None)
    rebuilt = CredibilityScorer(cleaner.ruleset)
    assert saved.model.classifier is None and rebuilt.model.classifier is not None
    for path in sorted(SEEDS.glob("*.txt")):
        result = cleaner.process({"id": path.name, "text": path.read_text(encoding="utf-8")})
        assert saved.score(result.signals, result.text) == rebuilt.score(result.signals, result.text)


def _deep_trees(max_leaf_nodes: int):
    """Trees as deep and leafy as the segment model's, on values that repeat (so rows fall on thresholds)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.random.default_rng(4).integers(0, 12, size=(3000, 6)).astype(float)
    y = ((x[:, 0] * x[:, 1]) % 7 + np.random.default_rng(5).normal(0, 2, size=3000) > 3).astype(int)
    model = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=max_leaf_nodes, min_samples_leaf=5)
    return model.fit(x, y), x


def test_trees_of_up_to_64_leaves_give_scikit_learns_scores_to_the_last_bit_also_on_their_thresholds():
    from cleanse.forest import MAX_LEAVES, Forest

    model, x = _deep_trees(MAX_LEAVES)
    forest = Forest.of(model)
    assert forest is not None and np.add.reduceat(forest.is_leaf, forest.roots).max() == MAX_LEAVES
    thresholds = np.unique(forest.threshold[~forest.is_leaf])
    on_thresholds = np.resize(thresholds, (len(thresholds) // 6 + 1) * 6).reshape(-1, 6)
    extremes = np.array([[np.inf] * 6, [-np.inf] * 6, [0.0, -0.0, np.inf, -np.inf, 1e300, -1e300]])
    for rows in (x, on_thresholds, extremes):
        assert forest.raw(rows).tolist() == model.decision_function(rows).tolist()


def test_trees_of_more_than_64_leaves_are_left_to_scikit_learn():
    from cleanse.forest import Forest

    model, _ = _deep_trees(100)
    assert Forest.of(model) is None
