"""Dask: a bag, a DataFrame and `cleanse clean --dask` on a local cluster give the records of a local run."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, SEEDS
from typer.testing import CliRunner

from cleanse.cli import app
from cleanse.io import dumps, read_inputs

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402

from cleanse.integrations.dask import clean_bag, clean_dataframe, records_of  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield cluster, client


def inputs() -> list[dict]:
    records = list(read_inputs([str(SEEDS)]))
    (page,) = read_inputs([str(FIXTURES / "aeb-nytimes-letters.html.gz")])
    page["html"] = page["html"].decode("utf-8")  # a DataFrame column holds text
    return [*records, page, {"id": "no-body", "lane": "b"}]


@pytest.fixture(scope="module")
def local_lines(cleaner) -> list[str]:
    return [dumps(cleaner(r)) for r in inputs()]


def test_a_bag_cleaned_on_the_cluster_gives_the_local_records(cluster, local_lines):
    bag = db.from_sequence(inputs(), npartitions=3)
    assert [dumps(r) for r in clean_bag(bag).compute()] == local_lines


def test_a_dataframe_cleaned_on_the_cluster_gives_the_local_records(cluster, local_lines):
    frame = dd.from_pandas(pd.DataFrame(inputs()), npartitions=3)
    cleaned = clean_dataframe(frame)
    assert list(cleaned.columns[:4]) == ["id", "source", "url", "status"] and cleaned.columns[-1] == "lane"
    assert [dumps(r) for r in records_of(cleaned.compute())] == local_lines


def test_clean_dask_sends_its_chunks_to_the_scheduler(cluster, local_lines):
    scheduler, _ = cluster
    result = CliRunner().invoke(app, ["clean", str(SEEDS), "--dask", scheduler.scheduler_address])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == local_lines[:5]


def test_an_unreachable_scheduler_exits_1_with_the_address(monkeypatch):
    monkeypatch.setattr("cleanse.integrations.dask.CONNECT_TIMEOUT", "0.5s")
    result = CliRunner().invoke(app, ["clean", str(SEEDS), "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


def test_a_record_that_kills_its_dask_worker_gets_an_error_record_and_the_others_their_own(cleaner):
    from dying import POISON, die_on_poison

    from cleanse.io import jsonl_line
    from cleanse.runner import clean_records
    from cleanse.spec import CleanerSpec

    records = [{"id": str(i), "text": "The mayor said on Monday that the bridge would reopen."} for i in range(4)]
    records.insert(1, {"id": POISON, "text": "The council met on Tuesday."})
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),  # each death fails its task at once
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as killable,
        distributed.Client(killable) as client,
    ):
        executor = client.get_executor(pure=False)
        with pytest.warns(
            RuntimeWarning, match=r"a chunk was lost \(KilledWorker: .* the 2 records whose results were lost"
        ):
            out = list(clean_records(records, CleanerSpec(), executor=executor, transform=die_on_poison, chunk_size=2))
    poisoned = json.loads(out.pop(1)[1])
    assert poisoned["id"] == POISON and poisoned["status"] == "error"
    assert poisoned["error"].startswith("KilledWorker: ")
    assert out == [jsonl_line(cleaner(r)) for r in records if r["id"] != POISON]
