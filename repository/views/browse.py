from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from guidelines.models import Guideline, Phase, Principle
from guidelines.views import neighbours

from .. import citation
from ..filters import Q_HELP, PracticeFilterSet
from ..listing import active_chips, without_invalid
from ..maps import COMPACT, world_map
from ..models import Practice
from ..search import (
    FACET_NAMES,
    ORDERINGS,
    PracticePaginator,
    PracticeSearch,
    newest_of,
    published_counts,
    published_total,
)
from ..search.coverage import query_string
from ..search.version import TIMEOUT
from .coverage import summary_with_practices

ORDERING_LABELS = {
    "relevance": _("Relevance"),
    "-published_at": _("Newest first"),
    "published_at": _("Oldest first"),
    "title": _("Title A–Z"),
    "-title": _("Title Z–A"),
    "-year": _("Year, latest first"),
    "year": _("Year, earliest first"),
    "-updated_at": _("Recently updated first"),
    "updated_at": _("Least recently updated first"),
}


def with_practice_counts(guidelines):
    """The guidelines, each with ``practice_count``: its published practices (facet index)."""
    counts = published_counts("guideline")
    for guideline in guidelines:
        guideline.practice_count = counts.get(guideline.number, 0)
    return guidelines


def newest_per_guideline(guidelines, count: int) -> None:
    """Sets ``published`` on each guideline: its newest published practices, ready to list
    (the ids from the tag index, the rows in one query)."""
    ids = newest_of("guideline", [guideline.number for guideline in guidelines], count)
    rows = Practice.objects.published().for_list().in_bulk([pk for v in ids.values() for pk in v])
    for guideline in guidelines:
        guideline.published = [rows[pk] for pk in ids[guideline.number] if pk in rows]


class HomeView(TemplateView):
    """The three phases with their guidelines, recent practices and counts."""

    template_name = "repository/home.html"
    recent_count = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        phases = list(Phase.objects.prefetch_related("guidelines"))
        for phase in phases:
            with_practice_counts(phase.guidelines.all())
        context["phases"] = phases
        published = Practice.objects.published()
        context["recent_practices"] = published.for_list().recent()[: self.recent_count]
        context["practice_count"] = published_total()
        context["principle_count"] = Principle.objects.count()
        context["guideline_count"] = Guideline.objects.count()
        return context


class PhaseDetailView(DetailView):
    """One crisis phase: its guidelines, each with its published practices."""

    model = Phase
    context_object_name = "phase"
    template_name = "repository/phase_detail.html"

    shown_per_guideline = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The newest few per guideline; the search page lists them all.
        guidelines = with_practice_counts(list(self.object.guidelines.all()))
        newest_per_guideline(guidelines, self.shown_per_guideline)
        context["guidelines"] = guidelines
        return context


class GuidelineDetailView(DetailView):
    """A guideline with the published practices that implement it."""

    model = Guideline
    slug_field = "number"
    slug_url_kwarg = "number"
    context_object_name = "guideline"
    template_name = "repository/guideline_detail.html"
    queryset = Guideline.objects.select_related("phase")
    shown = 24

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The newest ones; the search page, linked, lists and filters them all.
        with_practice_counts([self.object])
        newest_per_guideline([self.object], self.shown)
        context["practices"] = self.object.published
        # Counts by phase, region and kind; the newest practices are listed below them.
        context["summary"] = summary_with_practices("guideline", self.object.number, recent=0)
        context.update(neighbours(Guideline.objects.all(), self.object))
        return context


class PracticeDetailView(DetailView):
    """One published practice; any other status is a 404."""

    context_object_name = "practice"
    template_name = "repository/practice_detail.html"

    def get_queryset(self):
        return Practice.objects.published().for_detail()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The search the reader came from (?from=, from the result link); how to cite.
        context["back_to_search"] = citation.search_back_url(self.request.GET.get("from"))
        context["stable_url"] = citation.stable_url(self.request, self.object)
        context["citation"] = citation.formatted(self.object, context["stable_url"])
        return context


def practice_redirect(request, pk):
    """/practices/<id>/ → /practices/<id>-<slug>/."""
    practice = get_object_or_404(Practice.objects.published().only("pk", "slug"), pk=pk)
    return redirect(practice, permanent=True)


class PracticeListView(ListView):
    """Faceted search over published practices: the same FilterSet and search as the API."""

    template_name = "repository/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20
    paginator_class = PracticePaginator

    def get(self, request, *args, **kwargs):
        self.filterset = PracticeFilterSet(request.GET, queryset=Practice.objects.published())
        if not self.filterset.is_valid():
            self.object_list = Practice.objects.none()
            return self.render_to_response(self.get_context_data(), status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return PracticeSearch(self.filterset)  # what the paginator pages

    def get_paginate_by(self, queryset):
        return None if self.filterset.errors else self.paginate_by  # a 400 lists nothing

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        context = {
            "filterset": filterset,
            "orderings": [(key, ORDERING_LABELS[key]) for key in ORDERINGS],
            "q_help": Q_HELP,
        }
        if filterset.errors:
            context["error_list"] = list(filterset.errors.items())
            context["clear_invalid_url"] = without_invalid(self.request.GET, filterset.errors)
            return super().get_context_data(**context, **kwargs)
        search = self.object_list
        context.update(super().get_context_data(**kwargs))
        cleaned = filterset.form.cleaned_data
        search.snippets(context["page_obj"].object_list)
        facets = SimpleLazyObject(lambda: search.facets(FACET_NAMES))
        context.update(
            q=search.text,
            ordering=search.ordering,
            suggestion=search.suggestion,
            expansions=search.expansions,
            relaxed=search.relaxed,
            unmatched_words=search.unmatched_words,
            chips=(chips := active_chips(self.request.GET, cleaned)),
            filter_count=len(chips) - (1 if search.text else 0),  # not the words
            year_min=cleaned.get("year_min"),
            year_max=cleaned.get("year_max"),
            # The filter form is cached as rendered HTML (practice_list.html) under the
            # query, content version and language: the counts are computed on a miss only.
            facets=facets,
            facets_html_key=search.cache_key("facets-html", get_language()),
            facets_html_timeout=TIMEOUT,
            # The compact map of the results by country, cached the same way.
            search_map=SimpleLazyObject(lambda: world_map(search, COMPACT, facets["country"])),
            map_html_key=search.cache_key("map-html", COMPACT, get_language()),
            map_query=query_string(search.params, {}),
        )
        return context
