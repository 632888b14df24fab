"""Clean a stream of records on every core, or on any `concurrent.futures` executor (a Dask client's), with
output in input order: the same bytes whatever the number of workers.

Records go out in chunks, at most a few chunks per worker in flight, so memory stays flat however long the
stream is. Each worker process builds its `Cleaner` once (`cleanse.spec.cleaner_for`). Worker processes are
spawned, not forked: a fork of a parent whose scikit-learn has started OpenMP threads can deadlock.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from itertools import chain, islice
from multiprocessing import get_context
from typing import Any

from cleanse.records import STATUS_ERROR, Result
from cleanse.spec import CleanerSpec, cleaner_for

Transform = Callable[[dict[str, Any]], Any]

#: Records per task: large enough that shipping them costs little next to cleaning them.
CHUNK_SIZE = 16
#: Chunks in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
AHEAD = 4


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def clean_records(
    records: Iterable[Mapping[str, Any]],
    spec: CleanerSpec,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    transform: Transform | None = None,
    chunk_size: int | None = None,
) -> Iterator[Any]:
    """One output record per input record, in input order (passed through `transform`, in the worker, if
    given; it must be picklable, e.g. a module-level function).

    With `executor`, chunks run there and `workers` only says how many run at once. Otherwise `workers` > 1
    starts a pool of that many processes, unless the input fits in one chunk, where starting workers would
    cost more than it saves.
    """
    chunks = _chunks(records, chunk_size or CHUNK_SIZE)
    if executor is not None:
        yield from _ordered(executor, spec, transform, chunks, max(workers, 1) * AHEAD)
        return
    if workers <= 1:  # record by record, so a slow stream's records come out as they come in
        cleaner = cleaner_for(spec)
        for record in records:
            yield _clean_one(cleaner, record, transform)
        return
    head = list(islice(chunks, 2))
    if len(head) < 2:
        for chunk in head:
            yield from clean_chunk(spec, transform, chunk)
        return
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    try:
        yield from _ordered(pool, spec, transform, chain(head, chunks), workers * AHEAD)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def clean_chunk(spec: CleanerSpec, transform: Transform | None, records: list[Mapping[str, Any]]) -> list[Any]:
    """The task a worker runs: this process's `Cleaner` on each record of a chunk."""
    cleaner = cleaner_for(spec)
    return [_clean_one(cleaner, record, transform) for record in records]


def _clean_one(cleaner: Callable[[Mapping[str, Any]], dict[str, Any]], record: Mapping[str, Any], transform):
    """A record whose cleaning or transform raises still gives one output record, with status error."""
    try:
        out = cleaner(record)
        return out if transform is None else transform(out)
    except Exception as error:
        failed = failure(record, error)
        return failed if transform is None else transform(failed)


def failure(record: Any, error: Exception) -> dict[str, Any]:
    """The error record for an input record that could not be processed."""
    record_id = record.get("id") if isinstance(record, Mapping) else None
    message = f"{type(error).__name__}: {error}"
    return Result(
        id=None if record_id is None else str(record_id), source=None, url=None, status=STATUS_ERROR, error=message
    ).to_dict()


def _chunks(records: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _ordered(
    executor: Executor,
    spec: CleanerSpec,
    transform: Transform | None,
    chunks: Iterable[list[Mapping[str, Any]]],
    window: int,
) -> Iterator[Any]:
    """Submit chunks, at most `window` unfinished, and yield their results in submission order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(executor.submit(clean_chunk, spec, transform, chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
        while pending and pending[0].done():  # what is ready goes out at once, not when the window is full
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
