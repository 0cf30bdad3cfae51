"""Django's PostgreSQL backend, with a time limit on every database call.

settings.py selects it (ENGINE "micic.postgresql") for every PostgreSQL database and sets,
besides libpq's connect timeout and TCP keepalives, the limits this module enforces
(settings_dict["CALL_TIMEOUTS"], seconds):

- "query": a statement, a fetch from a server-side cursor, a commit or rollback. It is a
  little longer than the server's statement_timeout, so that on a live server PostgreSQL
  cancels a slow statement first; it matters when the server does not answer at all.
- "health_check": the `SELECT 1` that checks a persistent connection before a request
  reuses it, and the pool's check of a connection it hands out.

During a web request a call also ends when the request's budget does (deadline.py).
A call that runs out of time raises OperationalError: pages and the API answer 503.
"""

import contextlib

from django.db import OperationalError
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorWrapper

from .deadline import remaining, watchdog

FETCHES = frozenset({"fetchone", "fetchmany", "fetchall", "scroll"})


def _socket(connection) -> int:
    try:
        return connection.pgconn.socket
    except Exception:  # closed or lost: nothing to wait for
        return -1


@contextlib.contextmanager
def time_limit(connection, seconds: float | None, what: str, *, budget: bool = True):
    """Run the block with ``connection``'s socket shut down after ``seconds``.

    With ``budget``, the request's budget shortens the limit, and a request that has used
    it up gets an OperationalError before the call. Closing, rolling back and health checks
    ignore the budget: they must still be able to clean up after it ran out.
    """
    if budget:
        seconds = remaining(seconds)
        if seconds is not None and seconds <= 0:
            raise OperationalError("The request has used up its time for the database.")
    try:
        with watchdog.limit(_socket(connection), seconds) as expired:
            yield
    except Exception as error:
        if expired[0]:
            raise OperationalError(
                f"The database did not answer {what} within {seconds:.1f} s."
            ) from error
        raise


def pool_check(timeout: float | None):
    """psycopg_pool's connection check, with a time limit."""
    from psycopg_pool import ConnectionPool

    def check(connection) -> None:
        with time_limit(connection, timeout, "the pool's health check", budget=False):
            ConnectionPool.check_connection(connection)

    return check


class LimitedCursorWrapper(CursorWrapper):
    """Fetches from a server-side cursor (QuerySet.iterator()) are database calls too."""

    def __getattr__(self, attr):
        value = super().__getattr__(attr)
        if attr in FETCHES and getattr(self.cursor, "name", None):

            def fetch(*args, **kwargs):
                with time_limit(self.db.connection, self.db.query_timeout, "a fetch"):
                    return value(*args, **kwargs)

            return fetch
        return value


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, settings_dict, alias="default"):
        super().__init__(settings_dict, alias)
        timeouts = settings_dict.get("CALL_TIMEOUTS", {})
        self.query_timeout = timeouts.get("query")
        self.health_check_timeout = timeouts.get("health_check")
        pool = settings_dict["OPTIONS"].get("pool")
        if isinstance(pool, dict) and settings_dict.get("CONN_HEALTH_CHECKS", True):
            pool.setdefault("check", pool_check(self.health_check_timeout))
        # Outermost, so that every statement is limited, the wrappers' own included.
        self.execute_wrappers.insert(0, self._limit_statement)

    def _limit_statement(self, execute, sql, params, many, context):
        with time_limit(self.connection, self.query_timeout, "a statement"):
            return execute(sql, params, many, context)

    def make_cursor(self, cursor):
        return LimitedCursorWrapper(cursor, self)

    def init_connection_state(self):
        with time_limit(self.connection, self.query_timeout, "while connecting"):
            super().init_connection_state()

    def is_usable(self):
        if self.connection is None:
            return False
        try:
            with time_limit(
                self.connection, self.health_check_timeout, "the health check", budget=False
            ):
                return super().is_usable()
        except OperationalError:
            return False

    def _commit(self):
        with time_limit(self.connection, self.query_timeout, "a commit"):
            return super()._commit()

    def _rollback(self):
        with time_limit(self.connection, self.query_timeout, "a rollback", budget=False):
            return super()._rollback()

    def _close(self):
        with time_limit(self.connection, self.query_timeout, "while closing", budget=False):
            return super()._close()
