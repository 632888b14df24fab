"""The rule engine beyond loading: linear-time matching, language scoping, `cleanse rules check|list`, and the
signal reference in the docs generated from the packs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleanse import Cleaner
from cleanse.catalogue import catalogue
from cleanse.cli import app
from cleanse.rules import RulePackError, load_rules

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss bis zum Herbst zu sanieren. "
    "Nach Angaben der Verwaltung kostet das Vorhaben rund zwei Millionen Euro. Warum dauert das so lange? "
    "Die Arbeiten sollen im Mai beginnen, sagte der Bürgermeister. Die Anwohner müssen mit Umleitungen "
    "rechnen, die Busse fahren während der Bauzeit über die Nordstraße."
)


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_catastrophic_backtracking_pattern_runs_in_linear_time_on_a_megabyte(tmp_path):
    pack = write(
        tmp_path,
        """
        schema: 1
        pack: hostile
        rules:
          - id: promo.evil
            description: The textbook exponential pattern for backtracking engines.
            criterion: none
            label: promo
            match: {regex: '(a+)+$'}
        """,
    )
    script = (
        "import sys; from cleanse import Cleaner; "
        f"c = Cleaner([{str(pack)!r}], model=None, segment_models={{}}); "
        "out = c({'id': 'x', 'text': 'Title\\n\\n' + 'a' * 1_000_000 + 'b'}); "
        "print(out['status'])"
    )
    # A backtracking engine needs longer than the age of the universe here; the limit only guards the test run.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("ok", "filtered")


def test_english_rules_do_not_run_on_a_german_document_and_the_record_says_so(cleaner):
    out = cleaner({"id": "de", "text": GERMAN})
    assert out["language"] == "de"
    assert "attribution" in out["signals_not_applicable"] and "attribution" not in out["signals"]
    assert "hedging" in out["signals_not_applicable"]  # "Mai" must not be counted as the English hedge "may"
    # punctuation and metadata signals are language-neutral and still measured
    assert out["signals"]["rhetorical_questions"]["count"] == 1
    assert "byline" in out["signals"] and "promo_blocks" in out["signals"]


def test_an_english_document_has_every_signal_applicable(cleaner):
    out = cleaner({"id": "en", "text": "The council said on Tuesday it would repair the bridge by autumn. " * 5})
    assert out["language"] == "en" and out["signals_not_applicable"] == []


def test_a_user_pack_can_add_rules_for_another_language(tmp_path):
    pack = write(
        tmp_path,
        """
        schema: 1
        pack: deutsch
        languages: [de]
        rules:
          - id: attribution.de
            description: German speech verbs.
            criterion: NewsGuard - gathers and presents information responsibly
            signal: attribution
            match: {phrases: [sagte, sagten, nach Angaben]}
        """,
    )
    out = Cleaner([pack])({"id": "de", "text": GERMAN})
    assert "attribution" not in out["signals_not_applicable"]
    assert [e["snippet"] for e in out["signals"]["attribution"]["evidence"]] == ["Nach Angaben", "sagte"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("label: promo\n    languages: [de]", "boilerplate rules run before the language is known"),
        ("signal: attribution\n    languages: [German]", "lower-case ISO 639 codes"),
    ],
)
def test_language_scopes_are_validated(tmp_path, change, message):
    pack = f"""
schema: 1
pack: scoped
rules:
  - id: scoped.rule
    description: A scoped rule.
    criterion: none
    {change}
    match: {{phrases: [sagte]}}
