"""Save and load models in a format that cannot run code on load: skops, with an explicit allow-list.

Every type named anywhere in a model file must be on `ALLOWED_TYPES`, or the file is refused before skops
reads it. Pickle and joblib are never used for anything a user might be handed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

ALLOWED_TYPES = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.NoneType",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "numpy.bool_",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.linear_model._logistic.LogisticRegression",
        "numpy.uint64",
        "numpy.random._generator.Generator",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss.link.Interval",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.preprocessing._label.LabelEncoder",
    }
)


class UnsafeModelError(ValueError):
    """A model file that names types outside the allow-list, or is not a skops file at all."""


def model_types(path: Path | str) -> set[str]:
    """Every 'module.Class' named in a skops file's schema."""
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise UnsafeModelError(f"{path}: not a skops model file ({error})") from error
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def check_model(path: Path | str) -> set[str]:
    """The types a model file names, once every one is on the allow-list; refuses the file otherwise. Reads
    only its schema, so it needs neither skops nor scikit-learn."""
    types = model_types(path)
    refused = sorted(types - ALLOWED_TYPES)
    if refused:
        raise UnsafeModelError(
            f"{path}: refusing to load a model with types outside the allow-list: {', '.join(refused)}"
        )
    return types


def load_model(path: Path | str) -> Any:
    """Load a skops model whose every type is on the allow-list; refuse anything else, unexecuted."""
    types = check_model(path)
    import skops.io as sio

    return sio.load(path, trusted=sorted(types))


def save_model(model: Any, path: Path | str) -> None:
    """Save with skops and check that the file loads under the allow-list, so nothing unloadable ships."""
    import skops.io as sio

    sio.dump(model, path)
    load_model(path)
