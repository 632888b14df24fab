"""Clean a stream of records on every core, or on any `concurrent.futures` executor (a Dask client's), with
output in input order: the same bytes whatever the number of workers.

Records go out in chunks, at most a few chunks per worker in flight, so memory stays flat however long the
stream is. Each worker process builds its `Cleaner` once (`cleanse.spec.cleaner_for`). Worker processes are
spawned, not forked: a fork of a parent whose scikit-learn has started OpenMP threads can deadlock.

A worker that dies (killed for its memory or by a signal, or crashed in native code) does not end the run: the
local pool starts again (a Dask cluster restarts its workers itself), and the records whose results were lost
are cleaned again one at a time, so that a record that kills a worker is found and gets an error record, and
every other record its normal one.
"""

from __future__ import annotations

import os
import warnings
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
#: Times a record whose chunk was lost is cleaned alone before the loss is put down to it (a worker can also
#: be killed for what another process did).
ATTEMPTS_ALONE = 2
#: Records in a row that each fail alone before the run stops: then the workers, not the records, are at fault
#: (a worker that cannot start, a machine out of memory).
FAILURES_IN_A_ROW = 8


class WorkerDied(RuntimeError):
    """A worker process ended while it cleaned a record: killed (out of memory, a signal) or crashed."""


class WorkersFailed(RuntimeError):
    """Records keep failing outside their cleaning, each cleaned alone: the run cannot go on."""


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
    first_apart: bool = False,
) -> Iterator[Any]:
    """One output record per input record, in input order (passed through `transform`, in the worker, if
    given; it must be picklable, e.g. a module-level function), a chunk at a time.

    With `executor`, chunks run there and `workers` only says how many run at once. Otherwise `workers` > 1
    starts a pool of that many processes, unless the input fits in one chunk, where starting workers would
    cost more than it saves; and one worker cleans the chunks in this process (`chunk_size` 1: each record as
    it comes, for a stream that waits for more).

    `first_apart` cleans the first record in a worker process of its own, as a lost chunk's records are: when
    a run that stopped is resumed, the record it was cleaning may be what stopped it (a crash in native code,
    the out-of-memory killer), and cleaned in this process it would stop it again (with `executor`, lost
    chunks are made again as above, so it is not needed).
    """
    if first_apart and executor is None:
        records = iter(records)
        first = next(records, _NOTHING)
        if first is not _NOTHING:
            yield _cleaned_apart(first, spec, transform)
    chunks = _chunks(records, chunk_size or CHUNK_SIZE)
    if executor is not None:
        yield from _ordered(executor, spec, transform, chunks, max(workers, 1) * AHEAD)
        return
    if workers > 1:
        head = list(islice(chunks, 2))
        chunks = chain(head, chunks)
        if len(head) == 2:
            pool = _Pool(workers)
            try:
                yield from _ordered(pool, spec, transform, chunks, workers * AHEAD)
            finally:
                pool.shutdown()
            return
    for chunk in chunks:  # in this process: one worker, or an input that fits in one chunk
        yield from clean_chunk(spec, transform, chunk)


_NOTHING = object()


def _cleaned_apart(record: Mapping[str, Any], spec: CleanerSpec, transform: Transform | None) -> Any:
    """One record's result from a one-worker pool started for it, or its error record if it kills the worker."""
    pool = _Pool(1)
    try:
        return _Recovery(pool, spec, transform).alone(record)
    finally:
        pool.shutdown()


def clean_chunk(spec: CleanerSpec, transform: Transform | None, records: list[Mapping[str, Any]]) -> list[Any]:
    """The task a worker runs: this process's `Cleaner` on a chunk of records, taken stage by stage."""
    cleaner = cleaner_for(spec)
    results = cleaner.process_many(records)
    return [
        _output(result, record, cleaner.max_evidence, transform)
        for result, record in zip(results, records, strict=True)
    ]


def _output(result: Result, record: Mapping[str, Any], max_evidence: int, transform: Transform | None) -> Any:
    """A result whose output record or transform raises still gives one output record, with status error."""
    try:
        out = result.to_dict(max_evidence)
        return out if transform is None else transform(out)
    except Exception as error:
        return _failed_output(record, error, transform)


