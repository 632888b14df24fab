"""Accounting: one output record per input record, a summary of the counts on stderr, and an exit code that
fails only a run that failed (with --strict: any error record fails it)."""

from __future__ import annotations

import gzip
import json

from conftest import SEEDS
from typer.testing import CliRunner

from cleanse.cli import app

runner = CliRunner()
ARTICLE = (
    "Harbour plan approved\n\n"
    "The council said on Tuesday that the harbour would be rebuilt next year, according to the mayor.\n\n"
    "The work is expected to take two years, the harbour master told reporters at a press conference."
)


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def a_folder_of_good_and_bad_input(tmp_path):
    """Two articles, one empty page, and five broken inputs (one of them a JSONL file of three lines)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "b.html").write_bytes(b"")
    (folder / "c.jsonl").write_text('{"id": "c1", "text": "' + ARTICLE.replace("\n", "\\n") + '"}\n[1]\n{bad\n')
    (folder / "d.html.gz").write_bytes(gzip.compress(b"<p>x</p>" * 100)[:30])
    (folder / "e.txt").symlink_to(folder / "nowhere")
    return folder


def test_every_input_record_is_accounted_for_and_errors_do_not_fail_the_run(tmp_path):
    result = runner.invoke(app, ["clean", str(a_folder_of_good_and_bad_input(tmp_path))])
    assert result.exit_code == 0, result.output
    out = lines(result.stdout)
    assert [(o["id"], o["status"]) for o in out] == [
        ("a.txt", "ok"),
        ("b.html", "filtered"),
        ("c1", "ok"),
        ("c.jsonl:2", "error"),
        ("c.jsonl:3", "error"),
        ("d.html.gz", "error"),
        ("e.txt", "error"),
    ]
    assert "cleanse: 7 records: 2 ok, 1 filtered, 4 error" in result.stderr


def test_strict_fails_a_run_with_any_error_record_after_writing_them_all(tmp_path):
    result = runner.invoke(app, ["clean", str(a_folder_of_good_and_bad_input(tmp_path)), "--strict"])
    assert result.exit_code == 1
    assert len(lines(result.stdout)) == 7
    assert "4 error record(s) (--strict)" in result.stderr


def test_strict_passes_a_run_without_errors():
    stdin = json.dumps({"id": "a", "text": ARTICLE}) + "\n" + json.dumps({"id": "b", "text": ""}) + "\n"
    result = runner.invoke(app, ["clean", "-", "--strict"], input=stdin)
    assert result.exit_code == 0 and "2 records: 1 ok, 1 filtered, 0 error" in result.stderr


def test_score_accounts_for_its_records_and_takes_strict_too():
    stdin = json.dumps({"id": "a", "text": ARTICLE}) + "\nnot json\n"
    result = runner.invoke(app, ["score", "-", "--format", "json"], input=stdin)
    assert result.exit_code == 0 and "2 records: 1 ok, 0 filtered, 1 error" in result.stderr
    assert runner.invoke(app, ["score", "-", "--strict"], input=stdin).exit_code == 1


def test_a_missing_input_named_on_the_command_line_fails_the_run_after_the_others_are_processed(tmp_path):
    result = runner.invoke(app, ["clean", str(tmp_path / "missing.jsonl"), str(SEEDS)])
    assert result.exit_code == 1
    out = lines(result.stdout)
    assert len(out) == 6 and out[0]["status"] == "error" and {o["status"] for o in out[1:]} == {"ok"}
    assert "no such file or folder" in result.stderr and "6 records" in result.stderr


def test_an_output_that_cannot_be_written_fails_the_run_with_a_message(tmp_path):
    (tmp_path / "file").write_text("")
    result = runner.invoke(app, ["clean", "-", "-o", str(tmp_path / "file" / "out.jsonl")], input="")
    assert result.exit_code == 1 and "cannot write the output" in result.stderr
    assert "Traceback" not in result.stderr


def test_resume_needs_an_output_file():
    assert runner.invoke(app, ["clean", "-", "--resume"], input="").exit_code == 2
