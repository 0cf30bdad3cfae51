"""The text each practice is indexed under: title, names (its organisations and countries),
summary, body and tags (every other tag's name), weighted in that order by the backends."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from ..models import Country, Practice
from ..models.tags import M2M_TAGS

BATCH_SIZE = 500


@dataclass(frozen=True)
class Document:
    pk: int
    title: str
    names: str
    summary: str
    body: str
    tags: str
    published: bool


def name_text(practice: Practice) -> str:
    """Who and where: the practice's organisations and the names of its countries."""
    names = [practice.organizations] if practice.organizations else []
    for country in practice.countries.all():
        names += _labels(country, "name")
    return " · ".join(dict.fromkeys(names))


def tag_text(practice: Practice) -> str:
    """Names of everything else the practice is tagged with, and its countries' regions, in
    every interface language (the same whatever language is active)."""
    names = []
    for tag in M2M_TAGS:
        for obj in getattr(practice, tag.field).all():
            if tag.param == "country":
                names += _labels(obj.region, "name")
            else:
                names += _labels(obj, tag.name_attr)
    return " · ".join(dict.fromkeys(names))


def _labels(obj, field: str) -> list[str]:
    translated = (getattr(obj, f"{field}_{code}", None) for code, _name in settings.LANGUAGES)
    return [label for label in translated if label] or [getattr(obj, field)]


def documents(practice_ids=None):
    """Yield lists of Documents, BATCH_SIZE at a time, for these practices or all."""
    queryset = Practice.objects.order_by("pk").only(
        "pk", "title", "summary", "body", "organizations", "status"
    )
    if practice_ids is not None:
        queryset = queryset.filter(pk__in=list(practice_ids))
    queryset = queryset.prefetch_related(
        *(tag.field for tag in M2M_TAGS if tag.param != "country"),
        Prefetch("countries", queryset=Country.objects.select_related("region")),
    )
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH_SIZE])
        if not batch:
            return
        published = set(
            Practice.objects.published()
            .filter(pk__in=[p.pk for p in batch])
            .values_list("pk", flat=True)
        )
        yield [
            Document(
                pk=p.pk,
                title=p.title,
                names=name_text(p),
                summary=p.summary,
                body=p.body,
                tags=tag_text(p),
                published=p.pk in published,
            )
            for p in batch
        ]
        last = batch[-1].pk
