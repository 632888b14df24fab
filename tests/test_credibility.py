"""The credibility model and the source audit: training on your own labels, two additive model families compared
out of fold, calibrated scores that split exactly into reasons, topic-masked style, known public ratings as
context, honest intervals."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from cleanse import Cleaner
from cleanse.cli import app
from cleanse.ratings import known_ratings, rated_domain
from cleanse.sources import aggregate
from cleanse.style import STYLE_BUCKETS, masked_tokens, style_buckets, style_vector

runner = CliRunner()

SOUND = (
    "The city council voted 7-2 on Tuesday to rebuild the harbour, according to the minutes. "
    "“We expect the work to take two years,” said Maria Lopez, the harbour master. A 2023 report by the "
    "port authority found that traffic had doubled, Reuters reported. Officials said costs may rise."
)
SLOPPY = (
    "You won't believe what they did NOW!!! The deep state is lying to you again, folks. Wake up! "
    "Everybody knows the truth and they always hide it. Share this before it gets deleted!!!"
)


def labelled(tmp_path, groups: int = 10, per_group: int = 4):
    path = tmp_path / "labelled.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for g in range(groups):
            sound = g % 2 == 0
            for i in range(per_group):
                text = (SOUND if sound else SLOPPY) + f" Item {g}-{i}."
                record = {"id": f"{g}-{i}", "text": text, "site": f"site{g}.example", "rating": 0.9 if sound else 0.1}
                handle.write(json.dumps(record) + "\n")
    return path


def test_style_masks_topic_words_and_keeps_function_words_and_punctuation():
    assert masked_tokens("The senator said: “Taxes rise!”") == ["the^", "<word>", "said", ":", "“", "<Word>",
                                                                "<word>", "!", "”"]  # fmt: skip
    assert masked_tokens("The virus spread") == masked_tokens("The election ended")  # topic words are gone


@pytest.mark.parametrize(
    "text", [SOUND, SLOPPY, "two  spaces,  é  and\t tabs ’quoted’ \n \n 3,000. \n x", "a\n\n\nb", " leading", "  "]
)
def test_the_tokens_are_those_of_their_definition(text):
    import re

    from cleanse.style import TOKEN_DEFINITION, _tokens

    assert _tokens(text) == re.findall(TOKEN_DEFINITION, text)


def _style_vector_in_python_integers(text: str) -> dict[int, float]:
    """The style vector's definition, in exact integer arithmetic, to hold the vectorised one to."""
    import math
    import zlib
    from collections import Counter

    ids = [zlib.crc32(t.encode("utf-8")) for t in masked_tokens(text)]
    grams = ids + [a * 1_000_003 + b for a, b in zip(ids, ids[1:], strict=False)]
    grams += [(a * 1_000_003 + b) * 1_000_003 + c for a, b, c in zip(ids, ids[1:], ids[2:], strict=False)]
    counts = Counter(g % STYLE_BUCKETS for g in grams)
    norm = math.sqrt(len(grams)) or 1.0
    return {bucket: math.sqrt(count) / norm for bucket, count in sorted(counts.items())}


@pytest.mark.parametrize("text", [SOUND, "", "One", "Two words", "A “quoted” line!\n\nAnd 3,000 more."])
def test_the_style_vector_is_its_definition_exactly(text):
    assert style_vector(text) == _style_vector_in_python_integers(text)


