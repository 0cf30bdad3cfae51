"""The text each practice is indexed under: title (A), summary (B), body (C), tags (D)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Country, Practice
from ..models.tags import M2M_TAGS

BATCH_SIZE = 500


@dataclass(frozen=True)
class Document:
    pk: int
    title: str
    summary: str
    body: str
    tags: str
    published: bool


def tag_text(practice: Practice) -> str:
    """Names of everything the practice is tagged with, plus its organisations."""
    names = []
    for tag in M2M_TAGS:
        for obj in getattr(practice, tag.field).all():
            names.append(tag.label_of(obj))
            if tag.param == "country":
                names.append(obj.region.name)
    if practice.organizations:
        names.append(practice.organizations)
    return " · ".join(dict.fromkeys(names))


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
                summary=p.summary,
                body=p.body,
                tags=tag_text(p),
                published=p.pk in published,
            )
            for p in batch
        ]
        last = batch[-1].pk
