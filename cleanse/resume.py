"""Resumable output: `clean -o FILE --resume` appends each record to FILE as soon as it is made, and a later run
with the same inputs skips the records FILE already holds, so that an interrupted run loses nothing and the
finished file is byte-identical to the one an uninterrupted run writes.

Records are written in input order, so what an interrupted run leaves is a prefix of the full output, possibly
ending in half a line (the record being written when it stopped), which the next run cuts off and writes
again. Input records are matched to written ones by id, each written id standing for one input record, so
that repeated ids are resumed correctly too.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleanse.pipeline import record_id

_CHUNK = 1 << 16


class ResumeError(ValueError):
    """An existing output file that is not what an earlier run of `clean` wrote."""


@dataclass
class Written:
    """What earlier runs wrote: how many records carry each id, and how many have each status."""

    ids: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


def take_stock(paths: Iterable[Path]) -> Written:
    """Cut the unfinished last line off each existing file, then count the records left in them."""
    written = Written()
    for path in paths:
        if not path.exists():
            continue
        _cut_unfinished_line(path)
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    record = json.loads(line)
                    written.ids[record["id"]] += 1
                    written.statuses[record["status"]] += 1
                except (ValueError, KeyError, TypeError):
                    raise ResumeError(f"cannot resume: {path}:{number} is not a record written by cleanse") from None
    return written


def _cut_unfinished_line(path: Path) -> None:
    """Truncate the file after its last newline (to nothing if it has none)."""
    with path.open("rb+") as handle:
        end = handle.seek(0, os.SEEK_END)
        position = end
        while position > 0:
            start = max(0, position - _CHUNK)
            handle.seek(start)
            newline = handle.read(position - start).rfind(b"\n")
            if newline >= 0:
                position = start + newline + 1
                break
            position = start
        if position < end:
            handle.truncate(position)


def skip_written(records: Iterable[Any], written: Written) -> Iterator[Any]:
    """The input records not yet written; each written id skips one input record with that id."""
    for record in records:
        key = record_id(record)
        if written.ids[key] > 0:
            written.ids[key] -= 1
            continue
        yield record


def unmatched(written: Written) -> int:
    """Written records that no input record matched (after `skip_written` has run): output of other inputs."""
    return sum(count for count in written.ids.values() if count > 0)


@contextmanager
def open_appending(path: str) -> Iterator[IO[str]]:
    """Append to `path`, each line reaching the file as soon as it is written (line buffering)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8", buffering=1) as handle:
        yield handle
