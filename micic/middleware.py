"""Project-wide middleware: the Permissions-Policy header, and a 503 when the database is down.

The other security headers come from Django itself (SecurityMiddleware, XFrameOptionsMiddleware,
ContentSecurityPolicyMiddleware; see SECURE_* in settings.py).
"""

from django.conf import settings

from .views import database_unavailable, is_database_unavailable

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
