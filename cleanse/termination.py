"""SIGTERM ends a run the way Ctrl-C does: by unwinding, so that a temporary output file is removed and the
previous file stays intact (or, with --resume, every record written so far is on disk).

Python's default for SIGTERM is to die on the spot, leaving the temporary file behind.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _terminate(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def exit_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises SystemExit(143); outside the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
