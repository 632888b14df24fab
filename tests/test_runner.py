"""All cores: a pool of worker processes gives the same bytes, in the same order, as one process."""

from __future__ import annotations

import json
import warnings
from itertools import count, islice

import pytest
from conftest import FIXTURES, SEEDS
from dying import POISON, die_always, die_on_poison
from typer.testing import CliRunner

from cleanse import pipeline, runner
from cleanse.cli import app
from cleanse.io import jsonl_line, read_inputs
from cleanse.spec import CleanerSpec, cleaner_for

cli = CliRunner()


def corpus() -> list:
    """Seeds, an HTML page, and records that go wrong in different ways."""
    return [
        *read_inputs([str(SEEDS), str(FIXTURES / "aeb-nytimes-letters.html.gz")]),
        {"id": "no-body"},
        "not an object",
        {"id": "unwritable", "text": "The council said it would act.", "tags": {"a set", "is not JSON"}},
        {"id": "last", "text": "The mayor said on Monday that the bridge would reopen."},
    ]


def lines(workers: int) -> list[tuple[str, str]]:
    return list(runner.clean_records(corpus(), CleanerSpec(), workers=workers, transform=jsonl_line, chunk_size=2))


@pytest.fixture(scope="module")
def in_one_process() -> list[tuple[str, str]]:
    return lines(1)


@pytest.fixture(scope="module")
def on_two_workers() -> list[tuple[str, str]]:
    return lines(2)


def test_two_workers_write_the_same_bytes_in_the_same_order_as_one_process(in_one_process, on_two_workers):
    assert on_two_workers == in_one_process
    ids = [json.loads(line)["id"] for _, line in on_two_workers]
    assert ids[:5] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert ids[-4:] == ["no-body", None, "unwritable", "last"]


def test_a_batch_gives_every_record_what_it_gets_alone():
    cleaner = cleaner_for(CleanerSpec())
    records = corpus() * 4  # more than a batch, so that batches follow each other
    assert len(records) > pipeline.BATCH
    alone = [cleaner.process(record) for record in records]
    assert list(cleaner.process_many(records)) == alone


def test_a_batch_goes_through_each_stage_before_the_next(monkeypatch):
    steps = []
    real_extract, real_language = pipeline.extract_text, pipeline.detect_language
    monkeypatch.setattr(pipeline, "extract_text", lambda text: steps.append("extract") or real_extract(text))
    monkeypatch.setattr(pipeline, "detect_language", lambda text: steps.append("analyse") or real_language(text))
    records = [{"id": str(i), "text": "The mayor said the bridge would reopen."} for i in range(20)]
    list(cleaner_for(CleanerSpec()).process_many(records))
    batch = pipeline.BATCH
    rest = 20 - batch
    assert steps == ["extract"] * batch + ["analyse"] * batch + ["extract"] * rest + ["analyse"] * rest


def test_a_record_that_raises_in_a_worker_becomes_one_error_record(on_two_workers):
    assert len(on_two_workers) == len(corpus())
    (unwritable,) = [json.loads(line) for _, line in on_two_workers if '"unwritable"' in line]
    assert unwritable["status"] == "error" and unwritable["error"] == "TypeError: cannot write set as JSON"
    assert [status for status, _ in on_two_workers][-4:] == ["error", "error", "error", "ok"]


def test_a_record_that_kills_its_worker_gets_an_error_record_and_every_other_record_its_own(in_one_process):
    records = corpus()
    records.insert(3, {"id": POISON, "text": "The mayor said on Monday that the bridge would reopen."})
    with pytest.warns(
        RuntimeWarning,
        match=r"a chunk was lost \(BrokenProcessPool: .* records whose results were lost are cleaned again",
    ):
        out = list(runner.clean_records(records, CleanerSpec(), workers=2, transform=die_on_poison, chunk_size=2))
    assert len(out) == len(records)
    poisoned = json.loads(out.pop(3)[1])
    assert poisoned["id"] == POISON and poisoned["status"] == "error"
    assert poisoned["error"].startswith("WorkerDied: the worker process cleaning this record died 2 times")
    assert out == in_one_process


def test_workers_that_die_on_every_record_stop_the_run_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(runner, "FAILURES_IN_A_ROW", 2)
    records = [{"id": str(i), "text": "The mayor said the bridge would reopen."} for i in range(6)]
    with (
        pytest.raises(runner.WorkersFailed, match="2 records in a row failed .* the last: WorkerDied: the worker"),
        pytest.warns(RuntimeWarning),
    ):
        list(runner.clean_records(records, CleanerSpec(), workers=2, transform=die_always, chunk_size=2))


