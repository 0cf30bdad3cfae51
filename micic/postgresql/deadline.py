"""Client-side time limits on database calls, for servers that stop answering.

A PostgreSQL server that is frozen (a paused host, SIGSTOP) or cut off by a network
partition does not refuse anything: the kernel may still accept the bytes a client sends,
and the client waits for an answer that never comes. libpq has no time limit on a query,
so a watchdog thread gives each database call a deadline; a call still waiting at its
deadline has its socket shut down, which ends the wait at once with an OperationalError
(and marks the connection unusable, so that it is discarded, not reused).

A web request also has a budget: no database call waits beyond REQUEST_TIMEOUT seconds
after the request started (`request_budget()`, set by micic.middleware).
"""

import contextlib
import os
import socket
import threading
import time


class Watchdog:
    """One daemon thread per process that shuts down the sockets of overdue calls."""

    def __init__(self):
        self._condition = threading.Condition()
        self._deadlines: dict[object, tuple[float, int]] = {}
        self._thread: threading.Thread | None = None
        self._pid = 0

    def _ensure_running(self) -> None:
        # After a fork (gunicorn's workers), the parent's thread does not exist here.
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="database-watchdog", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (deadline, fd) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[token]
                        _shut_down(fd)
                soonest = min((d for d, _fd in self._deadlines.values()), default=None)
                self._condition.wait(None if soonest is None else max(soonest - now, 0.01))

    @contextlib.contextmanager
    def limit(self, fd: int, seconds: float | None):
        """Shut down socket ``fd`` if the block is still running after ``seconds``.

        Yields a list that holds True afterwards when the deadline was hit. The watchdog
        acts only while the block runs (both hold the same lock), so it never touches a
        socket that the block's connection has closed since.
        """
        expired = [False]
        if seconds is None or fd < 0:
            yield expired
            return
        token = object()
        with self._condition:
            self._ensure_running()
            self._deadlines[token] = (time.monotonic() + max(seconds, 0), fd)
            self._condition.notify()
        try:
            yield expired
        finally:
            with self._condition:
                expired[0] = self._deadlines.pop(token, None) is None


def _shut_down(fd: int) -> None:
    try:
        # A duplicate of the descriptor: shutting it down shuts down the connection's socket,
        # closing it closes only the duplicate.
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


watchdog = Watchdog()

_budget = threading.local()


@contextlib.contextmanager
def request_budget(seconds: float | None):
    """Within the block, no database call on this thread waits past ``seconds`` from now."""
    previous = getattr(_budget, "deadline", None)
    _budget.deadline = None if not seconds else time.monotonic() + seconds
    try:
        yield
    finally:
        _budget.deadline = previous


def remaining(seconds: float | None) -> float | None:
    """The time a call may take: ``seconds``, or less if the request's budget ends sooner."""
    deadline = getattr(_budget, "deadline", None)
    if deadline is None:
        return seconds
    left = deadline - time.monotonic()
    return left if seconds is None else min(seconds, left)
