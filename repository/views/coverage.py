"""Coverage of the guidelines: the guideline × stakeholder (or × region) matrix, the map of
practices by country, and a stakeholder's summary page."""

from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ..filters import CoverageFilterSet
from ..listing import active_chips, without_invalid
from ..maps import world_map
from ..models import Practice, Stakeholder
from ..search import PracticeSearch
from ..search.coverage import BY, SUMMARY_FACETS, SUMMARY_RECENT, Coverage, summary
from ..search.version import TIMEOUT

SUMMARY_HEADINGS = {
    "phase": _("By crisis phase"),
    "region": _("By region"),
    "kind": _("By kind of record"),
    "guideline": _("By guideline"),
}
# The filters the coverage page offers as checkboxes (the others are kept as they come).
FORM_FACETS = ("kind", "crisis_type", "region", "phase")


class CoverageView(TemplateView):
    """/coverage/: counts of published practices per guideline × stakeholder (?by=region:
    × region) after the search page's filters, each a link to that search; and a map."""

    template_name = "repository/coverage.html"

    def get(self, request, *args, **kwargs):
        filterset = CoverageFilterSet(request.GET, queryset=Practice.objects.published())
        context = {"filterset": filterset, "views": BY}
        if not filterset.is_valid():
            context["error_list"] = list(filterset.errors.items())
            context["clear_invalid_url"] = without_invalid(request.GET, filterset.errors)
            return self.render_to_response(context, status=400)
        search = PracticeSearch(filterset)
        cleaned = filterset.form.cleaned_data
        by = cleaned.get("by") or "stakeholder"
        language = get_language()
        kept = [
            (name, value)
            for name, values in search.params
            if name not in (*FORM_FACETS, "q", "year_min", "year_max", "by")
            for value in values
        ]
        context.update(
            search=search,
            by=by,
            by_label=BY[by],
            q=search.text,
            year_min=cleaned.get("year_min"),
            year_max=cleaned.get("year_max"),
            chips=active_chips(request.GET, cleaned),
            kept=kept,
            facets=SimpleLazyObject(lambda: search.facets(FORM_FACETS)),
            coverage=SimpleLazyObject(lambda: Coverage(search, by)),
            world_map=SimpleLazyObject(lambda: world_map(search)),
            html_key=search.cache_key("coverage-html", by, language),
            map_key=search.cache_key("map-html", "detail", language),
            html_timeout=TIMEOUT,
        )
        return self.render_to_response(context)


class StakeholderDetailView(TemplateView):
    """A stakeholder type: its published practices by phase, region and kind, the newest."""

    template_name = "repository/stakeholder_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stakeholder = get_object_or_404(
            Stakeholder.objects.select_related("parent").prefetch_related("children"),
            slug=self.kwargs["slug"],
        )
        context.update(
            stakeholder=stakeholder,
            summary=summary_with_practices(
                "stakeholder", stakeholder.slug, (*SUMMARY_FACETS, "guideline")
            ),
        )
        return context


def summary_with_practices(name: str, value, facets=SUMMARY_FACETS, recent=SUMMARY_RECENT):
    """``search.coverage.summary`` with its newest practices as rows ready to list, and
    the headings of its facets."""
    found = summary(name, value, facets, recent)
    found["facets"] = [(SUMMARY_HEADINGS[facet], items) for facet, items in found["facets"]]
    rows = Practice.objects.published().for_list().in_bulk(found["recent"])
    found["recent"] = [rows[pk] for pk in found["recent"] if pk in rows]
    return found