def test_style_vectors_are_unit_length_and_the_same_on_every_run():
    vector = style_vector(SOUND)
    assert math.isclose(sum(v * v for v in vector.values()), 1.0)
    assert vector == style_vector(SOUND)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("model")
    data, out = labelled(tmp_path), tmp_path / "mine"
    result = runner.invoke(
        app, ["train", str(data), "--label-field", "rating", "--group-field", "site", "--name", "mine", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_train_writes_a_safe_model_its_parameters_and_a_model_card(trained):
    assert trained.with_suffix(".skops").exists()
    meta = json.loads(trained.with_suffix(".json").read_text(encoding="utf-8"))
    card = trained.with_suffix(".md").read_text(encoding="utf-8")
    assert meta["name"] == "mine" and meta["metrics"]["groups"] == 10
    assert "GroupKFold on the source" in card and "cleanse train" in card
    assert meta["metrics"]["article_auc"] > 0.9  # the two kinds of text are easy to tell apart, out of fold


def test_a_trained_model_scores_and_its_reasons_add_up_to_the_score(trained):
    cleaner = Cleaner(model=trained.with_suffix(".skops"))
    sound, sloppy = cleaner({"id": "a", "text": SOUND}), cleaner({"id": "b", "text": SLOPPY})
    assert sound["credibility"]["model"] == "mine"
    assert sound["credibility"]["score"] > 0.5 > sloppy["credibility"]["score"]
    for reason in sloppy["credibility"]["reasons"]:
        assert reason["explanation"]


def test_the_shipped_model_splits_exactly_into_its_contributions(cleaner, monkeypatch):
    from cleanse import credibility

    monkeypatch.setattr(credibility, "TOP_REASONS", 10_000)
    monkeypatch.setattr(credibility, "NEGLIGIBLE", 0.0)
    result = cleaner.process({"id": "a", "text": SOUND + " " + SLOPPY})
    scored = cleaner.scorer.score(result.signals, result.text, result.language)
    logit = math.log(scored.score / (1 - scored.score))
    assert logit == pytest.approx(cleaner.scorer.intercept + sum(r.contribution for r in scored.reasons))
    assert "writing_style" in {r.signal for r in scored.reasons}


@pytest.fixture(scope="module")
def boosted(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("boosted")
    data, out = labelled(tmp_path), tmp_path / "trees"
    options = ["--label-field", "rating", "--group-field", "site", "--name", "trees", "--family", "boosted"]
    result = runner.invoke(app, ["train", str(data), *options, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.with_suffix(".skops")


def test_train_compares_both_families_out_of_fold_and_the_card_shows_the_search(trained):
    meta = json.loads(trained.with_suffix(".json").read_text(encoding="utf-8"))
    assert {c["family"] for c in meta["search"]} == {"linear-v2", "boosted-v4"}
    assert meta["kind"] == min(meta["search"], key=lambda c: c["oof_log_loss"])["family"]
    assert "out-of-fold log loss" in trained.with_suffix(".md").read_text(encoding="utf-8")


def test_a_model_hashed_into_another_number_of_style_buckets_is_refused_with_what_to_do(trained, tmp_path):
    import shutil

    from cleanse.credibility import model_parameters

    copy = tmp_path / "old.skops"
    shutil.copy(trained.with_suffix(".skops"), copy)
    meta = json.loads(trained.with_suffix(".json").read_text(encoding="utf-8"))
    copy.with_suffix(".json").write_text(json.dumps({**meta, "style_buckets": STYLE_BUCKETS // 4}), encoding="utf-8")
    with pytest.raises(ValueError, match="style buckets.*retrain"):
        model_parameters(Cleaner(model=None).ruleset, copy)


def test_an_unknown_family_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["train", str(labelled(tmp_path)), "--group-field", "site", "--family", "deep"])
    assert result.exit_code == 2


def test_boosted_trees_are_walked_in_numpy_exactly_as_scikit_learn_scores_them(boosted):
    import numpy as np

    from cleanse.forest import Forest
    from cleanse.modelio import load_model

    model = load_model(boosted)
    forest = Forest.of(model)
    assert forest is not None
    rows = np.random.default_rng(1).gamma(1.0, 1.0, size=(50, model.n_features_in_))
    assert forest.raw(rows).tolist() == model.decision_function(rows).tolist()  # to the last bit


def test_a_boosted_models_curves_give_each_features_trees_sum_to_the_last_bit(boosted):
    import numpy as np

    model = Cleaner(model=boosted).scorer.model
    forest, features = model.forest, len(model.reference)
    rows = np.random.default_rng(2).gamma(1.0, 1.0, size=(40, features))
    on_thresholds = [t for t in model.curves.thresholds if t]
    assert on_thresholds, "the trees split somewhere"
    for row in rows[:10]:  # values on a threshold, which go left there
        row[:] = [t[len(t) // 2] if t else x for t, x in zip(model.curves.thresholds, row.tolist(), strict=True)]
    rows[10, 0] = np.nan
    for row in rows:
        sums = np.bincount(forest.root_features, weights=forest.leaf_values(row[None, :])[0], minlength=features)
        assert [model.curves(g, x) for g, x in enumerate(row.tolist())] == sums.tolist()


def _with_every_reason(scorer, result, monkeypatch):
    from cleanse import credibility

    monkeypatch.setattr(credibility, "TOP_REASONS", 10_000)
    monkeypatch.setattr(credibility, "NEGLIGIBLE", 0.0)
    return scorer.score(result.signals, result.text, result.language)


def test_a_boosted_models_reasons_add_up_to_its_score_whichever_way_its_trees_are_walked(boosted, monkeypatch):
    from cleanse import credibility
    from cleanse.forest import Forest

    cleaner = Cleaner(model=boosted)
    result = cleaner.process({"id": "a", "text": SOUND + " " + SLOPPY})
    walked = _with_every_reason(cleaner.scorer, result, monkeypatch)
    logit = math.log(walked.score / (1 - walked.score))
    assert logit == pytest.approx(cleaner.scorer.intercept + sum(r.contribution for r in walked.reasons))
    monkeypatch.setattr(Forest, "of", classmethod(lambda cls, model: None))
    by_scikit_learn = _with_every_reason(credibility.CredibilityScorer(cleaner.ruleset, boosted), result, monkeypatch)
    assert by_scikit_learn.score == pytest.approx(walked.score)
    assert [(r.signal, pytest.approx(r.contribution)) for r in by_scikit_learn.reasons] == [
        (r.signal, r.contribution) for r in walked.reasons
    ]


def test_a_boosted_signal_never_moves_the_score_against_its_declared_direction(boosted):
    from cleanse.rules import DIRECTIONS

    scorer = Cleaner(model=boosted).scorer
    for column, term in enumerate(scorer.signals):
        effects = []
        for value in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0):
            features = [None] * len(scorer.signals)
            features[column] = value
            effects.append(scorer.model.contributions(features, None)[0][column] * DIRECTIONS[term.signal.direction])
        assert effects == sorted(effects), term.signal.name


def _documents(groups: int, per_group: int = 6):
    import numpy as np

    from cleanse.train import Documents

    rng = np.random.default_rng(0)
    rows = groups * per_group
    labels = np.repeat(np.arange(groups) % 2, per_group).astype(float)
    style = rng.normal(0.0, 1.0, size=(rows, 8)) + labels[:, None] * 0.5
    group_names = np.array([f"site{g}" for g in range(groups) for _ in range(per_group)], dtype=object)
    return Documents([str(i) for i in range(rows)], np.zeros((rows, 1)), style, labels, group_names, ["x"])


def test_the_trees_learn_from_style_scores_of_regressions_that_never_saw_the_documents_source():
    import numpy as np

    from cleanse.additive import STYLE_FOLDS, _style_weights, fit_style_score

    docs = _documents(groups=STYLE_FOLDS)  # one source per fold: each is scored by the regression of the others
    means, weights, held_out = fit_style_score(docs, 1.0)
    for site in ("site0", "site3"):
        own = docs.groups == site
        others = docs.subset(np.flatnonzero(~own))
        expected = (docs.style[own] - means) @ _style_weights(others, means, 1.0)
        assert np.allclose(held_out[own], expected)
    assert not np.allclose(held_out, (docs.style - means) @ weights)  # not the final regression's own scores


def test_a_boosted_models_style_is_one_score_and_a_higher_score_never_lowers_the_credibility():
    import numpy as np

    from cleanse.additive import fit_boosted

    docs = _documents(groups=10)  # the signal is blank: only the style tells the labels apart
    params = {"max_iter": 30, "learning_rate": 0.1, "max_leaf_nodes": 7, "style": True, "style_C": 1.0}
    model = fit_boosted(docs, params, {"x": 1})
    assert model.classifier.n_features_in_ == 2  # the signal and the one style score
    steps = np.linspace(-3, 3, 25)
    probes = docs.subset(np.zeros(len(steps), dtype=int))
    probes.style = model.style_means + steps[:, None] * model.style_weights / np.linalg.norm(model.style_weights)
    logits = model.logits(probes)
    assert np.all(np.diff(logits) >= 0) and logits[-1] > logits[0]


def test_a_style_score_needs_two_sources():
    from cleanse.additive import fit_style_score

    with pytest.raises(ValueError, match="two sources"):
        fit_style_score(_documents(groups=1), 1.0)


def test_train_refuses_records_without_a_usable_label_and_names_them(tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "x", "text": "Some text.", "site": "a", "rating": 7}\n', encoding="utf-8")
    result = runner.invoke(app, ["train", str(data), "--label-field", "rating", "--group-field", "site"])
    assert result.exit_code == 1 and "record x" in result.stderr and "[0, 1]" in result.stderr


def test_string_labels_count_as_positive_only_when_named(tmp_path):
    data = tmp_path / "strings.jsonl"
    data.write_text('{"id": "x", "text": "Some text.", "site": "a", "verdict": "true"}\n', encoding="utf-8")
    result = runner.invoke(app, ["train", str(data), "--label-field", "verdict", "--group-field", "site"])
    assert result.exit_code == 1 and "--positive" in result.stderr


def test_a_known_public_rating_is_shown_beside_the_content_score_and_disagreement_flagged(cleaner):
    records = [
        cleaner({"id": "1", "url": "https://www.reuters.com/world/x", "text": SLOPPY}),
        cleaner({"id": "2", "url": "https://news.example-unknown-site.org/y", "text": SOUND}),
    ]
    reports = {r.source: r for r in aggregate(records, cleaner.ruleset.signals, "host")}
    reuters = reports["reuters.com"]
    assert reuters.known_rating == known_ratings()["reuters.com"] and reuters.disagrees_with_rating
    assert reports["news.example-unknown-site.org"].known_rating is None
    assert rated_domain("news.bbc.co.uk", known_ratings()) == "bbc.co.uk"  # the closest rated parent domain


def test_the_interval_is_honest_about_few_documents(cleaner):
    one = [cleaner({"id": "0", "source": "s", "text": SOUND})]
    many = [cleaner({"id": str(i), "source": "s", "text": SOUND}) for i in range(30)]
    (single,), (thirty,) = aggregate(one, cleaner.ruleset.signals), aggregate(many, cleaner.ruleset.signals)
    assert single.score == pytest.approx(thirty.score)
    assert (single.high - single.low) > 2 * (thirty.high - thirty.low)


def test_a_source_report_names_the_signals_that_set_it_apart_signed(cleaner):
    records = [cleaner({"id": f"s{i}", "source": "sound", "text": SOUND}) for i in range(3)]
    records += [cleaner({"id": f"l{i}", "source": "loud", "text": SLOPPY}) for i in range(3)]
    reports = {r.source: r for r in aggregate(records, cleaner.ruleset.signals)}
    loud = {d["signal"]: d for d in reports["loud"].distinctive}
    assert loud and all(d["z"] > 0 for d in loud.values() if d["signal"] in ("exclamation", "conspiratorial"))
    assert any("above the corpus median" in d["explanation"] for d in loud.values())


def test_the_style_score_is_the_centred_dot_product_summed_in_bucket_order():
    import numpy as np

    from cleanse.credibility import _StyleScore

    weights = [0.1 * (i % 7) - 0.3 for i in range(64)]
    buckets, values = np.array([2, 5, 17, 63]), np.array([0.75, 0.25, 0.5, 0.125])
    score = _StyleScore.of(weights, [0.01] * 64)
    products = [weights[b] * v for b, v in zip(buckets.tolist(), values.tolist(), strict=True)]
    expected = sum(products) - sum(w * 0.01 for w in weights)
    assert score((buckets, values)) == expected
    assert score((np.array([], dtype=int), np.array([]))) == -score.center


def test_the_style_buckets_are_the_definitions_buckets_in_ascending_order_with_their_values():
    buckets, values = style_buckets(SOUND)
    definition = _style_vector_in_python_integers(SOUND)  # its buckets sorted
    assert buckets.tolist() == list(definition) and values.tolist() == list(definition.values())
