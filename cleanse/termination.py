"""SIGTERM ends a run the way Ctrl-C does: by unwinding, so that a temporary output file is removed and the
previous file stays intact (or, with --resume, every record written so far is on disk).

Python's default for SIGTERM is to die on the spot, leaving the temporary file behind.

A signal's handler runs wherever the main thread happens to be, and when that is a weakref callback, a
`__del__` or the garbage collector, Python prints "Exception ignored" and swallows the exception it raised:
the run would go on and finish as if nothing had come. So the handlers also note the signal, and the run
checks for one between records (`raise_if_signalled`) and raises again.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals received in the block of `exit_on_signals`, in order.
_received: list[int] = []


def _terminate(signum: int, frame) -> None:
    _received.append(signum)
    raise SystemExit(128 + signum)


def _interrupt(signum: int, frame) -> None:
    _received.append(signum)
    raise KeyboardInterrupt


def raise_if_signalled() -> None:
    """Raise what the first signal received raised, in case Python swallowed it (see above)."""
    if not _received:
        return
    if _received[0] == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + _received[0])


@contextmanager
def exit_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM raises SystemExit(143) and SIGINT KeyboardInterrupt (as Python's own handler
    does, and only where that handler is in place), and both are noted for `raise_if_signalled`; outside the
    main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    handlers = {signal.SIGTERM: _terminate}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # (not where SIGINT is ignored, as in `cmd &`)
        handlers[signal.SIGINT] = _interrupt
    previous = {number: signal.signal(number, handler) for number, handler in handlers.items()}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _received.clear()  # (what the block was stopped by has been raised)
