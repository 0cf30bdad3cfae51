"""The site's URLs and error handlers, plus views that fail on purpose (error page tests)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from micic.urls import handler400, handler403, handler404, handler500
from micic.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

FAILURES = {
    "bad-request": SuspiciousOperation("secret detail: bad request"),
    "denied": PermissionDenied("secret detail: denied"),
    "bug": RuntimeError("secret detail: a bug"),
    "database-down": OperationalError("secret detail: connection to 10.0.0.9 refused"),
    "connection-closed": InterfaceError("secret detail: connection already closed"),
}


def fail(request, name):
    raise FAILURES[name]


def inline_script(request):
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">void 0;</script>')
    return HttpResponse(template.render(request=request))


urlpatterns = [
    path("test-failure/<slug:name>/", fail),
    path("api/test-failure/<slug:name>/", fail),
    path("test-inline-script/", inline_script),
    *site_urlpatterns,
]
