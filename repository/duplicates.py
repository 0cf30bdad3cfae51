"""Possible duplicates of a submission, for moderators: published practices that describe
the same action, ranked by how much of it they share: the title's words, the organisations,
the countries and the year. Any one shared word is not enough to rank high.

Candidates come from the database (titles or organisations sharing a word, or the same
country and year), at most a few hundred; the ranking is done here, on those.
"""

import difflib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Practice

# How much each part counts; they add up to 1.
WEIGHTS = {"title": 0.5, "organizations": 0.2, "countries": 0.15, "year": 0.15}
MINIMUM = 0.2  # below this a practice is not shown as a possible duplicate
CANDIDATES = 300
# Words too common in this repository's titles to say two practices are the same.
_STOP_WORDS = """a an and as at by for from in into of on or the to with without their its our
is are be was were this that these those via after before during migrant migrants crisis crises
practice practices"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
REASONS = {
    "title": _("similar title"),
    "organizations": _("same organisations"),
    "countries": _("same countries"),
    "year": _("same year"),
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in text if not unicodedata.combining(char)).lower()


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def words(text: str) -> set[str]:
    """The distinctive words of a text, folded and crudely singularised."""
    return {
        _stem(word)
        for word in re.findall(r"[a-z0-9]+", _fold(text))
        if word not in STOP_WORDS and len(word) > 1
    }


def organisations(text: str) -> set[str]:
    """The organisations of a practice: each name folded, and its distinctive words."""
    names = {" ".join(_fold(part).split()) for part in re.split(r"[,;\n]", text or "")}
    names.discard("")
    return names | words(text)


def _jaccard(left: set, right: set) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


def _title_similarity(left: str, right: str, weight) -> float:
    """How much of the submission's title the other one has: its distinctive words (a word
    many candidates share counts less), and the titles side by side as text."""
    mine, theirs = words(left), words(right)
    if not mine:
        return 0.0
    contained = sum(weight(word) for word in mine & theirs) / sum(weight(word) for word in mine)
    sequence = difflib.SequenceMatcher(None, _fold(left), _fold(right), autojunk=False).ratio()
    return 0.6 * contained + 0.2 * _jaccard(mine, theirs) + 0.2 * sequence


def _year_similarity(left, right) -> float:
    if left is None or right is None:
        return 0.0
    return {0: 1.0, 1: 0.5}.get(abs(left - right), 0.0)


@dataclass
class Hint:
    practice: Practice
    score: float
    parts: dict = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reasons(self) -> list[str]:
        return [str(REASONS[name]) for name, value in self.parts.items() if value >= 0.5]


def score(submission: Practice, countries: set[str], other: Practice, weight=None) -> Hint:
    other_countries = {country.code for country in other.countries.all()}
    parts = {
        "title": _title_similarity(submission.title, other.title, weight or (lambda word: 1.0)),
        "organizations": _jaccard(
            organisations(submission.organizations), organisations(other.organizations)
        ),
        "countries": _jaccard(countries, other_countries),
        "year": _year_similarity(submission.year, other.year),
    }
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return Hint(other, total, parts)


def candidates(submission: Practice, countries: set[str]):
    """Published practices that share something with the submission, most sharing first."""
    published = Practice.objects.published().exclude(pk=submission.pk)
    title_words = sorted(words(submission.title), key=len, reverse=True)[:12]
    org_words = sorted(words(submission.organizations), key=len, reverse=True)[:8]
    shared = [
        Case(
            When(title__icontains=word, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in title_words
    ] + [
        Case(
            When(organizations__icontains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in org_words
    ]
    ids = []
    if shared:
        matching = (
            published.annotate(shared=reduce(add, shared))
            .filter(shared__gt=0)
            .order_by("-shared", "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
        ids += list(matching)
    if countries:
        same_place = published.filter(countries__code__in=countries)
        if submission.year is not None:
            same_place = same_place.filter(
                Q(year__gte=submission.year - 1, year__lte=submission.year + 1)
            )
        ids += list(same_place.order_by("pk").values_list("pk", flat=True).distinct()[:CANDIDATES])
    return Practice.objects.filter(pk__in=set(ids)).prefetch_related("countries")


def possible_duplicates(submission: Practice, limit: int = 5) -> list[Hint]:
    """The published practices most likely to be the same action as ``submission``."""
    countries = {country.code for country in submission.countries.all()}
    found = list(candidates(submission, countries))
    # A word's weight: the rarer among the candidates, the more it says (inverse frequency).
    frequency = Counter(word for other in found for word in words(other.title))
    total = len(found) + 1

    def weight(word: str) -> float:
        return math.log(total / (1 + frequency[word])) + 1

    hints = [score(submission, countries, other, weight) for other in found]
    hints = [hint for hint in hints if hint.score >= MINIMUM]
    hints.sort(key=lambda hint: (-hint.score, hint.practice.pk))
    return hints[:limit]
