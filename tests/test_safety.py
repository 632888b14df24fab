"""Hostile configuration: models load only through skops under an allow-list, rule packs only as plain YAML
(no Python tags), patterns only when the linear-time engine can run them; language identification is
deterministic."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleanse.cli import app
from cleanse.credibility import DEFAULT_MODEL
from cleanse.language import detect_language
from cleanse.modelio import UnsafeModelError, load_model, model_types
from cleanse.rules import RulePackError, load_rules

runner = CliRunner()


def crafted_model(folder: Path, module: str = "os", name: str = "system") -> Path:
    """The shipped model with its top type replaced by `module.name`, beside its description."""
    crafted = folder / "evil.skops"
    with zipfile.ZipFile(DEFAULT_MODEL) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "schema.json":
                schema = json.loads(data)
                schema["__module__"], schema["__class__"] = module, name
                data = json.dumps(schema).encode()
            target.writestr(item, data)
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), crafted.with_suffix(".json"))
    return crafted


def test_the_shipped_model_loads_under_the_allow_list():
    model = load_model(DEFAULT_MODEL)
    meta = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    if meta["kind"] == "boosted-v4":  # the style enters the trees as one score
        style_columns = 1 if meta["style"] else 0
    else:
        style_columns = meta["style_buckets"] if meta["params"]["style_factor"] else 0
    assert type(model).__name__ in ("LogisticRegression", "HistGradientBoostingClassifier")
    assert model.n_features_in_ == len(meta["features"]) + style_columns


def test_a_model_naming_any_other_type_is_refused_unexecuted(tmp_path):
    crafted = crafted_model(tmp_path)
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


@pytest.mark.parametrize("command", ["clean", "score"])
def test_a_crafted_model_given_on_the_command_line_is_refused_with_exit_1(tmp_path, command):
    model = crafted_model(tmp_path)
    result = runner.invoke(app, [command, "-", "--model", str(model)], input='{"id": "a", "text": "x"}\n')
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert "refusing to load a model with types outside the allow-list: os.system" in result.stderr
    assert result.stdout == ""


def test_a_model_file_that_is_a_pickle_or_lacks_its_description_is_refused_with_exit_1(tmp_path):
    import pickle

    (tmp_path / "model.skops").write_bytes(pickle.dumps({"a": 1}))
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), tmp_path / "model.json")
    pickled = runner.invoke(app, ["clean", "-", "--model", str(tmp_path / "model.skops")], input="")
    assert pickled.exit_code == 1 and "not a skops model file" in pickled.stderr
    kind = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())["kind"]
    (tmp_path / "model.json").write_text(json.dumps({"kind": kind}))
    shutil.copy(DEFAULT_MODEL, tmp_path / "model.skops")
    undescribed = runner.invoke(app, ["clean", "-", "--model", str(tmp_path / "model.skops")], input="")
    assert undescribed.exit_code == 1 and "cannot load the model: its description lacks" in undescribed.stderr


def problem_of(pack: Path, label: str = "promo", match: str = "{regex: 'x'}") -> str:
    """The one problem of a pack of one rule (its label on line 7, its match on line 8)."""
    pack.write_text(
        "schema: 1\npack: one\nrules:\n  - id: promo.x\n    description: d\n    criterion: c\n"
        f"    label: {label}\n    match: {match}\n"
    )
    with pytest.raises(RulePackError) as caught:
        load_rules([pack])
    (problem,) = caught.value.problems
    return problem


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
    ],
)
def test_python_tags_in_a_pack_are_refused_with_file_and_line_and_never_run(tmp_path, tag):
    marker, pack = tmp_path / "ran", tmp_path / "hostile.yaml"
    problem = problem_of(pack, label=tag.format(marker=marker))
    assert problem.startswith(f"{pack}:7: invalid YAML") and "constructor" in problem
    for command in (["rules", "check", str(pack)], ["clean", "-", "--rules", str(pack)]):
        result = runner.invoke(app, command, input="")
        assert result.exit_code == 1 and f"{pack}:7" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(?=shop)", "look-around and back-references are not supported"),
        ("(?<!our )shop", "look-around and back-references are not supported"),
        (r"(shop)\\1", "look-around and back-references are not supported"),
        ("\\ud83d", "not valid Unicode"),
    ],
)
def test_a_pattern_the_linear_time_engine_cannot_run_is_refused_with_a_clear_message(tmp_path, pattern, message):
    pack = tmp_path / "mine.yaml"
    problem = problem_of(pack, match=f'{{regex: "{pattern}"}}')
    assert problem.startswith(f"{pack}:") and "promo.x" in problem and message in problem