def test_clean_stops_with_a_clear_error_when_workers_cannot_run(monkeypatch):
    clean_records = runner.clean_records

    def dying_workers(records, spec, **kwargs):
        yield from clean_records(list(records)[:1], spec, workers=1, transform=kwargs["transform"])
        raise runner.WorkersFailed("8 records in a row failed outside their cleaning")

    monkeypatch.setattr(runner, "clean_records", dying_workers)
    result = cli.invoke(app, ["clean", str(SEEDS), "--workers", "2"])
    assert result.exit_code == 1
    assert result.stderr == "cleanse: 8 records in a row failed outside their cleaning\n"


def test_a_first_record_apart_that_kills_its_worker_gets_an_error_record_and_the_rest_are_cleaned(in_one_process):
    records = corpus()
    records.insert(0, {"id": POISON, "text": "The mayor said on Monday that the bridge would reopen."})
    out = list(runner.clean_records(records, CleanerSpec(), workers=1, transform=die_on_poison, first_apart=True))
    poisoned = json.loads(out.pop(0)[1])
    assert poisoned["id"] == POISON and poisoned["error"].startswith("WorkerDied: ")
    assert out == in_one_process


def test_resume_cleans_the_record_after_those_written_apart(monkeypatch, tmp_path):
    apart = []
    cleaned_apart = runner._cleaned_apart
    monkeypatch.setattr(
        runner, "_cleaned_apart", lambda record, *args: apart.append(record) or cleaned_apart(record, *args)
    )
    out = tmp_path / "out.jsonl"
    options = ["clean", str(SEEDS), "-o", str(out), "--resume", "--workers", "1"]
    assert cli.invoke(app, options).exit_code == 0 and apart == []  # nothing written before: nothing to suspect
    full = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(full[:2]), encoding="utf-8")
    assert cli.invoke(app, options).exit_code == 0
    assert [record["id"] for record in apart] == [json.loads(full[2])["id"]]
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == full


def test_clean_shows_a_lost_chunk_as_one_line_of_its_own(monkeypatch):
    clean_records = runner.clean_records

    def losing_a_chunk(records, spec, **kwargs):
        warnings.warn(
            "cleanse: a chunk was lost (BrokenProcessPool: gone); the 2 records ...", RuntimeWarning, stacklevel=2
        )
        yield from clean_records(records, spec, workers=1, transform=kwargs["transform"])

    monkeypatch.setattr(runner, "clean_records", losing_a_chunk)
    result = cli.invoke(app, ["clean", str(SEEDS), "--workers", "2"])
    assert result.exit_code == 0
    assert (
        result.stderr.splitlines()[0]
        == "cleanse: warning: a chunk was lost (BrokenProcessPool: gone); the 2 records ..."
    )


def test_an_input_that_fits_in_one_chunk_is_cleaned_without_starting_workers(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(runner, "ProcessPoolExecutor", no_pool)
    records = [{"id": str(i), "text": "The mayor said the bridge would reopen."} for i in range(3)]
    out = list(runner.clean_records(records, CleanerSpec(), workers=8))
    assert [r["id"] for r in out] == ["0", "1", "2"]


def test_an_endless_stream_is_cleaned_as_it_comes():
    endless = ({"id": str(i), "text": "The mayor said the bridge would reopen."} for i in count())
    first = list(islice(runner.clean_records(endless, CleanerSpec(), workers=1), 20))
    assert [r["id"] for r in first] == [str(i) for i in range(20)]


def test_score_gives_the_same_sources_for_one_and_two_workers(monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_SIZE", 2)  # the five seeds become three chunks: the pool is used
    one, two = (cli.invoke(app, ["score", str(SEEDS), "--format", "json", "--workers", n]) for n in ("1", "2"))
    assert one.exit_code == two.exit_code == 0, two.output
    assert one.stdout == two.stdout and len(json.loads(two.stdout)) == 5


def test_clean_writes_the_same_file_for_one_and_two_workers(monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "CHUNK_SIZE", 2)
    outputs = [tmp_path / f"out-{n}.jsonl" for n in ("1", "2")]
    for n, out in zip(("1", "2"), outputs, strict=True):
        result = cli.invoke(app, ["clean", str(SEEDS), str(FIXTURES / "crawl.warc.gz"), "-o", str(out), "--workers", n])
        assert result.exit_code == 0, result.output
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    assert len(outputs[0].read_text(encoding="utf-8").splitlines()) > 5


def test_workers_must_be_at_least_one():
    assert cli.invoke(app, ["clean", str(SEEDS), "--workers", "0"]).exit_code == 2
