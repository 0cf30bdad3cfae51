"""Export the benchmark's published practices to one denormalised table for Datasette.

Runs with Datasette's own virtualenv (it needs sqlite-utils, not Django):

    bench/out/datasette-venv/bin/python -m bench.export_datasette \
        bench/out/bench.sqlite3 bench/out/datasette/practices.db

One row per published practice; tag columns are JSON arrays of slugs, numbers or codes
(for Datasette's _facet_array and __arraycontains); "stakeholders" lists each tag and its
parent, so that a parent matches its children as the app's filter does; "regions" is
derived from the countries. A "tags" text column holds the tag names, and an FTS5 index
covers title, summary, body and tags — the same fields the app's search covers.
"""

import json
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

import sqlite_utils

LINKS = {
    # column: (through table, its foreign key, tag table, tag value column, tag label column)
    "phases": ("repository_practice_phases", "phase_id", "guidelines_phase", "slug", "name"),
    "stakeholders": (
        "repository_practice_stakeholders",
        "stakeholder_id",
        "repository_stakeholder",
        "slug",
        "name",
    ),
    "crisis_types": (
        "repository_practice_crisis_types",
        "crisistype_id",
        "repository_crisistype",
        "slug",
        "name",
    ),
    "guidelines": (
        "repository_practice_guidelines",
        "guideline_id",
        "guidelines_guideline",
        "number",
        "title",
    ),
    "principles": (
        "repository_practice_principles",
        "principle_id",
        "guidelines_principle",
        "number",
        "title",
    ),
    "countries": (
        "repository_practice_countries",
        "country_id",
        "repository_country",
        "code",
        "name",
    ),
}


def export(source: Path, target: Path) -> dict:
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    published = {
        row[0]: row
        for row in src.execute(
            "SELECT id, title, slug, summary, body, year, year_end, organizations, published_at "
            "FROM repository_practice WHERE status = 'approved'"
        )
    }
    tags: dict[str, dict[int, list]] = {name: defaultdict(list) for name in LINKS}
    labels: dict[int, list[str]] = defaultdict(list)
    parents = dict(
        src.execute(
            "SELECT c.slug, p.slug FROM repository_stakeholder c "
            "JOIN repository_stakeholder p ON p.id = c.parent_id"
        )
    )
    region_of = dict(
        src.execute(
            "SELECT c.code, r.slug FROM repository_country c "
            "JOIN repository_region r ON r.id = c.region_id"
        )
    )
    region_name = dict(src.execute("SELECT slug, name FROM repository_region"))
    for name, (through, fk, table, value, label) in LINKS.items():
        key = "code" if table == "repository_country" else "id"
        rows = src.execute(
            f"SELECT l.practice_id, t.{value}, t.{label} FROM {through} l "
            f"JOIN {table} t ON t.{key} = l.{fk} ORDER BY l.practice_id, l.id"
        )
        for practice_id, tag_value, tag_label in rows:
            if practice_id in published:
                tags[name][practice_id].append(str(tag_value))
                labels[practice_id].append(tag_label)

    def rows():
        for pk, (_, title, slug, summary, body, year, year_end, orgs, when) in published.items():
            stakeholders = tags["stakeholders"][pk]
            expanded = list(dict.fromkeys([*stakeholders, *(parents.get(s) for s in stakeholders)]))
            countries = tags["countries"][pk]
            regions = list(dict.fromkeys(region_of[c] for c in countries))
            names = [*labels[pk], *(region_name[r] for r in regions)]
            if orgs:
                names.append(orgs)
            yield {
                "id": pk,
                "title": title,
                "slug": slug,
                "summary": summary,
                "body": body,
                "year": year,
                "year_end": year_end,
                "published_at": when,
                "phases": json.dumps(tags["phases"][pk]),
                "stakeholders": json.dumps([s for s in expanded if s]),
                "crisis_types": json.dumps(tags["crisis_types"][pk]),
                "guidelines": json.dumps(tags["guidelines"][pk]),
                "principles": json.dumps(tags["principles"][pk]),
                "countries": json.dumps(countries),
                "regions": json.dumps(regions),
                "tags": " · ".join(dict.fromkeys(names)),
            }

    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    db = sqlite_utils.Database(target)
    db["practices"].insert_all(rows(), pk="id", batch_size=2000)
    db["practices"].enable_fts(
        ["title", "summary", "body", "tags"], fts_version="FTS5", tokenize="porter"
    )
    db["practices"].create_index(["year"])
    db.vacuum()
    count = db["practices"].count
    db.close()
    return {
        "rows": count,
        "export_s": round(time.perf_counter() - started, 2),
        "bytes": target.stat().st_size,
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(json.dumps(export(Path(sys.argv[1]), Path(sys.argv[2]))))