"""
    with pytest.raises(RulePackError) as caught:
        load_rules([write(tmp_path, pack)])
    assert "pack.yaml:" in caught.value.problems[0] and message in caught.value.problems[0]


def test_rules_check_passes_on_good_packs_and_lists_every_problem_of_bad_ones(tmp_path):
    good = runner.invoke(app, ["rules", "check"])
    assert good.exit_code == 0 and good.stdout.startswith("ok: 2 pack(s)")
    write(tmp_path, "schema: 1\npack: bad\nrules:\n  - id: x\n    colour: red\n", "one.yaml")
    write(tmp_path, "schema: 1\npack: worse\nrules:\n  - id: [unclosed\n", "two.yaml")
    bad = runner.invoke(app, ["rules", "check", str(tmp_path)])
    assert bad.exit_code == 1
    assert "one.yaml:5" in bad.stderr and "unknown key 'colour'" in bad.stderr
    assert "two.yaml:" in bad.stderr and "invalid YAML" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_rules_check_refuses_a_signal_with_an_unknown_extractor(tmp_path):
    write(
        tmp_path,
        """
        schema: 1
        pack: odd
        signals:
          - {name: odd, description: d, why: w, criterion: c, normalise: count, direction: neutral, extractor: magic}
        """,
    )
    result = runner.invoke(app, ["rules", "check", str(tmp_path)])
    assert result.exit_code == 1 and "unknown extractor 'magic'" in result.stderr


def test_the_catalogue_has_at_least_25_signals_each_fully_described():
    signals = catalogue(load_rules())["signals"]
    assert len(signals) >= 25
    frameworks = {s["framework"] for s in signals}
    assert frameworks == {"NewsGuard", "Zhang et al. 2018"}
    for s in signals:
        assert s["measures"] and s["why"] and s["criterion"] and s["normalise"], s["name"]
        assert s["measured_by"], f"{s['name']} is measured by nothing"


def test_rules_list_reproduces_the_signal_reference_in_the_docs():
    result = runner.invoke(app, ["rules", "list", "--format", "markdown"])
    assert result.exit_code == 0
    committed = (ROOT / "docs" / "signals.md").read_text(encoding="utf-8")
    assert result.stdout == committed, "regenerate: cleanse rules list --format markdown -o docs/signals.md"


def test_rules_list_prints_a_table_and_json():
    table = runner.invoke(app, ["rules", "list"])
    assert table.exit_code == 0 and "attributed_quotes" in table.stdout and "promo.call-to-action" in table.stdout
    as_json = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert '"boilerplate_rules"' in as_json.stdout


def test_the_example_pack_in_the_docs_is_valid(tmp_path):
    example = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    rules = load_rules([write(tmp_path, example)])
    assert {"promo.house-shop", "attribution.de"} <= {r.id for r in rules.rules}
    assert "share.follow-us" not in {r.id for r in rules.rules}


def _pattern_set(*patterns: str):
    from cleanse.rules import PatternSet, _compile

    problems: list[str] = []
    matchers = [_compile({"regex": pattern}, False, "test", problems) for pattern in patterns]
    assert not problems
    return PatternSet(matchers)


LINES = ["The council met on Tuesday.", "Advertisement", "It voted to rebuild the harbour."]


@pytest.mark.parametrize("pattern", [r"^advertisement$", r"\badvert", r"^\W*(?:advertisement\W*)+$", r"rebuild"])
def test_a_pattern_found_in_one_text_is_found_in_one_pass_over_them_all(pattern):
    patterns = _pattern_set(pattern)
    assert any(patterns.matching(line) for line in LINES)
    assert patterns.may_occur_in(LINES)


def test_one_pass_over_texts_without_any_pattern_rules_them_all_out():
    patterns = _pattern_set(r"^advertisement$", r"\bsponsored\b")
    assert not patterns.may_occur_in(["The council met on Tuesday.", "It voted to rebuild the harbour."])
    assert not patterns.may_occur_in(["An advertisement agency was hired."])  # ^...$ hold for the whole line


@pytest.mark.parametrize("pattern", [r"\Aadvertisement", r"advertisement\z", r"(?-m:^advertisement)"])
def test_a_pattern_that_can_see_where_the_whole_text_starts_or_ends_is_never_ruled_out(pattern):
    patterns = _pattern_set(pattern)
    assert patterns.may_occur_in(["Nothing to see.", "Nor here."])  # one pass over the joined texts cannot tell


def test_texts_with_line_breaks_of_their_own_are_never_ruled_out():
    assert _pattern_set(r"^advertisement$").may_occur_in(["Nothing\nto see."])
