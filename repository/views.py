from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, TemplateView

from guidelines.models import Guideline, Phase, Principle

from .models import Practice


def published_practice_count():
    return Count("practices", filter=Q(practices__in=Practice.objects.published()), distinct=True)


class HomeView(TemplateView):
    """The three phases with their guidelines, recent practices and counts."""

    template_name = "repository/home.html"
    recent_count = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        guidelines = Guideline.objects.annotate(practice_count=published_practice_count())
        context["phases"] = Phase.objects.prefetch_related(
            Prefetch("guidelines", queryset=guidelines)
        )
        published = Practice.objects.published()
        context["recent_practices"] = published.for_list().recent()[: self.recent_count]
        context["practice_count"] = published.count()
        context["principle_count"] = Principle.objects.count()
        context["guideline_count"] = Guideline.objects.count()
        return context


class PhaseDetailView(DetailView):
    """One crisis phase: its guidelines, each with its published practices."""

    model = Phase
    context_object_name = "phase"
    template_name = "repository/phase_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practices = Practice.objects.published().for_list().order_by("title")
        context["guidelines"] = self.object.guidelines.annotate(
            practice_count=published_practice_count()
        ).prefetch_related(Prefetch("practices", queryset=practices, to_attr="published"))
        return context


class GuidelineDetailView(DetailView):
    """A guideline with the published practices that implement it."""

    model = Guideline
    slug_field = "number"
    slug_url_kwarg = "number"
    context_object_name = "guideline"
    template_name = "repository/guideline_detail.html"
    queryset = Guideline.objects.select_related("phase")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practices"] = (
            Practice.objects.published().for_list().filter(guidelines=self.object).order_by("title")
        )
        siblings = list(Guideline.objects.only("number", "title"))
        index = next(i for i, g in enumerate(siblings) if g.pk == self.object.pk)
        context["previous"] = siblings[index - 1] if index > 0 else None
        context["next"] = siblings[index + 1] if index + 1 < len(siblings) else None
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
