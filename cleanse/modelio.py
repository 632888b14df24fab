"""Save and load models in a format that cannot run code on load: skops, with an explicit allow-list.

Every type named anywhere in a model file must be on `ALLOWED_TYPES`, or the file is refused before skops
reads it. Pickle and joblib are never used for anything a user might be handed. A tree model's trees are also
saved beside it as plain numpy arrays (`model.forest.npz`, read without pickle), which is all that scoring
needs: loading scikit-learn and skops costs a process seconds and about 180 MB.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleanse.forest import Forest

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
    """Save with skops and check that the file loads under the allow-list, so nothing unloadable ships; save
    the trees of a tree model beside it as well (`save_forest`)."""
    import skops.io as sio

    sio.dump(model, path)
    load_model(path)
    save_forest(model, path)


def forest_path(path: Path | str) -> Path:
    """Where the trees of the model file at `path` are saved: `model.skops` -> `model.forest.npz`."""
    return Path(path).with_suffix(".forest.npz")


def save_forest(model: Any, path: Path | str) -> None:
    """Save the trees of `model`, saved at `path`, as numpy arrays beside it, so that scoring needs neither
    scikit-learn nor skops: only when `cleanse.forest` walks them exactly as scikit-learn does (checked as the
    forest is built). A model without such trees leaves no forest file, and a stale one is removed."""
    from cleanse.forest import Forest

    forest, target = Forest.of(model), forest_path(path)
    if forest is None:
        target.unlink(missing_ok=True)
    else:
        forest.save(target, file_digest(path))


def load_forest(path: Path | str) -> Forest | None:
    """The trees saved beside the model file at `path` (a `cleanse.forest.Forest`), or None when there are none,
    they cannot be read, or they were saved for another model file than the one at `path` now (its digest is
    kept in the forest file): the caller then loads the model itself. The model file is checked against the
    allow-list all the same (`check_model`), so an unsafe one is refused whether or not trees lie beside it."""
    check_model(path)
    target = forest_path(path)
    if not target.exists():
        return None
    from cleanse.forest import Forest

    try:
        forest, source = Forest.read(target)
    except (OSError, KeyError, ValueError, TypeError):
        return None
    return forest if source == file_digest(path) else None


def load_trees(path: Path | str) -> tuple[Forest | None, Any]:
    """The trees of the model file at `path` for `cleanse.forest` to walk, and the scikit-learn model when they
    had to be built from it: from the forest file beside it when there is a good one (the model is then None:
    scikit-learn is not loaded), else from the model itself (the trees None when they cannot be walked)."""
    forest = load_forest(path)
    if forest is not None:
        return forest, None
    from cleanse.forest import Forest

    model = load_model(path)  # refuses a file outside the allow-list
    return Forest.of(model), model


def file_digest(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
