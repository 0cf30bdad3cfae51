"""In-process measurements on one benchmark database (DATABASE_URL):

1. repository.search.PracticeSearch.facets for every query string of bench/queries.py, all
   facets at once, timed repeatedly (bounded in count and time), and each facet alone,
   with the cache disabled (bench_settings_nocache) so that every call computes;
2. a profile of one /practices/ request per query (Django test client, outside any
   server): wall time, number of SQL queries and time spent in SQL, the slowest SQL;
3. on PostgreSQL, EXPLAIN (ANALYZE, BUFFERS) of the slowest SQL statements of the
   headline query, written to bench/out/explain-<vendor>.txt.

    DATABASE_URL=… python -m bench.inproc --n 100000 --out bench/out/inproc-postgresql.json
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench import queries as bench_queries

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent

REPEAT = 20  # at most this many timed runs per query…
MIN_REPEAT = 3  # …at least this many…
TIME_BUDGET_S = 4.0  # …and no more than this long after those
FACET_REPEAT = 2  # each facet alone: the best of two
EXPLAIN_TOP = 4
SLOW_S = 5.0  # a request slower than this is profiled once, not twice


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summarize_ms(samples):
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    # Uncached: PracticeSearch.facets() would otherwise answer repeated queries from the cache.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings_nocache")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.http import urlencode

    from repository.filters import PracticeFilterSet
    from repository.models import Practice
    from repository.search import FACET_NAMES, PracticeSearch

    vendor = connection.vendor
    results = {"vendor": vendor, "facets": {}, "requests": {}, "explain_file": None}

    def filterset(params):
        data = QueryDict(urlencode(params), mutable=False)
        fs = PracticeFilterSet(data, queryset=Practice.objects.published())
        if not fs.is_valid():
            raise SystemExit(f"invalid query {params}: {fs.errors}")
        return fs

    for query in bench_queries.queries(args.n):
        if query["key"] == "deep_page":
            continue  # the page number changes no facet: the same as "list"
        params = [(k, v) for k, v in query["params"] if k != "page"]
        fs = filterset(params)
        PracticeSearch(fs).facets(FACET_NAMES)  # warm-up
        samples, started = [], time.perf_counter()
        while len(samples) < MIN_REPEAT or (
            len(samples) < REPEAT and time.perf_counter() - started < TIME_BUDGET_S
        ):
            t0 = time.perf_counter()
            PracticeSearch(filterset(params)).facets(FACET_NAMES)
            samples.append(time.perf_counter() - t0)
        per_facet = {}
        for name in FACET_NAMES:
            times = []
            for _ in range(FACET_REPEAT):
                t0 = time.perf_counter()
                PracticeSearch(filterset(params)).facets([name])
                times.append(time.perf_counter() - t0)
            per_facet[name] = round(min(times) * 1000, 2)
        results["facets"][query["key"]] = {**summarize_ms(samples), "per_facet_ms": per_facet}
        print(f"  facets {query['key']}: {results['facets'][query['key']]}", flush=True)

    client = Client()
    slowest_key = []
    for query in bench_queries.queries(args.n):
        path = bench_queries.practices_path(query)
        started = time.perf_counter()
        client.get(path)  # warm-up
        slow = time.perf_counter() - started > SLOW_S
        walls, sql_times, captured = [], [], None
        for _ in range(1 if slow else 2):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path)
                walls.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            sql_times.append(sum(float(q["time"]) for q in ctx.captured_queries))
            captured = ctx.captured_queries
        ranked = sorted(captured, key=lambda q: float(q["time"]), reverse=True)
        results["requests"][query["key"]] = {
            "path": path,
            "wall_ms": round(statistics.median(walls) * 1000, 1),
            "sql_ms": round(statistics.median(sql_times) * 1000, 1),
            "sql_queries": len(captured),
            "slowest_sql": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:600]} for q in ranked[:6]
            ],
        }
        if query["key"] == bench_queries.KEY:
            slowest_key = ranked[:EXPLAIN_TOP]
        print(
            f"  request {query['key']}: wall {results['requests'][query['key']]['wall_ms']} ms, "
            f"sql {results['requests'][query['key']]['sql_ms']} ms in {len(captured)} queries",
            flush=True,
        )

    if vendor == "postgresql" and slowest_key:
        explain_path = BENCH_DIR / "out" / f"explain-{vendor}.txt"
        with connection.cursor() as cursor, explain_path.open("w", encoding="utf-8") as out:
            for q in slowest_key:
                out.write(f"-- {float(q['time']) * 1000:.1f} ms in the request\n{q['sql']}\n\n")
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                out.write("\n".join(row[0] for row in cursor.fetchall()) + "\n\n")
        results["explain_file"] = str(explain_path.relative_to(PROJECT_DIR))

    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
