"""Atom feed of newly published practices, accepting the list filters.

Every element is plain text (`type="text"`, Atom's default): titles and summaries are plain
text fields, so markup in them reaches feed readers as characters, never as HTML.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .filters import PracticeFilterSet
from .models import Practice
from .search import PracticeSearch

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom 1.0 whose summaries are `type="text"`: Django's Atom1Feed declares them HTML."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class PracticeFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = gettext_lazy("MICIC Practices Repository: new practices")
    subtitle = gettext_lazy("Practices newly published in the MICIC Practices Repository.")

    # One Feed instance serves every request: per-request state travels as the "object".
    def __call__(self, request, *args, **kwargs):
        filterset = self.get_object(request)
        if not filterset.is_valid():
            lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
            return HttpResponseBadRequest(
                _("Invalid filter.") + "\n" + "\n".join(lines), content_type="text/plain"
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return PracticeFilterSet(request.GET, queryset=Practice.objects.published())

    def link(self, filterset):
        query = filterset.data.urlencode()
        return reverse("repository:practice-list") + (f"?{query}" if query else "")

    def items(self, filterset):
        return PracticeSearch(filterset, ordering="-published_at").rows(0, FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [phase.name for phase in item.phases.all()] + [
            s.name for s in item.stakeholders.all()
        ]
