"""Models load only through skops under an allow-list; language identification is deterministic."""

from __future__ import annotations

import json
import zipfile

import pytest

from cleanse.credibility import DEFAULT_MODEL
from cleanse.language import detect_language
from cleanse.modelio import UnsafeModelError, load_model, model_types


def test_the_shipped_model_loads_under_the_allow_list():
    model = load_model(DEFAULT_MODEL)
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    assert type(model).__name__ == "LogisticRegression"
    expected = len(meta["features"]) + (meta["style_buckets"] if meta["style_factor"] else 0)
    assert model.coef_.shape == (1, expected)


def test_a_model_naming_any_other_type_is_refused_unexecuted(tmp_path):
    crafted = tmp_path / "evil.skops"
    with zipfile.ZipFile(DEFAULT_MODEL) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "schema.json":
                schema = json.loads(data)
                schema["__module__"], schema["__class__"] = "os", "system"
                data = json.dumps(schema).encode()
            target.writestr(item, data)
    assert "os.system" in model_types(crafted)
    with pytest.raises(UnsafeModelError, match="os.system"):
        load_model(crafted)


def test_a_pickle_is_not_a_model(tmp_path):
    import pickle

    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(UnsafeModelError, match="not a skops model file"):
        load_model(path)


def test_language_is_deterministic_and_und_without_letters():
    text = "Der Rat hat am Dienstag beschlossen, den alten Hafen neu zu bauen."
    assert detect_language(text) == detect_language(text)
    assert detect_language(text)[0] == "de"
    assert detect_language("12345 !!! ---") == ("und", 0.0)
    assert detect_language("") == ("und", 0.0)
