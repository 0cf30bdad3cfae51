"""A prototype of the proposed facet rewrite, measured against repository.facets.

Not used by the application. compute_facets() runs one SQL query per facet (plus small
label queries), and each of them re-evaluates the full-text match and every other active
filter. This prototype gets the same counts from ONE statement: the practices matching
the filters that no facet ignores (published, q, updated_since) are selected once into a
MATERIALIZED CTE, with one boolean column per active facet filter; each facet then
counts the rows whose flags are true except its own. It checks that the counts are
identical to compute_facets() for every query of bench/queries.py, and times both.

    DATABASE_URL=… python bench/proposal_facets.py --n 100000 \
        --out bench/out/proposal-postgresql.json
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

# facet: (through table, foreign-key column)
LINKS = {
    "phase": ("repository_practice_phases", "phase_id"),
    "stakeholder": ("repository_practice_stakeholders", "stakeholder_id"),
    "crisis_type": ("repository_practice_crisis_types", "crisistype_id"),
    "guideline": ("repository_practice_guidelines", "guideline_id"),
    "principle": ("repository_practice_principles", "principle_id"),
    "country": ("repository_practice_countries", "country_id"),
}


def facet_sql(filterset):
    """(sql, params) of one statement returning (facet, value, count) rows."""
    from repository.models import Country, Stakeholder

    data = filterset.form.cleaned_data
    # The filters no facet ignores: published, q (unranked), updated_since.
    tag_filters = [*LINKS, "region", "year_min", "year_max", "ordering", "facets"]
    base = filterset.unordered(without=tag_filters).values("id", "year")
    base_sql, base_params = base.query.sql_with_params()

    flags, flag_params = {}, []

    def ids_in(table, fk, ids):
        marks = ", ".join(["%s"] * len(ids))
        flag_params.extend(ids)
        return f"b.id IN (SELECT practice_id FROM {table} WHERE {fk} IN ({marks}))"

    for name, (table, fk) in LINKS.items():
        values = data.get(name)
        if not values:
            continue
        pks = [v.pk for v in values]
        if name == "stakeholder":
            pks = list(
                Stakeholder.objects.filter(pk__in=pks).with_children().values_list("pk", flat=True)
            )
        flags[name] = ids_in(table, fk, pks)
    if data.get("region"):
        codes = list(
            Country.objects.filter(region__in=data["region"]).values_list("code", flat=True)
        )
        flags["region"] = ids_in(*LINKS["country"], codes)
    low, high = data.get("year_min"), data.get("year_max")
    if low is not None or high is not None:
        parts = ["b.year IS NOT NULL"]
        if low is not None:
            parts.append("b.year >= %s")
            flag_params.append(low)
        if high is not None:
            parts.append("b.year <= %s")
            flag_params.append(high)
        flags["year"] = "(" + " AND ".join(parts) + ")"

    columns = "".join(f", ({sql}) AS f_{name}" for name, sql in flags.items())

    def where(own):
        conditions = [f"f.f_{name}" for name in flags if name != own]
        return " AND ".join(conditions) if conditions else "TRUE"

    parts = []
    for name, (table, fk) in LINKS.items():
        if name == "stakeholder":
            parts.append(
                f"SELECT 'stakeholder', CAST(l.{fk} AS TEXT), COUNT(*) FROM f "
                f"JOIN {table} l ON l.practice_id = f.id WHERE {where(name)} GROUP BY l.{fk}"
            )
            parts.append(
                "SELECT 'stakeholder-root', CAST(COALESCE(s.parent_id, s.id) AS TEXT), "
                f"COUNT(DISTINCT l.practice_id) FROM f JOIN {table} l ON l.practice_id = f.id "
                f"JOIN repository_stakeholder s ON s.id = l.{fk} WHERE {where(name)} "
                "GROUP BY COALESCE(s.parent_id, s.id)"
            )
        else:
            parts.append(
                f"SELECT '{name}', CAST(l.{fk} AS TEXT), COUNT(*) FROM f "
                f"JOIN {table} l ON l.practice_id = f.id WHERE {where(name)} GROUP BY l.{fk}"
            )
    parts.append(
        "SELECT 'region', CAST(c.region_id AS TEXT), COUNT(DISTINCT l.practice_id) FROM f "
        "JOIN repository_practice_countries l ON l.practice_id = f.id "
        f"JOIN repository_country c ON c.code = l.country_id WHERE {where('region')} "
        "GROUP BY c.region_id"
    )
    parts.append(
        "SELECT 'year', CAST(f.year AS TEXT), COUNT(*) FROM f "
        f"WHERE f.year IS NOT NULL AND {where('year')} GROUP BY f.year"
    )
    sql = (
        f"WITH b AS MATERIALIZED ({base_sql}), "
        f"f AS MATERIALIZED (SELECT b.id, b.year{columns} FROM b) " + " UNION ALL ".join(parts)
    )
    return sql, (*base_params, *flag_params)


def proposed_counts(filterset):
    from django.db import connection

    sql, params = facet_sql(filterset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return rows


def normalise_proposed(rows):
    """{facet: {tag pk or year: count}} from the prototype's rows."""
    from repository.models import Stakeholder

    roots = set(Stakeholder.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    counts = {}
    for facet, value, n in rows:
        if facet == "stakeholder-root":
            if int(value) in roots:
                counts.setdefault("stakeholder", {})[value] = n
            continue
        if facet == "stakeholder" and int(value) in roots:
            continue  # a parent's count is the rooted, distinct one
        counts.setdefault(facet, {})[value] = n
    return counts


def normalise_current(facets):
    """{facet: {tag pk or year: count}} from compute_facets() output (non-zero only)."""
    from guidelines.models import Guideline, Phase, Principle
    from repository.models import Country, CrisisType, Region, Stakeholder

    lookups = {
        "phase": (Phase, "slug"),
        "stakeholder": (Stakeholder, "slug"),
        "crisis_type": (CrisisType, "slug"),
        "guideline": (Guideline, "number"),
        "principle": (Principle, "number"),
        "country": (Country, "code"),
        "region": (Region, "slug"),
    }
    counts = {}
    for facet, items in facets.items():
        if facet == "year":
            mapping = {str(item["value"]): item["count"] for item in items if item["count"]}
        else:
            model, attr = lookups[facet]
            pk_of = {str(getattr(o, attr)): str(o.pk) for o in model.objects.all()}
            mapping = {pk_of[str(i["value"])]: i["count"] for i in items if i["count"]}
        counts[facet] = mapping
    return counts


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

    from repository.facets import compute_facets
    from repository.filters import FACET_NAMES, PracticeFilterSet
    from repository.models import Practice

    def filterset(params):
        fs = PracticeFilterSet(QueryDict(urlencode(params)), queryset=Practice.objects.published())
        assert fs.is_valid(), fs.errors
        return fs

    results = {"vendor": connection.vendor, "n": args.n, "queries": {}}
    for query in bench_queries.queries(args.n):
        if query["key"] == "deep_page":
            continue
        params = query["params"]
        current = normalise_current(compute_facets(filterset(params), FACET_NAMES))
        proposed = normalise_proposed(proposed_counts(filterset(params)))
        current = {k: v for k, v in current.items() if v}
        proposed = {k: v for k, v in proposed.items() if v}
        same = current == proposed
        timings = {}
        for label, func in (
            ("current_ms", lambda p=params: compute_facets(filterset(p), FACET_NAMES)),
            ("proposed_ms", lambda p=params: proposed_counts(filterset(p))),
        ):
            samples = []
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                func()
                samples.append(time.perf_counter() - t0)
            timings[label] = round(statistics.median(samples) * 1000, 1)
        results["queries"][query["key"]] = {"identical_counts": same, **timings}
        print(f"  {query['key']:14} identical={same} {timings}", flush=True)
        if not same:
            for facet in sorted(set(current) | set(proposed)):
                if current.get(facet) != proposed.get(facet):
                    print(
                        f"    {facet}: current {current.get(facet)} proposed {proposed.get(facet)}"
                    )
    if connection.vendor == "postgresql":
        fs = filterset(bench_queries.queries(args.n)[2]["params"])
        sql, params = facet_sql(fs)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        (BENCH_DIR / "out" / "explain-proposal-postgresql.txt").write_text(
            f"{sql}\n\n{plan}\n", encoding="utf-8"
        )
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
