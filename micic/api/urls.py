"""Routes under /api/: version 1 on a DRF router, the OpenAPI schema and its documentation."""

from django.urls import include, path, re_path

from guidelines.api import views as guidelines
from repository.api import coverage, submissions
from repository.api import views as repository

from .views import DocsView, NotFoundView, Router, SchemaView

app_name = "api"

router = Router()
router.register("phases", guidelines.PhaseViewSet, basename="phase")
router.register("principles", guidelines.PrincipleViewSet, basename="principle")
router.register("guidelines", repository.GuidelineViewSet, basename="guideline")
router.register("stakeholders", repository.StakeholderViewSet, basename="stakeholder")
router.register("crisis-types", repository.CrisisTypeViewSet, basename="crisis-type")
router.register("regions", repository.RegionViewSet, basename="region")
router.register("countries", coverage.CountryViewSet, basename="country")
router.register("practices", repository.PracticeViewSet, basename="practice")
router.register("coverage", coverage.CoverageViewSet, basename="coverage")
router.register("submissions", submissions.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # Last: any other /api/…/ path is a JSON 404. Paths without the final slash stay
    # unmatched, so that APPEND_SLASH still redirects them.
    re_path(r"^([\s\S]*/)?$", NotFoundView.as_view(), name="not-found"),
]
