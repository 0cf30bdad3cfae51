"""The API's root, OpenAPI schema and documentation views, the router, and the JSON 404 for
any other path under /api/.
"""

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
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


class DocsView(SpectacularSwaggerView):
    """Swagger UI from our own static files, initialised by a static script (no inline code).

    The page runs under the site's Content-Security-Policy as it is: no 'unsafe-inline',
    nothing fetched from another site (the validator badge is off).
    """

    url_name = "api:schema"
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return Response(
            data={
                "title": _("MICIC Practices Repository API"),
                "swagger_ui_css": self._swagger_ui_resource("swagger-ui.css"),
                "swagger_ui_bundle": self._swagger_ui_resource("swagger-ui-bundle.js"),
                "swagger_ui_standalone": self._swagger_ui_resource(
                    "swagger-ui-standalone-preset.js"
                ),
                "favicon_href": self._swagger_ui_favicon(),
                "docs_css": static("api/docs.css"),
                "docs_js": static("api/docs.js"),
                "schema_url": self._get_schema_url(request),
                "csrf_header_name": self._get_csrf_header_name(),
            },
            template_name=self.template_name,
        )
