"""Pages of a practice search, shared by the HTML list and the API.

The result count comes from the facet index (``facets.count_matches``), not from a
``COUNT(*)`` that would re-run the search. By relevance, a page is selected from the
search's ranked matches (``facets.matches``, one query per search words and content
version). In any other order, the ids on each page are cached under the normalised query,
the ordering, the page and its size, and the content version. Either way a repeated
search costs one query by primary key for its rows, and any change to published content
(``repository.cache``) is visible at once.
"""

from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import cache
from .facets import count_matches, counter, normalised_query
from .models import Practice


class PracticePaginator(Paginator):
    """Paginates ``filterset.qs``; ``prepare`` adds what the rows show (``for_list``…)."""

    def __init__(self, object_list, per_page, *, filterset, prepare, **kwargs):
        self.filterset = filterset
        self.prepare = prepare
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        return count_matches(self.filterset)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows(bottom, top), number, self)

    def rows(self, bottom: int, top: int) -> list[Practice]:
        if top <= bottom:
            return []
        filterset = self.filterset
        if filterset.ordering_key == "relevance":  # from the cached ranked matches
            ids = result_ids(filterset, bottom, top)
        else:
            ordering = filterset.ordering_key
            key = cache.key("page", normalised_query(filterset), ordering, bottom, top)
            ids = django_cache.get(key)
            if ids is None:
                ids = result_ids(filterset, bottom, top)
                django_cache.set(key, ids, cache.TIMEOUT)
        found = self.prepare(Practice.objects.published().filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids if pk in found]


def result_ids(filterset, bottom: int = 0, top: int | None = None) -> list[int]:
    """The ids of the matching practices ``bottom`` to ``top`` (None: all), in order."""
    if filterset.ordering_key == "relevance":
        return counter(filterset).ranked_ids(bottom, top)
    return list(filterset.qs.values_list("pk", flat=True)[bottom:top])
