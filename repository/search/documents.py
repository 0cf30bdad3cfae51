"""The text each practice is indexed under: title (A), summary (B), body (C), tags (D)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from ..models import Country, Practice, Status

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
    """Names of everything the practice is tagged with, in every interface language (the
    same whatever language is active), plus its organisations."""
    names = []
    for relation in ("phases", "stakeholders", "crisis_types", "guidelines", "principles"):
        for obj in getattr(practice, relation).all():
            names += _labels(obj, "title" if hasattr(obj, "title") else "name")
    for country in practice.countries.all():
        names += _labels(country, "name") + _labels(country.region, "name")
    if practice.organizations:
        names.append(practice.organizations)
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
        "phases",
        "stakeholders",
        "crisis_types",
        "guidelines",
        "principles",
        Prefetch("countries", queryset=Country.objects.select_related("region")),
    )
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH_SIZE])
        if not batch:
            return
        yield [
            Document(
                pk=p.pk,
                title=p.title,
                summary=p.summary,
                body=p.body,
                tags=tag_text(p),
                published=p.status == Status.APPROVED,
            )
            for p in batch
        ]
        last = batch[-1].pk
