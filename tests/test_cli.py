"""The command line, through typer's runner: JSONL out of `clean`, a ranked table out of `score`."""

from __future__ import annotations

import json

from conftest import SEEDS
from typer.testing import CliRunner

from cleanse.cli import app

runner = CliRunner()


def test_clean_writes_one_record_per_seed():
    result = runner.invoke(app, ["clean", str(SEEDS)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5 and {r["status"] for r in records} == {"ok"}


def test_clean_reads_jsonl_on_stdin_and_keeps_a_broken_line():
    stdin = '{"id": "a", "text": "The council said it would act."}\nnot json\n'
    result = runner.invoke(app, ["clean", "-"], input=stdin)
    assert result.exit_code == 0
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == ["ok", "error"]
    assert "2 records: 1 ok, 0 filtered, 1 error" in result.stderr


def test_rejected_records_are_written_apart(tmp_path):
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    result = runner.invoke(
        app, ["clean", str(SEEDS), "--min-words", "700", "-o", str(out), "--rejected", str(rejected)]
    )
    assert result.exit_code == 0
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    apart = [json.loads(line) for line in rejected.read_text().splitlines()]
    assert len(kept) + len(apart) == 5 and apart
    assert all(r["status"] == "filtered" and r["filter_reasons"] for r in apart)


def test_score_ranks_the_five_seed_sources():
    result = runner.invoke(app, ["score", str(SEEDS), "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert len(reports) == 5
    ranked = [r["source"] for r in reports]
    assert ranked[-1] == "unnamed site with a StopBitBurning.com banner"
    assert ranked[-2] == "Cryptopolitan"
    lowest = reports[-1]
    assert {r["signal"] for r in lowest["reasons"]} >= {"donation_blocks", "share_blocks"}
    assert all(r["interval"][0] < r["score"] < r["interval"][1] for r in reports)


def test_score_formats():
    for fmt, marker in [
        ("table", "rank  source"),
        ("markdown", "| rank | source |"),
        ("csv", "rank,source,docs"),
    ]:
        result = runner.invoke(app, ["score", str(SEEDS), "--format", fmt])
        assert result.exit_code == 0 and result.stdout.startswith(marker), fmt


def test_unknown_format_is_a_usage_error():
    assert runner.invoke(app, ["score", str(SEEDS), "--format", "pdf"]).exit_code == 2


def test_a_bad_rule_pack_fails_with_its_problems(tmp_path):
    (tmp_path / "bad.yaml").write_text("schema: 1\npack: bad\nrules:\n  - id: x\n")
    result = runner.invoke(app, ["clean", str(SEEDS), "--rules", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.yaml:4" in result.stderr and "missing required key" in result.stderr


def test_a_missing_input_is_reported_and_exits_1():
    result = runner.invoke(app, ["clean", "/no/such/folder"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "error"


def test_help_shows_examples():
    result = runner.invoke(app, ["clean", "--help"])
    assert result.exit_code == 0 and "cleanse clean seeds/" in result.stdout


def test_a_model_that_is_unsafe_or_missing_fails_before_any_document_is_cleaned(tmp_path):
    from cleanse.credibility import DEFAULT_MODEL

    unsafe = tmp_path / "unsafe.skops"
    unsafe.write_bytes(b"not a skops file")
    (tmp_path / "unsafe.json").write_text(DEFAULT_MODEL.with_suffix(".json").read_text())
    for model, says in ((unsafe, "not a skops model file"), (tmp_path / "missing.skops", "No such file")):
        result = runner.invoke(app, ["clean", str(SEEDS), "--model", str(model), "--workers", "2"])
        assert result.exit_code == 1 and result.stdout == ""
        assert "cannot load the model" in result.stderr and says in result.stderr
