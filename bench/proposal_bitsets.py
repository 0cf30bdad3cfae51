"""The prototype of facet counting from in-memory bitsets, now in repository/facets.py.

Not used by the application; kept because the analysis of the first run cites it. Every
tag value (phase, stakeholder with its children, crisis type, guideline, principle,
country, region, year) is kept as a bitset of practice ids — a Python int, bit i set for
practice i — built once per content version (a few MB for 100,000 practices). A request
then needs ONE query, the ids of the published practices matching q (and updated_since),
and counts every facet with ANDs and bit_count(): each facet intersects the matches with
every other active filter, then counts per value. The counts are checked against
compute_facets() for every query of bench/queries.py.

    DATABASE_URL=… python bench/proposal_bitsets.py --n 100000 \\
        --out bench/out/bitsets-postgresql.json
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(1, str(BENCH_DIR))

import queries as bench_queries  # noqa: E402

REPEAT = 5
TAGS = {
    # facet: (m2m field, tag model attribute used in URLs)
    "phase": ("phases", "slug"),
    "stakeholder": ("stakeholders", "slug"),
    "crisis_type": ("crisis_types", "slug"),
    "guideline": ("guidelines", "number"),
    "principle": ("principles", "number"),
    "country": ("countries", "code"),
}


def bits(ids) -> int:
    """A bitset of these ids."""
    raw = bytearray((max(ids, default=0) >> 3) + 1)
    for i in ids:
        raw[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(raw, "little")


def build():
    """({facet: {value: bitset}}, the bitset of published practices)."""
    from collections import defaultdict

    from repository.models import Country, Practice, Region, Stakeholder

    sets = {}
    for facet, (field, attr) in TAGS.items():
        through = getattr(Practice, field).through
        model = getattr(Practice, field).field.related_model
        fk = f"{model._meta.model_name}_id"
        key_of = dict(model.objects.values_list("pk", attr))
        ids = defaultdict(list)
        for practice_id, tag_id in through.objects.values_list("practice_id", fk).iterator(
            chunk_size=20000
        ):
            ids[str(key_of[tag_id])].append(practice_id)
        sets[facet] = {value: bits(members) for value, members in ids.items()}
    # A parent stakeholder stands for itself and its children.
    for parent in Stakeholder.objects.filter(parent__isnull=True).prefetch_related("children"):
        combined = sets["stakeholder"].get(parent.slug, 0)
        for child in parent.children.all():
            combined |= sets["stakeholder"].get(child.slug, 0)
        sets["stakeholder"][parent.slug] = combined
    sets["region"] = {}
    for region in Region.objects.all():
        combined = 0
        for code in Country.objects.filter(region=region).values_list("code", flat=True):
            combined |= sets["country"].get(code, 0)
        sets["region"][region.slug] = combined
    years = defaultdict(list)
    for pk, year in Practice.objects.filter(year__isnull=False).values_list("pk", "year"):
        years[year].append(pk)
    sets["year"] = {str(year): bits(members) for year, members in years.items()}
    published = Practice.objects.published().values_list("pk", flat=True)
    return sets, bits(list(published))


def counts(filterset, sets, published):
    """{facet: {value: count}} for the filterset, disjunctively, non-zero only."""
    data = filterset.form.cleaned_data
    if data.get("q") or data.get("updated_since"):
        # The one query: the published practices matching the search, unranked.
        tag_filters = [*TAGS, "region", "year_min", "year_max", "ordering", "facets"]
        base_ids = filterset.unordered(without=tag_filters).values_list("pk", flat=True)
        base = bits(list(base_ids))
    else:
        base = published  # no query at all
    active = {}
    for facet, (_field, attr) in {**TAGS, "region": (None, "slug")}.items():
        values = data.get(facet)
        if values:
            selected = 0
            for value in values:
                selected |= sets[facet].get(str(getattr(value, attr)), 0)
            active[facet] = selected
    low, high = data.get("year_min"), data.get("year_max")
    if low is not None or high is not None:
        selected = 0
        for year, members in sets["year"].items():
            if (low is None or int(year) >= low) and (high is None or int(year) <= high):
                selected |= members
        active["year"] = selected
    result = {}
    for facet, values in sets.items():
        scope = base
        for other, selected in active.items():
            if other != facet:
                scope &= selected
        found = {value: (scope & members).bit_count() for value, members in values.items()}
        result[facet] = {value: n for value, n in found.items() if n}
    return result


def current_counts(filterset):
    from repository.facets import compute_facets
    from repository.filters import FACET_NAMES

    facets = compute_facets(filterset, FACET_NAMES)
    return {
        name: {str(item["value"]): item["count"] for item in items if item["count"]}
        for name, items in facets.items()
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings_nocache")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.utils.http import urlencode

    from repository.filters import PracticeFilterSet
    from repository.models import Practice

    def filterset(params):
        fs = PracticeFilterSet(QueryDict(urlencode(params)), queryset=Practice.objects.published())
        assert fs.is_valid(), fs.errors
        return fs

    started = time.perf_counter()
    sets, published = build()
    build_s = time.perf_counter() - started
    size = sum(m.bit_length() // 8 for values in sets.values() for m in values.values())
    results = {
        "vendor": connection.vendor,
        "n": args.n,
        "build_s": round(build_s, 2),
        "bytes": size,
        "queries": {},
    }
    print(f"  built in {build_s:.1f} s, {size / 2**20:.1f} MiB", flush=True)
    for query in bench_queries.queries(args.n):
        if query["key"] == "deep_page":
            continue
        params = query["params"]
        same = counts(filterset(params), sets, published) == current_counts(filterset(params))
        samples = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            counts(filterset(params), sets, published)
            samples.append(time.perf_counter() - t0)
        ms = round(statistics.median(samples) * 1000, 1)
        results["queries"][query["key"]] = {"identical_counts": same, "bitsets_ms": ms}
        print(f"  {query['key']:14} identical={same} bitsets {ms} ms", flush=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
