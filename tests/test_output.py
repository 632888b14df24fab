"""Atomic and resumable output: an interrupted `-o FILE` run leaves the previous FILE intact and no temporary
file; with --resume it keeps every record written so far, and the resumed run's file equals an uninterrupted
run's, byte for byte."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleanse.cli import app

runner = CliRunner()
BODY = "The council said on Tuesday that the harbour would be rebuilt next year, according to the mayor. " * 3
RECORDS = [
    {"id": "a", "text": f"Harbour plan\n\n{BODY}"},
    {"id": "b", "text": "too short"},
    {"id": "c", "text": 42},
    {"id": "a", "text": f"Harbour plan, again\n\n{BODY}"},  # a repeated id is resumed correctly too
    {"id": "d", "text": f"Bridge plan\n\n{BODY}"},
    {"id": "e", "html": f"<html><body><article><h1>Ferry</h1><p>{BODY}</p></article></body></html>"},
]
OLD = '{"id": "old", "status": "ok"}\n'


@pytest.fixture
def inputs(tmp_path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


@pytest.fixture
def uninterrupted(inputs, tmp_path) -> tuple[bytes, bytes]:
    """The output and rejected files of a run that nothing interrupted."""
    out, rejected = tmp_path / "full.jsonl", tmp_path / "full-rejected.jsonl"
    result = runner.invoke(app, ["clean", str(inputs), "-o", str(out), "--rejected", str(rejected), "--min-words", "5"])
    assert result.exit_code == 0, result.output
    return out.read_bytes(), rejected.read_bytes()


def start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cleanse.cli", "clean", *args],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def on_language_call(monkeypatch, number: int, action) -> list[str]:
    """`action()` run in the pipeline's `number`th call of language identification; the texts of the calls."""
    from cleanse import pipeline

    real, calls = pipeline.detect_language, []

    def detect_language(text):
        calls.append(text)
        if len(calls) == number:
            action()
        return real(text)

    monkeypatch.setattr(pipeline, "detect_language", detect_language)
    return calls


def test_an_interrupted_run_leaves_the_previous_file_intact_and_no_temporary_file(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text(OLD)

    def interrupt():
        raise KeyboardInterrupt

    calls = on_language_call(monkeypatch, 3, interrupt)
    result = runner.invoke(app, ["clean", str(inputs), "-o", str(out)])
    assert result.exit_code != 0 and len(calls) == 3
    assert out.read_text() == OLD and leftovers(tmp_path) == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the swallowed exception
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_that_python_swallowed_in_a_callback_still_stops_the_run(inputs, tmp_path, monkeypatch, stop):
    """A handler that runs inside a weakref callback (or a __del__, or the garbage collector) raises into
    nothing: Python prints "Exception ignored" and goes on. The run must stop all the same."""
    import os
    import weakref

    out = tmp_path / "out.jsonl"
    out.write_text(OLD)

    def signal_in_a_callback():
        thing = type("Thing", (), {})()
        keep = weakref.ref(thing, lambda _: os.kill(os.getpid(), stop))
        del thing  # the callback runs here, and the handler inside it
        assert keep() is None  # ... and its exception was swallowed: the record goes on

    calls = on_language_call(monkeypatch, 2, signal_in_a_callback)
    result = runner.invoke(app, ["clean", str(inputs), "-o", str(out), "--workers", "1"])
    assert len(calls) >= 2 and result.exit_code != 0  # (it stops at the next record it would write)
    if stop == signal.SIGTERM:
        assert result.exit_code == 128 + stop
    assert out.read_text() == OLD and leftovers(tmp_path) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_run_stopped_by_a_signal_leaves_the_previous_file_intact_and_no_temporary_file(tmp_path, stop):
    out = tmp_path / "out.jsonl"
    out.write_text(OLD)
    run = start(tmp_path, "-", "-o", str(out))
    run.stdin.write((json.dumps(RECORDS[0]) + "\n").encode())
    run.stdin.flush()  # the run has a record to work on and waits for more
    wait_for(lambda: leftovers(tmp_path), "the temporary output file")
    run.send_signal(stop)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 128 + stop, stderr.decode()
    assert out.read_text() == OLD and leftovers(tmp_path) == []


def test_resume_after_a_kill_gives_the_file_of_an_uninterrupted_run(inputs, uninterrupted, tmp_path):
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    options = ["-o", str(out), "--rejected", str(rejected), "--min-words", "5", "--resume"]
    run = start(tmp_path, "-", *options, "--workers", "1")  # a pool would wait for a whole chunk of records
    for record in RECORDS[:3]:
        run.stdin.write((json.dumps(record) + "\n").encode())
    run.stdin.flush()

    def written() -> int:
        return sum(len(p.read_text().splitlines()) for p in (out, rejected) if p.exists())

    wait_for(lambda: written() == 3, "three records on disk")
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=60)
    assert run.returncode == 128 + signal.SIGTERM
    result = runner.invoke(app, ["clean", str(inputs), *options])
    assert result.exit_code == 0, result.output
    assert (out.read_bytes(), rejected.read_bytes()) == uninterrupted
    assert "6 records: 4 ok, 1 filtered, 1 error (3 of them written by an earlier run)" in result.stderr


def test_resume_writes_again_a_record_cut_off_in_the_middle(inputs, uninterrupted, tmp_path):
    full, _ = uninterrupted
    out = tmp_path / "out.jsonl"
    complete = full.splitlines(keepends=True)
    out.write_bytes(b"".join(complete[:2]) + complete[2][: len(complete[2]) // 2])
    options = ["-o", str(out), "--rejected", str(tmp_path / "rejected.jsonl"), "--min-words", "5"]
    result = runner.invoke(app, ["clean", str(inputs), *options, "--resume"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == full


def test_resuming_a_finished_run_adds_nothing(inputs, uninterrupted, tmp_path):
    out, rejected = tmp_path / "full.jsonl", tmp_path / "full-rejected.jsonl"
    options = ["-o", str(out), "--rejected", str(rejected), "--min-words", "5", "--resume", "--strict"]
    result = runner.invoke(app, ["clean", str(inputs), *options])
    assert (out.read_bytes(), rejected.read_bytes()) == uninterrupted
    assert "(6 of them written by an earlier run)" in result.stderr
    assert result.exit_code == 1  # --strict counts the error records the earlier run wrote


def test_resume_warns_about_records_that_match_no_input(inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(OLD)
    result = runner.invoke(app, ["clean", str(inputs), "-o", str(out), "--resume"])
    assert result.exit_code == 0 and "1 record(s) in" in result.stderr and "match no input record" in result.stderr
    assert len(out.read_text().splitlines()) == 1 + len(RECORDS)


def test_resume_refuses_a_file_that_cleanse_did_not_write(inputs, tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text("my notes\nmore notes\n")
    result = runner.invoke(app, ["clean", str(inputs), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and f"{out}:1 is not a record written by cleanse" in result.stderr
    assert out.read_text() == "my notes\nmore notes\n"


def test_a_run_started_with_ctrl_c_ignored_leaves_it_ignored():
    """A shell starts `cleanse clean ... &` with SIGINT ignored; the run must not make itself interruptible."""
    from cleanse.termination import exit_on_signals

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with exit_on_signals():
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    finally:
        signal.signal(signal.SIGINT, previous)
