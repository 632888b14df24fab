"""Rule packs are validated on load: every problem is reported with its file and line, never a traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cleanse.rules import RulePackError, default_rules_dir, load_rules

GOOD_RULE = """
schema: 1
pack: mine
rules:
  - id: promo.mine
    description: A house advert.
    criterion: NewsGuard - clearly labels advertising
    label: promo
    match: {regex: 'visit our shop'}
"""


def write(tmp_path, text, name="pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path, text):
    with pytest.raises(RulePackError) as caught:
        load_rules([write(tmp_path, text)])
    return caught.value.problems


def test_the_shipped_packs_are_found_and_valid():
    assert {p.name for p in default_rules_dir().iterdir()} >= {"boilerplate.yaml", "signals.yaml"}
    rules = load_rules()
    assert rules.boilerplate_rules and rules.signals


def test_a_user_pack_adds_rules(tmp_path):
    rules = load_rules([write(tmp_path, GOOD_RULE)])
    assert "promo.mine" in {r.id for r in rules.rules}


def test_malformed_yaml_names_file_and_line(tmp_path):
    (problem,) = problems_of(tmp_path, "schema: 1\npack: x\nrules:\n  - id: [unclosed\n")
    assert "pack.yaml:" in problem and "invalid YAML" in problem


def test_unknown_key_is_reported_with_its_line(tmp_path):
    (problem,) = problems_of(tmp_path, GOOD_RULE.replace("label: promo", "label: promo\n    colour: red"))
    assert "pack.yaml:9" in problem and "unknown key 'colour'" in problem


def test_wrong_type_is_reported(tmp_path):
    (problem,) = problems_of(
        tmp_path, GOOD_RULE.replace("criterion: NewsGuard - clearly labels advertising", "criterion: 3")
    )
    assert "'criterion' must be str" in problem


def test_unknown_label_is_reported(tmp_path):
    (problem,) = problems_of(tmp_path, GOOD_RULE.replace("label: promo", "label: spam"))
    assert "unknown label 'spam'" in problem


def test_a_rule_that_must_match_no_segment_is_refused(tmp_path):
    pack = GOOD_RULE.replace("label: promo", "label: promo\n    where: {min_matches: 0}")
    (problem,) = problems_of(tmp_path, pack)
    assert "'min_matches' must be 1 or more" in problem


def test_a_bad_title_condition_is_reported_with_the_rule(tmp_path):
    pack = GOOD_RULE.replace("label: promo", "label: promo\n    where: {unless_title: 'deals('}")
    (problem,) = problems_of(tmp_path, pack)
    assert "pack.yaml:" in problem and "bad regex" in problem


def test_look_around_is_refused_because_the_engine_is_linear_time(tmp_path):
    (problem,) = problems_of(tmp_path, GOOD_RULE.replace("visit our shop", "(?<=our )shop"))
    assert "promo.mine" in problem and "look-around" in problem


def test_a_bad_regex_is_reported_with_the_rule(tmp_path):
    (problem,) = problems_of(tmp_path, GOOD_RULE.replace("visit our shop", "visit (our shop"))
    assert "promo.mine" in problem and "bad regex" in problem


def test_duplicate_ids_in_one_pack_are_refused(tmp_path):
    twice = GOOD_RULE + GOOD_RULE.split("rules:\n", 1)[1]
    (problem,) = problems_of(tmp_path, twice)
    assert "duplicate rule id 'promo.mine'" in problem


def test_a_user_pack_overrides_a_shipped_rule_only_when_it_says_so(tmp_path):
    replacement = GOOD_RULE.replace("promo.mine", "promo.ad-marker")
    with pytest.raises(RulePackError, match="set 'override: true'"):
        load_rules([write(tmp_path, replacement)])
    overriding = replacement.replace("    label: promo", "    label: promo\n    override: true")
    rules = load_rules([write(tmp_path, overriding)])
    (rule,) = [r for r in rules.rules if r.id == "promo.ad-marker"]
    assert rule.matcher.search("visit our shop")


def test_a_user_pack_disables_rules(tmp_path):
    rules = load_rules([write(tmp_path, "schema: 1\npack: quiet\ndisable: [share.network-list]\n")])
    assert "share.network-list" not in {r.id for r in rules.rules}
    with pytest.raises(RulePackError, match="no rule with id 'nope'"):
        load_rules([write(tmp_path, "schema: 1\npack: quiet\ndisable: [nope]\n")])


def test_python_tags_are_not_executed(tmp_path):
    (problem,) = problems_of(tmp_path, "schema: 1\npack: !!python/object/apply:os.system ['echo pwned']\n")
    assert "invalid YAML" in problem


def test_a_signal_weight_must_agree_with_its_direction(tmp_path):
    pack = """
    schema: 1
    pack: weights
    signals:
      - name: odd
        description: odd
        why: odd
        criterion: odd
        normalise: count
        direction: positive
        score_weight: -1
    """
    (problem,) = problems_of(tmp_path, pack)
    assert "contradicts direction 'positive'" in problem


def test_an_installed_package_carries_its_own_rules():
    import cleanse

    package = Path(cleanse.__file__).resolve().parent
    if "site-packages" in package.parts:  # CI and users: a wheel install, not a source checkout
        assert default_rules_dir() == package / "_rules"
    else:
        assert default_rules_dir() == package.parent / "rules"
