"""Site-wide views: `/healthz`, the error handlers, and the 503 for a database outage.

Error pages carry no debug details. Under /api/ they are JSON in the API's error shape
({"errors": {"detail": […]}}), elsewhere the friendly templates/{400,403,404,500,503}.html.
"""

import logging
import sys
import threading

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from .api import API_PREFIX

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before it tries again after a 503.
RETRY_AFTER_SECONDS = 30

# /healthz answers within this many seconds whatever the database does (a load balancer's
# probe typically gives up after 2 s).
HEALTHZ_TIMEOUT_SECONDS = 1.5


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def is_database_unavailable(exception: BaseException) -> bool:
    """True for errors that mean "cannot reach the database now", not a bug in a query.

    OperationalError covers a refused or timed-out connection, a lost connection, a server
    shutting down, too many connections and an exhausted pool; InterfaceError a connection
    that is already closed.
    """
    return isinstance(exception, (OperationalError, InterfaceError))


def _first_line(exception: BaseException) -> str:
    text = str(exception).strip()
    return text.splitlines()[0] if text else type(exception).__name__


def logged_once(response: HttpResponse) -> HttpResponse:
    """Mark a response whose failure this module has already logged, so that Django's
    request logger ("Service Unavailable: …") does not write a second line for it."""
    response._has_been_logged = True
    return response


def database_unavailable(request, exception: BaseException | None = None) -> HttpResponse:
    """The 503 for a database outage: a page, or JSON under /api/; never cached; one log line."""
    logger.error(
        "Database unavailable, answered 503 to %s %s: %s",
        request.method,
        request.path,
        _first_line(exception) if exception else "unknown error",
    )
    message = _("The repository cannot reach its database right now. Please try again in a minute.")
    if is_api_request(request):
        response = JsonResponse({"errors": {"database": [message]}}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return logged_once(response)


def _check_databases(outcome: list) -> None:
    """`SELECT 1` on every configured database, on this thread's own connections."""
    try:
        for alias in connections:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
    except DatabaseError as error:
        outcome.append(_first_line(error))
    else:
        outcome.append(None)
    finally:
        connections.close_all()


@never_cache
@require_safe
def healthz(request):
    """200 when the app and every configured database answer, 503 otherwise.

    The check runs on a thread of its own with its own connections, and the answer does not
    wait for it longer than HEALTHZ_TIMEOUT_SECONDS: a database that does not answer at all
    (a frozen host, a network partition) is a 503 in time, not a probe that times out. The
    thread itself ends within the connection and query timeouts (micic/postgresql).
    """
    outcome = []
    checker = threading.Thread(target=_check_databases, args=(outcome,), daemon=True)
    checker.start()
    checker.join(HEALTHZ_TIMEOUT_SECONDS)
    if outcome == [None]:
        return JsonResponse({"status": "ok"})
    error = outcome[0] if outcome else f"no answer within {HEALTHZ_TIMEOUT_SECONDS:g} s"
    logger.error("Health check failed: %s", error)
    response = JsonResponse({"status": "unavailable"}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return logged_once(response)


def _api_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": {"detail": [message]}}, status=status)


@requires_csrf_token
def bad_request(request, exception):
    if is_api_request(request):
        return _api_error(400, _("The request could not be understood."))
    return defaults.bad_request(request, exception)


@requires_csrf_token
def permission_denied(request, exception):
    if is_api_request(request):
        return _api_error(403, _("You do not have permission to perform this action."))
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception):
    if is_api_request(request):
        return _api_error(404, _("Not found."))
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """500, or the outage 503 when the error escaped from middleware (sessions, auth…)."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_unavailable(exception):
        return database_unavailable(request, exception)
    if is_api_request(request):
        return _api_error(500, _("A server error occurred. It has been logged."))
    return defaults.server_error(request)
