"""Project-wide middleware: the Permissions-Policy header, a 400 for NUL characters in the
address, a 503 when the database is down, the API's limit on query strings, and each
request's database time limit.

The other security headers come from Django itself (SecurityMiddleware, XFrameOptionsMiddleware,
ContentSecurityPolicyMiddleware; see SECURE_* in settings.py).
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from .api import API_PREFIX
from .postgresql.deadline import request_budget
from .views import database_unavailable, is_api_request, is_database_unavailable

# Browser features no page of the site uses, denied to it and to anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" for feature in ("camera", "geolocation", "microphone", "payment", "usb")
)


class PermissionsPolicyMiddleware:
    """Add `Permissions-Policy` to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (page or JSON) when a view fails because the database cannot be reached.

    This catches errors raised by views and their templates, and logs one line instead of a
    traceback; errors raised in other middleware reach `micic.views.server_error`, which
    answers the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not is_database_unavailable(exception):
            return None
        return database_unavailable(request, exception)


class RejectNullCharactersMiddleware:
    """A NUL character in the path or in a query parameter (name or value) is a 400.

    No page or parameter can use one, and PostgreSQL refuses them in text: without this
    check a `%00` would travel to the database and fail there. Under /api/ the 400 names
    the parameter; elsewhere it is the 400 page. Form and JSON bodies are checked by their
    fields (Django's and DRF's CharField refuse NUL characters).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return self.reject(request, "path")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self.reject(request, name.replace("\x00", "\\x00"))
        return self.get_response(request)

    def reject(self, request, name: str):
        if is_api_request(request):
            message = _("Null characters are not allowed.")
            return JsonResponse({"errors": {name: [message]}}, status=400)
        return defaults.bad_request(request, None)


# The longest query string the API reads. gunicorn refuses request lines longer than its
# limit_request_line (gunicorn.conf.py: 8190) with its own HTML 414 before Django sees them;
# up to that, an over-long API query is this JSON 414 (docs/deploy.md).
API_MAX_QUERY_STRING = 4096


class ApiQueryStringLimitMiddleware:
    """Answer an over-long query string under /api/ with the API's JSON 414."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.META.get("QUERY_STRING", ""))
        if length > API_MAX_QUERY_STRING and request.path_info.startswith(API_PREFIX):
            message = _(
                "The query string is too long (%(length)d characters; at most %(max)d)."
            ) % {"length": length, "max": API_MAX_QUERY_STRING}
            return JsonResponse({"errors": {"detail": [message]}}, status=414)
        return self.get_response(request)


class DatabaseBudgetMiddleware:
    """No database call of a request waits past DB_REQUEST_TIMEOUT seconds from its start
    (PostgreSQL; micic/postgresql). Streamed bodies, sent after the view returns, are only
    held to the per-call limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_budget(settings.DB_REQUEST_TIMEOUT):
            return self.get_response(request)
