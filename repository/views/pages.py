"""Pages about the site itself: /about/."""

from django.urls import reverse
from django.views.generic import TemplateView

from guidelines.models import Guideline, Principle

from ..search import published_total


class AboutView(TemplateView):
    """What MICIC is, what counts as a practice, moderation, citing, licence, contact."""

    template_name = "repository/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practice_count"] = published_total()
        context["principle_count"] = Principle.objects.count()
        context["guideline_count"] = Guideline.objects.count()
        context["site_url"] = self.request.build_absolute_uri(reverse("repository:home"))
        context["submit_url"] = reverse("repository:submit")
        context["api_url"] = reverse("api:docs")
        return context
