from django.views.generic import DetailView, ListView

from .models import Guideline, Phase, Principle


class PrincipleListView(ListView):
    model = Principle
    context_object_name = "principles"


class PrincipleDetailView(DetailView):
    model = Principle
    slug_field = "number"
    slug_url_kwarg = "number"
    context_object_name = "principle"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principles = list(Principle.objects.only("number", "title"))
        index = next(i for i, p in enumerate(principles) if p.pk == self.object.pk)
        context["previous"] = principles[index - 1] if index > 0 else None
        context["next"] = principles[index + 1] if index + 1 < len(principles) else None
        return context


class GuidelineListView(ListView):
    """The 15 guidelines grouped under their crisis phase."""

    template_name = "guidelines/guideline_list.html"
    context_object_name = "phases"

    def get_queryset(self):
        return Phase.objects.prefetch_related("guidelines")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guideline_count"] = Guideline.objects.count()
        return context
