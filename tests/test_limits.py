"""Per-document limits: a document over the size limit, or one whose processing outlasts the time limit, becomes
an error record with the reason, and the next document is processed as usual."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
import warnings

import pytest
from typer.testing import CliRunner

from cleanse import Cleaner, Limits, pipeline
from cleanse.cli import app
from cleanse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS, TimeLimitExceeded, time_limits

ARTICLE = "Harbour plan\n\nThe council said on Tuesday that the harbour would be rebuilt next year, the mayor said."
runner = CliRunner()


def bare(limits: Limits) -> Cleaner:
    """A cleaner without the models, which these tests do not need."""
    return Cleaner(model=None, segment_models={}, limits=limits)


def spin(*args, **kwargs):
    while True:
        pass


def test_the_defaults_are_sane():
    assert Limits() == Limits(max_bytes=10_000_000, max_seconds=60.0)
    assert (DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS) == (10_000_000, 60.0)


def test_a_document_over_the_size_limit_is_an_error_counted_in_utf8_bytes():
    cleaner = bare(Limits(max_bytes=100))
    assert cleaner({"id": "a", "text": "a" * 100})["status"] != "error"
    over = cleaner({"id": "b", "text": "é" * 51})  # 102 bytes of UTF-8
    assert over["status"] == "error" and over["error"] == (
        "document larger than the size limit of 100 bytes (--max-bytes)"
    )
    assert cleaner({"id": "c", "html": b"<p>" + b"x" * 100 + b"</p>"})["status"] == "error"
    assert bare(Limits(max_bytes=None))({"id": "d", "text": "é" * 51})["status"] != "error"


def test_a_document_that_outlasts_the_time_limit_is_an_error_and_the_next_is_processed(monkeypatch):
    cleaner = bare(Limits(max_seconds=0.2))
    real = cleaner.separate
    monkeypatch.setattr(cleaner, "separate", spin)
    out = cleaner({"id": "slow", "text": ARTICLE})
    assert out["status"] == "error"
    assert out["error"] == "processing took longer than the time limit of 0.2 s (--max-seconds)"
    monkeypatch.setattr(cleaner, "separate", real)
    assert cleaner({"id": "next", "text": ARTICLE})["status"] == "ok"


def slow(seconds: float, step):
    """`step` made to take at least `seconds`."""

    def slowed(*args, **kwargs):
        time.sleep(seconds)
        return step(*args, **kwargs)

    return slowed


def test_in_a_batch_each_record_has_the_time_limit_to_itself(monkeypatch):
    # a batch's records are all extracted before any goes on to the next stage: 16 extractions of 0.1 s
    # take 1.6 s, and still no record has used more than 0.1 of its 0.5 s
    monkeypatch.setattr("cleanse.pipeline.extract_text", slow(0.1, pipeline.extract_text))
    records = [{"id": str(i), "text": ARTICLE} for i in range(pipeline.BATCH)]
    results = list(bare(Limits(max_seconds=0.5)).process_many(records))
    assert [r.status for r in results] == ["ok"] * len(records)


def test_a_records_time_limit_counts_its_extraction_and_its_analysis_together(monkeypatch):
    cleaner = bare(Limits(max_seconds=0.5))
    monkeypatch.setattr("cleanse.pipeline.extract_text", slow(0.3, pipeline.extract_text))
    monkeypatch.setattr(cleaner, "separate", slow(0.3, cleaner.separate))
    (result,) = cleaner.process_many([{"id": "slow", "text": ARTICLE}])
    assert result.status == "error"
    assert result.error == "processing took longer than the time limit of 0.5 s (--max-seconds)"


def test_a_stage_that_swallows_exceptions_cannot_escape_the_time_limit(monkeypatch):
    def stubborn(text):
        with contextlib.suppress(Exception):  # what careless library code does
            spin()
        try:
            spin()
        except BaseException:  # even this: the alarm repeats
            spin()

    monkeypatch.setattr("cleanse.pipeline.extract_text", stubborn)
    out = bare(Limits(max_seconds=0.1))({"id": "stubborn", "text": ARTICLE})
    assert out["status"] == "error" and "time limit" in out["error"]


def test_the_time_limit_leaves_an_earlier_alarm_handler_in_place():
    def mine(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        bare(Limits(max_seconds=5))({"id": "a", "text": ARTICLE})
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_an_earlier_alarm_is_paused_while_records_are_cleaned_and_then_goes_on():
    def mine(signum, frame):
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    signal.setitimer(signal.ITIMER_REAL, 30.0)
    try:
        bare(Limits(max_seconds=5))({"id": "a", "text": ARTICLE})
        assert signal.getsignal(signal.SIGALRM) is mine
        assert 25.0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_within_a_batch_the_alarm_raises_only_inside_a_limit_whose_deadline_has_come():
    with time_limits(5.0) as limit:
        alarm = signal.getsignal(signal.SIGALRM).__self__
        alarm.expire(signal.SIGALRM, None)  # between two records' stages: nothing
        with limit(0.0):
            alarm.expire(signal.SIGALRM, None)  # an earlier stage's timer going off late: nothing
        with pytest.raises(TimeLimitExceeded), limit(5.0):  # a record that has used up its time
            time.sleep(1.0)


def test_outside_the_main_thread_the_time_limit_is_not_enforced_and_says_so():
    cleaner, results = bare(Limits(max_seconds=5)), []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        worker = threading.Thread(target=lambda: results.append(cleaner({"id": "a", "text": ARTICLE})))
        worker.start()
        worker.join()
    assert results[0]["status"] == "ok"
    assert any("time limit" in str(w.message) and "not enforced" in str(w.message) for w in caught)


def test_the_limits_are_options_of_the_command_line(monkeypatch):
    records = [{"id": "big", "text": ARTICLE * 6}, {"id": "slow", "text": ARTICLE}, {"id": "fine", "text": ARTICLE}]

    from cleanse import pipeline

    real, calls = pipeline.extract_text, []

    def slow_once(text):  # the big record is refused before extraction: the first call is the slow record's
        calls.append(text)
        return spin() if len(calls) == 1 else real(text)

    monkeypatch.setattr(pipeline, "extract_text", slow_once)
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    # a second leaves the fine record room on a busy machine (its first use of tables counts in its time)
    result = runner.invoke(app, ["clean", "-", "--max-bytes", "500", "--max-seconds", "1"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["status"]) for o in out] == [("big", "error"), ("slow", "error"), ("fine", "ok")]
    assert "--max-bytes" in out[0]["error"] and "--max-seconds" in out[1]["error"]


def test_zero_means_no_limit_on_the_command_line():
    stdin = json.dumps({"id": "big", "text": ARTICLE * 10}) + "\n"
    result = runner.invoke(app, ["clean", "-", "--max-bytes", "0", "--max-seconds", "0"], input=stdin)
    assert result.exit_code == 0 and json.loads(result.stdout)["status"] == "ok"


def test_a_negative_limit_is_a_usage_error():
    assert runner.invoke(app, ["clean", "-", "--max-seconds", "-1"], input="").exit_code == 2


def test_a_time_limit_during_the_language_profiles_load_leaves_nothing_half_loaded(monkeypatch):
    from cleanse import language
    from cleanse.limits import TimeLimitExceeded

    german = "Der Rat hat am Dienstag beschlossen, den alten Hafen neu zu bauen, sagte der Bürgermeister."
    expected = language.detect_language(german)
    real, calls = language.json.load, []

    def cut_short(file):
        calls.append(file)
        if len(calls) == 4:
            raise TimeLimitExceeded("time is up")
        return real(file)

    language.profiles.cache_clear()
    language._WORD_ROWS.clear()
    monkeypatch.setattr(language.json, "load", cut_short)
    with pytest.raises(TimeLimitExceeded):
        language.detect_language(german)
    monkeypatch.undo()
    assert language.detect_language(german) == expected
