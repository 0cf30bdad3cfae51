"""The API's root, OpenAPI schema and documentation views, the router, and the JSON 404 for
any other path under /api/.
"""

from django.conf import settings
from django.templatetags.static import static
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework import exceptions, routers
from rest_framework.response import Response
from rest_framework.views import APIView

from .schema import AutoSchema

# Root, schema and documentation ------------------------------------------------------------


class APIRootView(routers.APIRootView):
    """Links to every collection of the API."""

    schema = AutoSchema()

    @extend_schema(
        operation_id="api_root",
        summary=_("Links to every collection"),
        responses={
            200: OpenApiResponse(
                {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}},
                description=_("Collection name → URL."),
            )
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Router(routers.DefaultRouter):
    """DefaultRouter with our documented root, and no `.json`-style format suffixes."""

    APIRootView = APIRootView
    include_format_suffixes = False


class NotFoundView(APIView):
    """Any other path under /api/: a JSON 404 in the API's error shape (not an HTML page)."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema (YAML; JSON with ?format=json or Accept: application/json)."""


# Redoc's styles are style elements it creates at run time: they carry the page's nonce.
DOCS_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.NONCE]}


@method_decorator(csp_override(DOCS_CSP), name="dispatch")
class DocsView(SpectacularRedocView):
    """The API reference: Redoc from our own static files (drf-spectacular-sidecar), started
    by a static script (no inline code), linking back to the site.

    The page runs under the site's Content-Security-Policy as it is: no 'unsafe-inline'
    (Redoc gives its style elements the page's nonce), nothing fetched from another site.
    """

    url_name = "api:schema"
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": _("MICIC Practices Repository API"),
                "redoc_standalone": self._redoc_standalone(),
                "docs_css": static("api/docs.css"),
                "docs_js": static("api/docs.js"),
                "schema_url": self._get_schema_url(request),
            },
            template_name=self.template_name,
        )
