"""Clean a stream of records on every core, or on any `concurrent.futures` executor (a Dask client's), with
output in input order: the same bytes whatever the number of workers.

Records go out in chunks, at most a few chunks per worker in flight, so memory stays flat however long the
stream is. Each worker process builds its `Cleaner` once (`cleanse.spec.cleaner_for`). Worker processes are
spawned, not forked: a fork of a parent whose scikit-learn has started OpenMP threads can deadlock.

A worker that dies (killed for its memory or by a signal, or crashed in native code) does not end the run: the
pool starts again and the records it had in flight are cleaned again one at a time, so the record that kills a
worker is found and gets an error record, and every other record its normal one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
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
#: Times a record is cleaned alone, each time on a new pool, before the death of its worker is put down to it.
ATTEMPTS_ALONE = 2
#: Records in a row that each kill a fresh worker when cleaned alone before the run stops: then the workers, not
#: the records, are at fault (a worker that cannot start, a machine out of memory).
DEATHS_IN_A_ROW = 8


class WorkerDied(RuntimeError):
    """A worker process ended while it cleaned a record: killed (out of memory, a signal) or crashed."""


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
    pool = _Pool(workers)
    try:
        yield from _ordered(pool, spec, transform, chain(head, chunks), workers * AHEAD)
    finally:
        pool.shutdown()


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
    pending: deque[tuple[list[Mapping[str, Any]], Future]] = deque()
    for chunk in chunks:
        pending.append((chunk, executor.submit(clean_chunk, spec, transform, chunk)))
        if len(pending) >= window:
            yield from _first_results(executor, spec, transform, pending)
        while pending and pending[0][1].done():  # what is ready goes out at once, not when the window is full
            yield from _first_results(executor, spec, transform, pending)
    while pending:
        yield from _first_results(executor, spec, transform, pending)


def _first_results(
    executor: Executor, spec: CleanerSpec, transform: Transform | None, pending: deque[tuple[list, Future]]
) -> list[Any]:
    """The results of the first pending chunk. When a worker of the local pool has died, every chunk in flight
    has lost its results: then the results of all pending chunks, those that were lost made again record by
    record on a new pool."""
    chunk, future = pending.popleft()
    try:
        return future.result()
    except BrokenProcessPool:
        if not isinstance(executor, _Pool):
            raise
    lost = [(chunk, future), *pending]
    pending.clear()
    wait([f for _, f in lost])  # the broken pool fails every unfinished future; finished ones keep their results
    executor.restart()
    results = []
    for chunk, future in lost:
        if isinstance(future.exception(), BrokenProcessPool):
            results.extend(executor.alone(spec, transform, record) for record in chunk)
        else:
            results.extend(future.result())
    return results


class _Pool(Executor):
    """The local pool of spawned worker processes, started again when one of them dies."""

    def __init__(self, workers: int):
        self.workers = workers
        self.deaths_in_a_row = 0
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        """As `Executor.submit`; on a pool that is already broken, a future that failed with it."""
        try:
            return self._executor.submit(fn, *args, **kwargs)
        except BrokenProcessPool as error:
            failed: Future = Future()
            failed.set_exception(error)
            return failed

    def restart(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)

    def alone(self, spec: CleanerSpec, transform: Transform | None, record: Mapping[str, Any]) -> Any:
        """One record's result from a worker that cleans nothing else meanwhile. A worker that dies then died of
        this record, or of something outside it (a kill meant for another process): the record is tried once
        more on a new pool, and only a record that kills both workers gets an error record."""
        for _ in range(ATTEMPTS_ALONE):
            try:
                (result,) = self.submit(clean_chunk, spec, transform, [record]).result()
            except BrokenProcessPool:
                self.restart()
                continue
            self.deaths_in_a_row = 0
            return result
        self.deaths_in_a_row += 1
        if self.deaths_in_a_row >= DEATHS_IN_A_ROW:
            raise WorkerDied(
                f"worker processes died on {self.deaths_in_a_row} records in a row, each cleaned alone: "
                "the workers cannot run here (out of memory? a broken installation?)"
            )
        died = WorkerDied(
            f"the worker process cleaning this record died {ATTEMPTS_ALONE} times (killed, out of memory or crashed)"
        )
        failed = failure(record, died)
        return failed if transform is None else transform(failed)
