"""Transforms that kill the worker process they run in, as the kernel's out-of-memory killer would: picklable
by name, so a spawned worker can run them. In the main process they only write the line."""

from __future__ import annotations

import os
import signal
from multiprocessing import parent_process
from typing import Any

from cleanse.io import jsonl_line

POISON = "poison"


def die_on_poison(record: dict[str, Any]) -> tuple[str, str]:
    if record.get("id") == POISON:
        _die()
    return jsonl_line(record)


def die_always(record: dict[str, Any]) -> tuple[str, str]:
    _die()
    return jsonl_line(record)


def _die() -> None:
    if parent_process() is not None:  # a worker, never the test run itself
        os.kill(os.getpid(), signal.SIGKILL)
