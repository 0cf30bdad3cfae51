from django.views.generic import DetailView, ListView

from .models import Guideline, Phase, Principle


class PrincipleListView(ListView):
    model = Principle
    context_object_name = "principles"


def neighbours(queryset, current) -> dict:
    """The previous and next items around ``current`` in a short ordered queryset."""
    items = list(queryset.only("number", "title"))
    index = next(i for i, item in enumerate(items) if item.pk == current.pk)
    return {
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if index + 1 < len(items) else None,
    }


class PrincipleDetailView(DetailView):
    model = Principle
    slug_field = "number"
    slug_url_kwarg = "number"
    context_object_name = "principle"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(neighbours(Principle.objects.all(), self.object))
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
