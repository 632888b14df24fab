"""Per-document size and time limits, so that one pathological page cannot stall a worker or exhaust memory.

The size limit is checked before any work (and by the readers, which never read more than it allows); the time
limit interrupts a document's processing with SIGALRM. A signal can only be handled in the main thread of a
process and only where `signal.setitimer` exists (not on Windows): elsewhere, in a thread worker for example,
the time limit is not enforced and a warning says so, while the size limit still is.
"""

from __future__ import annotations

import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_MAX_SECONDS = 60.0
#: After the limit has passed, the alarm repeats this often, in case a library swallowed the first one.
_REPEAT_SECONDS = 0.5
#: The alarm of a limit already used up (an alarm of 0 would be none at all).
_AT_ONCE = 1e-6


@dataclass(frozen=True)
class Limits:
    """What one document may cost: `max_bytes` of HTML or text, `max_seconds` of processing (None: no limit)."""

    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_seconds: float | None = DEFAULT_MAX_SECONDS


def too_large(size: int, max_bytes: int | None) -> str | None:
    """Why a document of `size` bytes is refused, or None when it is within the limit."""
    if max_bytes is None or size <= max_bytes:
        return None
    return f"document larger than the size limit of {max_bytes:,} bytes (--max-bytes)"


class TimeLimitExceeded(BaseException):  # noqa: N818 (reads as what happened, like KeyboardInterrupt)
    """Raised inside a document's processing when its time is up.

    A BaseException, like KeyboardInterrupt, so that the broad `except Exception` of a library cannot swallow it.
    """


def size_of(value: str | bytes) -> int:
    """Bytes of a document as UTF-8, without copying it when it is ASCII."""
    if isinstance(value, bytes) or value.isascii():
        return len(value)
    return len(value.encode("utf-8", errors="surrogatepass"))


def time_limit_available() -> bool:
    """Whether `time_limit` can be enforced here: the main thread of a process, on a system with setitimer."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None, spent: float = 0.0) -> Iterator[None]:
    """Raise TimeLimitExceeded in the body once `seconds` have passed, `spent` of them before it (a limit used
    up expires at once); restore any previous alarm afterwards."""
    if seconds is None:
        yield
        return
    if not time_limit_available():
        warnings.warn(
            "cleanse: the per-document time limit needs the main thread and setitimer; it is not enforced here",
            RuntimeWarning,
            stacklevel=3,
        )
        yield
        return
    armed = True

    def expire(signum, frame):
        if armed:
            raise TimeLimitExceeded(f"processing took longer than the time limit of {seconds:g} s (--max-seconds)")

    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, max(seconds - spent, _AT_ONCE), _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        armed = False
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)
