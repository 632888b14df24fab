"""Per-document size and time limits, so that one pathological page cannot stall a worker or exhaust memory.

The size limit is checked before any work (and by the readers, which never read more than it allows); the time
limit interrupts a document's processing with SIGALRM. A signal can only be handled in the main thread of a
process and only where `signal.setitimer` exists (not on Windows): elsewhere, in a thread worker for example,
the time limit is not enforced and a warning says so, while the size limit still is.
"""

from __future__ import annotations

import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_MAX_SECONDS = 60.0
#: After the limit has passed, the alarm repeats this often, in case a library swallowed the first one.
_REPEAT_SECONDS = 0.5
#: The alarm of a limit already used up (an alarm of 0 would be none at all).
_AT_ONCE = 1e-6
#: How much earlier than a limit's deadline its alarm may seem to go off, the clocks read apart.
_CLOCK_SLACK = 0.001


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
    """Whether `time_limits` can be enforced here: the main thread of a process, on a system with setitimer."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limits(seconds: float | None) -> Iterator[Callable[[float], AbstractContextManager[None]]]:
    """Time limits for the records of a block of work (a batch, taken stage by stage): in the block,
    `limit(spent)` raises TimeLimitExceeded in its body once `seconds` have passed, `spent` of them before it
    (a limit used up expires at once). The alarm handler is put in place once for the block and each `limit`
    only sets the timer: putting the handler in place and back around every stage of every record (four system
    calls) cost about 4 % of plain-text cleaning. An earlier alarm is paused for the block, and it and the
    earlier handler are restored afterwards."""
    if seconds is None:
        yield _unlimited
        return
    if not time_limit_available():
        warnings.warn(
            "cleanse: the per-document time limit needs the main thread and setitimer; it is not enforced here",
            RuntimeWarning,
            stacklevel=3,
        )
        yield _unlimited
        return
    alarm = _Alarm(seconds)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, 0)
    previous_handler = signal.signal(signal.SIGALRM, alarm.expire)
    try:
        yield alarm.limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        alarm.armed = False
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


class _Alarm:
    """The block's alarm. Each limit sets the timer to its own deadline, and the timer is left running after it:
    when it goes off, the handler raises only inside a limit whose deadline has come, so the timer of an earlier
    limit going off late (just as the next one starts) is ignored, and the next limit sets the timer again."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False
        self.deadline = 0.0

    def expire(self, signum: int, frame: Any) -> None:
        if self.armed and time.monotonic() >= self.deadline - _CLOCK_SLACK:
            raise TimeLimitExceeded(f"processing took longer than the time limit of {self.seconds:g} s (--max-seconds)")

    @contextmanager
    def limit(self, spent: float) -> Iterator[None]:
        remaining = max(self.seconds - spent, _AT_ONCE)
        self.deadline, self.armed = time.monotonic() + remaining, True
        signal.setitimer(signal.ITIMER_REAL, remaining, _REPEAT_SECONDS)
        try:
            yield
        finally:
            self.armed = False


def _unlimited(spent: float) -> AbstractContextManager[None]:
    return nullcontext()
