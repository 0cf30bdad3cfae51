"""Pages of a ``PracticeSearch``, shared by the HTML list and the API.

The count is the search's (from the tag index, not a ``COUNT(*)`` that would run the
search again) and each page's rows are the search's ``rows()``: one query by primary key
for a repeated page.
"""

from django.core.paginator import Paginator

from ..models import PracticeQuerySet


class PracticePaginator(Paginator):
    """Paginates a ``PracticeSearch``; ``prepare`` adds what the rows show (``for_list``…)."""

    def __init__(self, search, per_page, *args, prepare=PracticeQuerySet.for_list, **kwargs):
        self.search = search
        self.prepare = prepare
        super().__init__(search, per_page, *args, **kwargs)

    @property
    def count(self):
        return self.search.count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.search.rows(bottom, top, self.prepare), number, self)
