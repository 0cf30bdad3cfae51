"""Fill a benchmark database with the real MICIC content plus N synthetic practices.

    DATABASE_URL=sqlite:///…/bench/out/bench.sqlite3 python -m bench.generate --n 100000 \
        --data bench/out/synthetic-100000.jsonl --stats bench/out/gen-sqlite.json

Refuses any database but the benchmark's own: a SQLite file under bench/out/ or a
PostgreSQL database whose name starts with "micic_bench". The default database
(db.sqlite3) is never touched.

Steps, each timed: migrate; load_content() (taxonomies and the ~200 real practices);
bulk_create of the synthetic practices and of the many-to-many rows (no signals fire, so
nothing is indexed row by row); then one repository.search.reindex() over everything;
then ANALYZE on PostgreSQL.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench import synth

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"

CHUNK = 5000


def taxonomy_from_fixtures(fixtures_dir: Path) -> dict:
    def read(name):
        return json.loads((fixtures_dir / name).read_text(encoding="utf-8"))

    micic, taxonomy, regions = read("micic.json"), read("taxonomy.json"), read("regions.json")
    return {
        "phases": micic["phases"],
        "principles": micic["principles"],
        "guidelines": micic["guidelines"],
        "stakeholders": taxonomy["stakeholders"],
        "crisis_types": taxonomy["crisis_types"],
        "countries": regions["countries"],
    }


def write_synthetic(n: int, path: Path) -> float:
    """Generate n synthetic records into a JSON-lines file; returns seconds taken."""

    started = time.perf_counter()
    fixtures = PROJECT_DIR / "fixtures"
    generator = synth.Generator(synth.load_corpus(fixtures), taxonomy_from_fixtures(fixtures))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in generator.practices(n):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return time.perf_counter() - started


def read_synthetic(path: Path, n: int):
    with path.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if count >= n:
                return
            yield json.loads(line)


def ensure_data(n: int, path: Path) -> float:
    """The synthetic records file, generated once per N and shared by every database."""
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            lines = sum(1 for _ in handle)
        if lines >= n:
            return 0.0
    return write_synthetic(n, path)


def check_database(settings) -> str:
    db = settings.DATABASES["default"]
    engine, name = db["ENGINE"], str(db["NAME"])
    if not os.environ.get("DATABASE_URL"):
        sys.exit("generate.py: set DATABASE_URL to the benchmark database.")
    if engine.endswith("sqlite3"):
        path = Path(name).resolve()
        if path == (PROJECT_DIR / "db.sqlite3").resolve() or OUT_DIR.resolve() not in path.parents:
            sys.exit(f"generate.py: refusing SQLite database {path}: use a file under {OUT_DIR}.")
        return "sqlite"
    if engine.endswith("postgresql"):
        if not name.startswith("micic_bench"):
            sys.exit(f"generate.py: refusing PostgreSQL database {name!r}: use micic_bench*.")
        return "postgresql"
    sys.exit(f"generate.py: unsupported database engine {engine}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic practices")
    parser.add_argument("--data", type=Path, required=True, help="synthetic JSON-lines file")
    parser.add_argument("--stats", type=Path, required=True, help="where to write timings")
    parser.add_argument("--data-only", action="store_true", help="only write --data")
    args = parser.parse_args()

    OUT_DIR.mkdir(exist_ok=True)
    timings = {"synthesize_s": ensure_data(args.n, args.data)}
    if args.data_only:
        print(f"synthetic data: {args.data} ({timings['synthesize_s']:.1f} s)")
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micic.settings")
    import django
    from django.conf import settings

    django.setup()
    vendor = check_database(settings)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from guidelines.models import Guideline, Phase, Principle
    from repository import search
    from repository.content import load_content
    from repository.models import Country, CrisisType, Practice, Stakeholder

    def timed(key, func, *a, **kw):
        started = time.perf_counter()
        result = func(*a, **kw)
        timings[key] = round(time.perf_counter() - started, 2)
        print(f"  {key}: {timings[key]:.1f} s", flush=True)
        return result

    timed("migrate_s", call_command, "migrate", verbosity=0, interactive=False)
    if Practice.objects.filter(content_key__startswith="synthetic-").exists():
        sys.exit("generate.py: this database already has synthetic practices; start afresh.")
    timed("load_content_s", load_content)

    maps = {
        "phases": (Phase, dict(Phase.objects.values_list("slug", "pk"))),
        "stakeholders": (Stakeholder, dict(Stakeholder.objects.values_list("slug", "pk"))),
        "crisis_types": (CrisisType, dict(CrisisType.objects.values_list("slug", "pk"))),
        "guidelines": (Guideline, dict(Guideline.objects.values_list("number", "pk"))),
        "principles": (Principle, dict(Principle.objects.values_list("number", "pk"))),
        "countries": (
            Country,
            {code: code for code in Country.objects.values_list("pk", flat=True)},
        ),
    }
    throughs = {
        name: (getattr(Practice, name).through, f"{model._meta.model_name}_id")
        for name, (model, _values) in maps.items()
    }
    now = timezone.now()
    link_counts = dict.fromkeys(maps, 0)

    def insert_chunk(records):
        practices = [
            Practice(
                title=r["title"][:300],
                slug=_slug(r["title"]),
                summary=r["summary"],
                body=r["body"],
                year=r["year"],
                year_end=r["year_end"],
                organizations=r["organizations"],
                source_title=synth.SOURCE_TITLE,
                language="en",
                status=r["status"],
                published_at=(now - timedelta(seconds=r["published_ago"]))
                if r["status"] == "approved"
                else None,
                content_key=r["key"],
            )
            for r in records
        ]
        with transaction.atomic():
            Practice.objects.bulk_create(practices, batch_size=1000)
            for name, (through, fk) in throughs.items():
                values = maps[name][1]
                rows = [
                    through(practice_id=p.pk, **{fk: values[v]})
                    for p, r in zip(practices, records, strict=True)
                    for v in r[name]
                ]
                through.objects.bulk_create(rows, batch_size=5000)
                link_counts[name] += len(rows)

    def insert_all():
        chunk = []
        done = 0
        for record in read_synthetic(args.data, args.n):
            chunk.append(record)
            if len(chunk) == CHUNK:
                insert_chunk(chunk)
                done += len(chunk)
                chunk = []
                if done % 20000 == 0:
                    print(f"    {done} inserted", flush=True)
        if chunk:
            insert_chunk(chunk)

    timed("bulk_insert_s", insert_all)
    indexed = timed("reindex_s", search.reindex)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            timed("analyze_s", cursor.execute, "VACUUM ANALYZE")

    stats = {
        "vendor": vendor,
        "n_synthetic": Practice.objects.filter(content_key__startswith="synthetic-").count(),
        "practices": Practice.objects.count(),
        "published": Practice.objects.published().count(),
        "indexed": indexed,
        "links": link_counts,
        "timings_s": timings,
        "database_bytes": _database_bytes(connection, settings),
    }
    args.stats.write_text(json.dumps(stats, indent=2), encoding="utf-8")
    print(json.dumps(stats, indent=2))


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:200].strip("-") or "practice"


def _database_bytes(connection, settings) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return Path(settings.DATABASES["default"]["NAME"]).stat().st_size


if __name__ == "__main__":
    main()
