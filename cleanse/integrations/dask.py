"""Clean on a Dask cluster: a `dask.bag` of records or a dask DataFrame of pages, partition by partition, and
the executor that `cleanse clean --dask ADDRESS` sends its chunks to.

Needs the `dask` extra (`pip install 'cleanse[dask]'`). Every worker process builds its `Cleaner` once, from
the spec; the paths in it (extra rule packs, a model) must be readable on the workers. Records come out in
the order they went in, the same records as a local run gives.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from cleanse.records import INPUT_KEYS, Result
from cleanse.runner import clean_chunk
from cleanse.spec import CleanerSpec

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas

#: The columns of a cleaned frame, in the order of an output record's fields; input columns that cleanse does
#: not consume follow them.
OUTPUT_COLUMNS = tuple(Result(id="", source=None, url=None, error="", filter_reasons=[""]).to_dict())
#: Output fields that a record only has when they apply; a row leaves them empty otherwise.
OPTIONAL_COLUMNS = ("error", "filter_reasons")
#: How long to wait for a scheduler before giving up.
CONNECT_TIMEOUT = "10s"


def clean_bag(bag: dask.bag.Bag, spec: CleanerSpec | None = None) -> dask.bag.Bag:
    """A bag of output records for a bag of input records (dicts), cleaned partition by partition."""
    return bag.map_partitions(_clean_partition, spec or CleanerSpec())


def clean_dataframe(frame: dask.dataframe.DataFrame, spec: CleanerSpec | None = None) -> dask.dataframe.DataFrame:
    """A frame of output records for a frame whose rows are input records (columns `id`, `html` or `text`,
    `url` ...): one column per output field, nested fields (`removed`, `signals`, `credibility`) as Python
    objects, other input columns passed through."""
    import pandas as pd

    columns = [*OUTPUT_COLUMNS, *(c for c in frame.columns if c not in INPUT_KEYS and c not in OUTPUT_COLUMNS)]
    meta = pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
    return frame.map_partitions(_clean_frame, spec or CleanerSpec(), columns, meta=meta)


def records_of(frame: pandas.DataFrame) -> Iterator[dict[str, Any]]:
    """The output records of a computed frame from `clean_dataframe`, as `cleanse clean` writes them."""
    for row in frame.to_dict("records"):
        yield {k: v for k, v in row.items() if not (_empty(v) and (k in OPTIONAL_COLUMNS or k not in OUTPUT_COLUMNS))}


@contextmanager
def scheduler_executor(address: str) -> Iterator[tuple[Executor, int]]:
    """A `concurrent.futures` executor on the cluster of the scheduler at `address`, and its number of
    threads (how many chunks run at once)."""
    from distributed import Client

    with Client(address, timeout=CONNECT_TIMEOUT) as client:
        yield client.get_executor(pure=False), sum(client.nthreads().values())


def _clean_partition(records: Iterable[Mapping[str, Any]], spec: CleanerSpec) -> list[dict[str, Any]]:
    return clean_chunk(spec, None, list(records))


def _clean_frame(part: pandas.DataFrame, spec: CleanerSpec, columns: list[str]) -> pandas.DataFrame:
    import pandas as pd

    records = [{k: v for k, v in row.items() if not _empty(v)} for row in part.to_dict("records")]
    out = clean_chunk(spec, None, records)
    return pd.DataFrame([[r.get(c) for c in columns] for r in out], columns=columns, index=part.index, dtype=object)


def _empty(value: Any) -> bool:
    """A missing cell: None, NaN or pandas' NA."""
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
