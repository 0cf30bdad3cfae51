from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from guidelines.models import Guideline, Phase, Principle
from guidelines.views import neighbours

from .. import cache, search
from ..facets import compute_facets, normalised_query, published_counts, published_total
from ..filters import FACET_NAMES, ORDERINGS, PracticeFilterSet
from ..listing import active_chips, without_invalid
from ..models import Practice, PracticeQuerySet
from ..pagination import PracticePaginator

ORDERING_LABELS = {
    "relevance": _("Relevance"),
    "-published_at": _("Newest first"),
    "published_at": _("Oldest first"),
    "title": _("Title A–Z"),
    "-title": _("Title Z–A"),
    "-year": _("Year, latest first"),
    "year": _("Year, earliest first"),
}


def with_practice_counts(guidelines):
    """The guidelines, each with ``practice_count``: its published practices (facet index)."""
    counts = published_counts("guideline")
    for guideline in guidelines:
        guideline.practice_count = counts.get(guideline.number, 0)
    return guidelines


def newest_per_guideline(guidelines, count: int) -> None:
    """Sets ``published`` on each guideline: its newest published practices, ready to list."""
    published = Practice.objects.published()
    ids = {
        guideline.pk: list(
            published.filter(guidelines=guideline).recent().values_list("pk", flat=True)[:count]
        )
        for guideline in guidelines
    }
    rows = published.for_list().in_bulk([pk for found in ids.values() for pk in found])
    for guideline in guidelines:
        guideline.published = [rows[pk] for pk in ids[guideline.pk] if pk in rows]


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


def practice_redirect(request, pk):
    """/practices/<id>/ → /practices/<id>-<slug>/."""
    practice = get_object_or_404(Practice.objects.published().only("pk", "slug"), pk=pk)
    return redirect(practice, permanent=True)


class PracticeListView(ListView):
    """Faceted search over published practices: the same FilterSet as the API."""

    template_name = "repository/practice_list.html"
    context_object_name = "practices"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.filterset = PracticeFilterSet(
            request.GET, queryset=Practice.objects.published(), request=request
        )
        if not self.filterset.is_valid():
            self.object_list = Practice.objects.none()
            context = self.get_context_data(errors=self.filterset.errors)
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.filterset.qs

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.filterset.errors:  # the 400 page: no results
            return super().get_paginator(queryset, per_page, **kwargs)
        return PracticePaginator(
            queryset,
            per_page,
            filterset=self.filterset,
            prepare=PracticeQuerySet.for_list,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        params = self.request.GET
        context["filterset"] = filterset
        context["orderings"] = [(key, ORDERING_LABELS[key]) for key in ORDERINGS]
        errors = kwargs.get("errors")
        if errors:
            context["error_list"] = [(name, messages) for name, messages in errors.items()]
            context["clear_invalid_url"] = without_invalid(params, errors)
            return context
        cleaned = filterset.form.cleaned_data
        text = filterset.search_text
        context["q"] = text
        context["ordering"] = filterset.ordering_key
        # The filter form is cached as rendered HTML (practice_list.html) under the query,
        # the content version and the language: the counts are computed on a miss only.
        context["facets"] = SimpleLazyObject(lambda: compute_facets(filterset, FACET_NAMES))
        context["facets_html_key"] = cache.key(
            "facets-html", normalised_query(filterset), get_language()
        )
        context["facets_html_timeout"] = cache.TIMEOUT
        context["chips"] = active_chips(params, cleaned)
        context["year_min"] = cleaned.get("year_min")
        context["year_max"] = cleaned.get("year_max")
        page = context["page_obj"]
        if text:
            context["expansions"] = search.expansions(text)
            page.object_list = list(page.object_list)
            snippets = search.snippets([p.pk for p in page.object_list], text)
            for practice in page.object_list:
                practice.snippet = snippets.get(practice.pk)
            if not page.paginator.count:
                suggestion = search.suggest(text)
                if suggestion and suggestion != text:
                    context["suggestion"] = suggestion
        return context