def _failed_output(record: Any, error: Exception, transform: Transform | None) -> Any:
    failed = failure(record, error)
    return failed if transform is None else transform(failed)


def failure(record: Any, error: Exception) -> dict[str, Any]:
    """The error record for an input record that could not be processed."""
    record_id = record.get("id") if isinstance(record, Mapping) else None
    return Result(
        id=None if record_id is None else str(record_id), source=None, url=None, status=STATUS_ERROR, error=_said(error)
    ).to_dict()


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


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
    recovery = _Recovery(executor, spec, transform)
    pending: deque[tuple[list[Mapping[str, Any]], Future]] = deque()
    for chunk in chunks:
        pending.append((chunk, recovery.submit(chunk)))
        if len(pending) >= window:
            yield from recovery.first_results(pending)
        while pending and pending[0][1].done():  # what is ready goes out at once, not when the window is full
            yield from recovery.first_results(pending)
    while pending:
        yield from recovery.first_results(pending)


class _Recovery:
    """Results of chunks, made again record by record when a chunk is lost as a whole. `clean_chunk` turns
    everything that goes wrong with a record into its error record, so a chunk fails only from outside: its
    worker died (the local pool: `BrokenProcessPool`, which fails every chunk in flight; Dask: `KilledWorker`,
    after the cluster's own retries) or could not run it."""

    def __init__(self, executor: Executor, spec: CleanerSpec, transform: Transform | None):
        self.executor, self.spec, self.transform = executor, spec, transform
        self.failures_in_a_row = 0

    def submit(self, records: list[Mapping[str, Any]]) -> Future:
        """The chunk's future; on a pool that is already broken, a future that failed with it."""
        try:
            return self.executor.submit(clean_chunk, self.spec, self.transform, records)
        except BrokenProcessPool as error:
            failed: Future = Future()
            failed.set_exception(error)
            return failed

    def first_results(self, pending: deque[tuple[list[Mapping[str, Any]], Future]]) -> list[Any]:
        """The results of the first pending chunk, or, if it was lost, of every chunk lost with it."""
        chunk, future = pending.popleft()
        error = future.exception()
        if error is None:
            return future.result()
        lost = [(chunk, future)]
        if self._pool_broke(error):
            lost += pending  # a dead worker breaks the whole pool: every chunk in flight is lost or done
            pending.clear()
            wait([f for _, f in lost])
            self.executor.restart()
        again = sum(len(records) for records, outcome in lost if outcome.exception() is not None)
        warnings.warn(
            f"cleanse: a chunk was lost ({_said(error)}); the {again} records whose results were lost "
            "are cleaned again, one at a time",
            RuntimeWarning,
            stacklevel=2,
        )
        results = []
        for records, outcome in lost:
            if outcome.exception() is None:
                results.extend(outcome.result())
            else:
                results.extend(self.alone(record) for record in records)
        return results

    def alone(self, record: Mapping[str, Any]) -> Any:
        """One record's result from a chunk of its own, tried ATTEMPTS_ALONE times; an error record, with what
        went wrong, if every attempt is lost."""
        for _ in range(ATTEMPTS_ALONE):
            future = self.submit([record])
            error = future.exception()
            if error is None:
                self.failures_in_a_row = 0
                return future.result()[0]
            if self._pool_broke(error):
                error = WorkerDied(
                    f"the worker process cleaning this record died {ATTEMPTS_ALONE} times (killed, out of memory or"
                    " crashed)"
                )
                self.executor.restart()
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= FAILURES_IN_A_ROW:
            raise WorkersFailed(
                f"{self.failures_in_a_row} records in a row failed outside their cleaning, each cleaned alone: the "
                f"workers cannot run here (out of memory? a broken installation?); the last: {_said(error)}"
            )
        return _failed_output(record, error, self.transform)

    def _pool_broke(self, error: BaseException) -> bool:
        """A worker of the local pool died: the pool must start again."""
        return isinstance(error, BrokenProcessPool) and isinstance(self.executor, _Pool)


class _Pool(Executor):
    """The local pool of spawned worker processes, started again when one of them dies."""

    def __init__(self, workers: int):
        self.workers = workers
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)
