"""Disjunctive facet counts for the practice FilterSet, for the HTML list and the API.

Each facet counts the practices matching every active filter except its own, so a user
can widen a selection without losing options. A practice counts once per value, and a
parent stakeholder counts the practices of its children too.
"""

from django.core.cache import cache as django_cache
from django.db.models import Count
from django.db.models.functions import Coalesce

from guidelines.models import Guideline, Phase, Principle

from . import cache
from .filters import PracticeFilterSet
from .models import Country, CrisisType, Practice, Region, Stakeholder

# facet name: (m2m field on Practice, tag model, value attribute, label attribute)
TAG_FACETS = {
    "phase": ("phases", Phase, "slug", "name"),
    "crisis_type": ("crisis_types", CrisisType, "slug", "name"),
    "guideline": ("guidelines", Guideline, "number", "title"),
    "principle": ("principles", Principle, "number", "title"),
    "country": ("countries", Country, "code", "name"),
}
OWN_FILTERS = {"year": ("year_min", "year_max")}


def compute_facets(filterset: PracticeFilterSet, names) -> dict[str, list[dict]]:
    """Counts for each requested facet, in the API's shape; cached per content version."""
    query = normalised_query(filterset)
    keys = {name: cache.key("facet", name, query) for name in names}
    found = django_cache.get_many(list(keys.values()))
    missing = [name for name in names if keys[name] not in found]
    computed = _compute(filterset, missing)
    django_cache.set_many({keys[name]: value for name, value in computed.items()}, cache.TIMEOUT)
    return {name: found.get(keys[name], computed.get(name)) for name in names}


def normalised_query(filterset: PracticeFilterSet) -> tuple:
    """The filtering parameters, order-independent; not ordering, paging or facets."""
    data = filterset.data
    params = []
    for name in sorted(filterset.filters):
        if name in ("ordering", "facets"):
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = sorted(str(v).upper() if name == "country" else str(v) for v in values if v)
        if values:
            params.append((name, tuple(values)))
    return tuple(params)


def _compute(filterset: PracticeFilterSet, names) -> dict[str, list[dict]]:
    facets = {}
    for name in names:
        base = filterset.unordered(without=OWN_FILTERS.get(name, (name,)))
        ids = base.values("pk")
        if name in TAG_FACETS:
            facets[name] = _tag_facet(filterset, name, ids)
        elif name == "stakeholder":
            facets[name] = _stakeholder_facet(filterset, ids)
        elif name == "region":
            facets[name] = _region_facet(filterset, ids)
        elif name == "year":
            facets[name] = _year_facet(filterset, base)
    return facets


def _item(value, label, count, selected, **extra):
    return {"value": value, "label": label, "count": count, "selected": selected, **extra}


def _keep(items):
    return [item for item in items if item["count"] or item["selected"]]


def _tag_facet(filterset, name, ids):
    field, model, value_attr, label_attr = TAG_FACETS[name]
    through = getattr(Practice, field).through
    fk = f"{model._meta.model_name}_id"
    counts = dict(
        through.objects.filter(practice_id__in=ids)
        .values_list(fk)
        .annotate(n=Count("practice_id"))
        .order_by()
    )
    selected = set(filterset.active_values(name))
    items = [
        _item(
            getattr(tag, value_attr),
            getattr(tag, label_attr),
            counts.get(tag.pk, 0),
            str(getattr(tag, value_attr)) in selected,
        )
        for tag in model.objects.filter(pk__in=counts.keys())
        | _selected_tags(model, value_attr, selected)
    ]
    if name == "country":
        items.sort(key=lambda item: (-item["count"], item["label"]))
    return _keep(items)


def _selected_tags(model, value_attr, selected):
    if not selected:
        return model.objects.none()
    return model.objects.filter(**{f"{value_attr}__in": list(selected)})


def _stakeholder_facet(filterset, ids):
    through = Practice.stakeholders.through
    rows = through.objects.filter(practice_id__in=ids)
    own = dict(rows.values_list("stakeholder_id").annotate(n=Count("practice_id")).order_by())
    rooted = dict(
        rows.annotate(root=Coalesce("stakeholder__parent_id", "stakeholder_id"))
        .values_list("root")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    selected = set(filterset.active_values("stakeholder"))
    stakeholders = Stakeholder.objects.select_related("parent").order_by("order", "name")
    items = []
    for s in stakeholders:
        count = rooted.get(s.pk, 0) if s.parent_id is None else own.get(s.pk, 0)
        items.append(
            _item(
                s.slug,
                s.name,
                count,
                s.slug in selected,
                parent=s.parent.slug if s.parent else None,
            )
        )
    return _keep(items)


def _region_facet(filterset, ids):
    counts = dict(
        Practice.countries.through.objects.filter(practice_id__in=ids)
        .values_list("country__region_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    selected = set(filterset.active_values("region"))
    return _keep(
        [
            _item(r.slug, r.name, counts.get(r.pk, 0), r.slug in selected)
            for r in Region.objects.all()
        ]
    )


def _year_facet(filterset, base):
    rows = (
        base.filter(year__isnull=False)
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    data = filterset.form.cleaned_data
    low, high = data.get("year_min"), data.get("year_max")
    bounded = low is not None or high is not None

    def selected(year):
        return bounded and (low is None or year >= low) and (high is None or year <= high)

    return [_item(year, str(year), n, selected(year)) for year, n in rows]
