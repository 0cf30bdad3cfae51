"""Turn bench/out/*.json into a table on stdout and docs/performance.md.

    python -m bench.report --n 100000 --command "bench/run.sh 100000"

The analysis of what is slow (bench/analysis.md, written by a person from the profile of
a run) is included verbatim, so re-running the benchmark never loses it.
"""

import argparse
import json
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import queries as bench_queries

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"

P95_TARGET_MS = 150.0
RATIO_TARGET = 10.0
TARGET_LABELS = {
    "sqlite": "app, SQLite",
    "postgresql": "app, PostgreSQL",
    "postgresql-cached": "app, PostgreSQL, cached",
    "api-sqlite": "API, SQLite",
    "api-postgresql": "API, PostgreSQL",
    "datasette-json": "Datasette .json",
    "datasette-html": "Datasette HTML",
}


def load(name, default=None):
    path = OUT_DIR / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def sh(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": sh("nproc"),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "kernel": platform.release(),
    }


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def run_for(runs, query, target, connections):
    for run in runs:
        if run["query"] == query and run["target"] == target and run["connections"] == connections:
            return run
    return None


def ratio(a, b):
    return a / b if a and b else None


def issue16_section(http, runs, conc, key):
    """The figures that matter for a search nobody made before, measured in this run:
    the varied stream, the cached hit and the framework's floor, as CPU per request."""
    lines = []
    out = lines.append
    stream = {r["target"]: r for r in runs if r["query"] == "stream"}
    floor = run_for(runs, "floor", "postgresql-cached", conc) or {}
    cached = run_for(runs, key, "postgresql-cached", conc) or {}
    uncached = run_for(runs, key, "postgresql", conc) or {}
    ds_stream = stream.get("datasette-json", {})
    ours = stream.get("postgresql-cached", {})
    page = http["preflight"].get("list/postgresql", {})
    floor_cpu = floor.get("cpu_ms_per_request")
    out("### CPU per request, in one run: varied searches, a cached hit, the floor")
    out("")
    out(
        f"CPU time per request at {conc} connections (server processes and their PostgreSQL "
        "backends, from /proc). *Varied stream*: "
        f"{len(bench_queries.STREAM_WORDS) * len(bench_queries.STREAM_FILTERS)} different "
        f"searches ({len(bench_queries.STREAM_WORDS)} words × "
        f"{len(bench_queries.STREAM_FILTERS)} filter sets, `bench/queries.py`), each sent "
        "once, every word new to the server the first time it comes; Datasette answers the "
        "same stream (its JSON with the same facets). *Floor*: `"
        f"{bench_queries.FLOOR_PATH}` on the same server (every middleware, no database, no "
        "cache)."
    )
    out("")
    out("| what | server | CPU ms/request | × floor | p50 ms | p95 ms | req/s | errors |")
    out("|---|---|---:|---:|---:|---:|---:|---:|")
    rows = [("floor: " + bench_queries.FLOOR_PATH, "postgresql-cached", floor)]
    rows.append(("headline, repeated (response-cache hits)", "postgresql-cached", cached))
    rows.append(("headline, uncached", "postgresql", uncached))
    for target in ("postgresql-cached", "postgresql", "sqlite", "datasette-json"):
        if target in stream:
            rows.append(("varied stream, each search once", target, stream[target]))
    for label, target, run in rows:
        if not run:
            continue
        times = ratio(run.get("cpu_ms_per_request"), floor_cpu)
        out(
            f"| {label} | {TARGET_LABELS[target]} | {fmt(run.get('cpu_ms_per_request'))} | "
            f"{fmt(times)} | {fmt(run.get('p50_ms'))} | {fmt(run.get('p95_ms'))} | "
            f"{fmt(run.get('rps'), 2)} | {run.get('errors', 0)} |"
        )
    out("")
    out("| target (issue #16) | measured | met? |")
    out("|---|---|---|")
    cheaper = ratio(ds_stream.get("cpu_ms_per_request"), ours.get("cpu_ms_per_request"))
    if cheaper:
        out(
            f"| varied stream ≥ 10× cheaper than Datasette in CPU per request | "
            f"{fmt(ours['cpu_ms_per_request'])} vs {fmt(ds_stream['cpu_ms_per_request'])} ms: "
            f"**{cheaper:.1f}×** | {'yes' if cheaper >= 10 else '**no**'} |"
        )
    hit = ratio(cached.get("cpu_ms_per_request"), floor_cpu)
    if hit:
        out(
            f"| cached hit ≤ 5× the floor | {fmt(cached['cpu_ms_per_request'])} vs "
            f"{fmt(floor_cpu)} ms: **{hit:.1f}×** | {'yes' if hit <= 5 else '**no**'} |"
        )
    if uncached.get("requests"):
        out(
            f"| headline p95 ≤ 150 ms at {conc} connections (uncached; on an idle machine) | "
            f"{fmt(uncached['p95_ms'])} ms, load average {uncached['loadavg_before']} | "
            f"{'yes' if uncached['p95_ms'] <= 150 else '**no**'} |"
        )
    if page.get("bytes"):
        raw, gz = page["bytes"] / 1000, page.get("gzip_bytes", 0) / 1000
        out(
            f"| `/practices/` under 40 KB raw and 10 KB compressed | {raw:.1f} KB raw, "
            f"{gz:.1f} KB gzip | {'yes' if raw < 40 and gz < 10 else '**no**'} |"
        )
    out("")
    return "\n".join(lines)


def build(args):
    http = load("http.json", {"runs": [], "preflight": {}, "api": False})
    meta = load("meta.json", {})
    gen = {v: load(f"gen-{v}.json") for v in ("sqlite", "postgresql")}
    export = load("datasette-export.json")
    inproc = {v: load(f"inproc-{v}.json") for v in ("sqlite", "postgresql")}
    runs = http["runs"]
    conc = max((r["connections"] for r in runs), default=args.connections)
    qs = bench_queries.queries(args.n)
    key = bench_queries.KEY
    lines = []
    out = lines.append

    out("# Performance: practice search at scale")
    out("")
    out(
        "Generated by `bench/run.sh` (see bench/README.md); do not edit by hand — the analysis "
        "section comes from `bench/analysis.md`."
    )
    out("")
    out(f"- Date: {meta.get('date', datetime.now(UTC).isoformat(timespec='seconds'))}")
    out(f"- Command: `{args.command}`")
    out(f"- Project commit: {meta.get('git', '?')}")
    m = machine()
    out(f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['ram']} RAM, Linux {m['kernel']}")
    if meta.get("loadavg_start") is not None:
        out(
            f"- Load average (1 min) at start: {meta['loadavg_start']}; during the load runs: "
            f"{min(r['loadavg_before'] for r in runs) if runs else '–'}–"
            f"{max(r['loadavg_before'] for r in runs) if runs else '–'} "
            "(anything above 0 is other work sharing the 2 cores)"
        )
    versions = meta.get("versions", {})
    if versions:
        out("- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    out(
        f"- N = {args.n:,} synthetic practices (plus the ~200 real ones); "
        f"{fmt((gen['postgresql'] or {}).get('published'))} published on PostgreSQL, "
        f"{fmt((gen['sqlite'] or {}).get('published'))} on SQLite, "
        f"{fmt((export or {}).get('rows'))} rows in Datasette's table."
    )
    out(
        f"- Servers: gunicorn, {meta.get('workers', '?')} sync workers, persistent DB "
        "connections, DEBUG off, the cache disabled (`bench/bench_settings_nocache.py`) "
        "except on the server marked *cached* (the project's settings, with a Redis "
        "shared by its workers as in production: `BENCH_REDIS_URL`, by default "
        "redis://127.0.0.1:6379/13, emptied when it starts); every request sends "
        "`Accept-Encoding: gzip`, as browsers do; Datasette "
        f"{versions.get('datasette', '')} `serve -i` "
        "(immutable) with facet and SQL time limits raised to 60 s so that it computes every "
        "facet, suggested facets off. Load: wrk, 1 thread, for "
        f"at least {meta.get('duration', '?')} s per run (longer for slow pages, up to 20 s, to "
        "get about 10 requests), at 1 connection (a request alone) and at "
        f"{conc} connections (saturated), all on 127.0.0.1."
    )
    out("")

    # Targets ---------------------------------------------------------------------------
    out("## Targets")
    out("")
    out(
        f"Headline query: `{bench_queries.practices_path(qs[2])}` (q + two filters, every facet "
        "computed). *Uncached* is the cache disabled, as for a search not seen before: every "
        "request runs its ranked search query and counts its facets (each worker still keeps "
        "its facet index in memory); *cached* is the project's own settings, where whole "
        "responses to anonymous GETs are cached under the URL, language and content version "
        "(`micic/response_cache.py`), so a repeated search is one cache read."
    )
    out("")
    out("| target | measured | met? |")
    out("|---|---|---|")
    for target in ("postgresql", "postgresql-cached"):
        for connections in sorted({1, conc}):
            run = run_for(runs, key, target, connections)
            if not run:
                continue
            has = run["requests"] > 0
            ok = has and run["p95_ms"] <= P95_TARGET_MS
            measured = f"p95 {fmt(run['p95_ms'])} ms" if has else "no request completed"
            out(
                f"| {TARGET_LABELS[target]}, p95 ≤ {P95_TARGET_MS:.0f} ms at {connections} "
                f"connection{'s' if connections > 1 else ''} | {measured} | "
                f"{'yes' if ok else '**no**'} |"
            )
    for target in ("datasette-json", "datasette-html"):
        ds = run_for(runs, key, target, conc)
        for ours_target in ("postgresql", "postgresql-cached", "api-postgresql"):
            ours = run_for(runs, key, ours_target, conc)
            if ds and ours and ds["rps"]:
                ratio = ours["rps"] / ds["rps"]
                cpu = ""
                if ours.get("cpu_ms_per_request") and ds.get("cpu_ms_per_request"):
                    cpu_ratio = ds["cpu_ms_per_request"] / ours["cpu_ms_per_request"]
                    cpu = (
                        f" (CPU per request {fmt(ours['cpu_ms_per_request'])} vs "
                        f"{fmt(ds['cpu_ms_per_request'])} ms: {cpu_ratio:.2f}× cheaper)"
                    )
                out(
                    f"| {TARGET_LABELS[ours_target]} ≥ {RATIO_TARGET:.0f}× "
                    f"{TARGET_LABELS[target]} throughput, same query, {conc} connections | "
                    f"{fmt(ours['rps'], 2)} vs {fmt(ds['rps'], 2)} req/s = "
                    f"**{ratio:.2f}×**{cpu} | {'yes' if ratio >= RATIO_TARGET else '**no**'} |"
                )
    out("")
    out(issue16_section(http, runs, conc, key))

    # HTTP table -------------------------------------------------------------------------
    out("## Latency and throughput over HTTP")
    out("")
    out(
        "Latency in ms (p50 / p95 / p99) at 1 connection; throughput in requests per second "
        f"at {conc} connections, with its p95. `n` is the number of requests measured at "
        "1 connection. Result counts are those shown by each page (`count`)."
    )
    out("")
    out(
        "`CPU/req` is the CPU time the server spent per request at "
        f"{conc} connections (gunicorn workers, or Datasette, plus the PostgreSQL backends "
        "serving them), read from /proc: unlike latency it hardly changes when other work "
        "shares the machine."
    )
    out("")
    out(
        f"| query | server | count | p50 | p95 | p99 | n | req/s ({conc} conn.) | "
        f"p95 ({conc} conn.) | CPU/req ms | errors |"
    )
    out("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for query in qs:
        for target in TARGET_LABELS:
            one = run_for(runs, query["key"], target, 1)
            many = run_for(runs, query["key"], target, conc)
            pre = http["preflight"].get(f"{query['key']}/{target}")
            if pre and pre.get("too_slow"):
                out(
                    f"| {query['label']} | {TARGET_LABELS[target]} | {fmt(pre.get('count'))} | "
                    f"one request alone took {fmt(pre['first_ms'] / 1000)} s, then "
                    f"{fmt(pre['second_ms'] / 1000)} s: not load-tested | | | | | | | |"
                )
                continue
            if not one and not many:
                if pre and pre.get("status") != 200:
                    out(
                        f"| {query['label']} | {TARGET_LABELS[target]} | HTTP "
                        f"{pre.get('status')} | | | | | | | | |"
                    )
                continue
            errors = (one or {}).get("errors", 0) + (many or {}).get("errors", 0)
            # A run in which no request completed has no latency to show.
            one = one if one and one["requests"] else {}
            if many and not many["requests"]:
                many = {"rps": f"none in {many['duration_s']} s"}
            out(
                f"| {query['label']} | {TARGET_LABELS[target]} | {fmt((pre or {}).get('count'))} | "
                f"{fmt((one or {}).get('p50_ms'))} | {fmt((one or {}).get('p95_ms'))} | "
                f"{fmt((one or {}).get('p99_ms'))} | {fmt((one or {}).get('requests'))} | "
                f"{fmt((many or {}).get('rps'), 2)} | {fmt((many or {}).get('p95_ms'))} | "
                f"{fmt((many or {}).get('cpu_ms_per_request'))} | {errors} |"
            )
    if not http.get("api"):
        out("")
        out(
            "The JSON API (`/api/v1/practices/`) did not answer in this run, so it is not measured."
        )
    out("")

    # Facets -----------------------------------------------------------------------------
    out("## Facet computation alone (in-process)")
    out("")
    out(
        "`PracticeSearch(filterset).facets(FACET_NAMES)` timed in one Python "
        "process, no HTTP, for the same query strings (ms). Then each facet computed alone "
        "(best of 2, ms). The deep page has the list's facets."
    )
    out("")
    out(
        "| query | database | p50 | p95 | p99 | runs | "
        + " | ".join(
            [
                "phase",
                "stakeholder",
                "crisis_type",
                "guideline",
                "principle",
                "country",
                "region",
                "year",
            ]
        )
        + " |"
    )
    out("|---|---|---:|---:|---:|---:|" + "---:|" * 8)
    for query in qs:
        for vendor in ("sqlite", "postgresql"):
            data = (inproc[vendor] or {}).get("facets", {}).get(query["key"])
            if not data:
                continue
            per = data["per_facet_ms"]
            out(
                f"| {query['label']} | {vendor} | {fmt(data['p50_ms'])} | {fmt(data['p95_ms'])} | "
                f"{fmt(data['p99_ms'])} | {data['n']} | "
                + " | ".join(fmt(per.get(name)) for name in per)
                + " |"
            )
    out("")

    # Request profile ---------------------------------------------------------------------
    out("## Where a request's time goes (one request, in-process, Django test client)")
    out("")
    out("| query | database | wall ms | SQL ms | SQL queries |")
    out("|---|---|---:|---:|---:|")
    for query in qs:
        for vendor in ("sqlite", "postgresql"):
            data = (inproc[vendor] or {}).get("requests", {}).get(query["key"])
            if data:
                out(
                    f"| {query['label']} | {vendor} | {fmt(data['wall_ms'])} | "
                    f"{fmt(data['sql_ms'])} | {data['sql_queries']} |"
                )
    pg_key = ((inproc["postgresql"] or {}).get("requests") or {}).get(key)
    if pg_key:
        out("")
        out(f"Slowest SQL of the headline query on PostgreSQL (`{pg_key['path']}`):")
        out("")
        for item in pg_key["slowest_sql"][:4]:
            out(f"- {item['ms']} ms: `{item['sql'][:300]}…`")
        if (inproc["postgresql"] or {}).get("explain_file"):
            out("")
            out(
                f"EXPLAIN (ANALYZE, BUFFERS) of these: `{inproc['postgresql']['explain_file']}` "
                "(written by the run, not committed)."
            )
    out("")

    # Generation --------------------------------------------------------------------------
    out("## Building the data")
    out("")
    out("| step | SQLite | PostgreSQL |")
    out("|---|---:|---:|")
    steps = [
        ("synthesize_s", "generate the synthetic records (once, shared)"),
        ("migrate_s", "migrate"),
        ("load_content_s", "load_content() (real taxonomies and practices)"),
        ("bulk_insert_s", "bulk_create practices and M2M rows"),
        ("reindex_s", "repository.search.reindex() of everything"),
        ("analyze_s", "VACUUM ANALYZE"),
    ]
    for step, label in steps:
        values = [
            ((gen[v] or {}).get("timings_s") or {}).get(step) for v in ("sqlite", "postgresql")
        ]
        if any(v for v in values):
            out(f"| {label} | {fmt(values[0])} s | {fmt(values[1])} s |")
    sizes = [(gen[v] or {}).get("database_bytes") for v in ("sqlite", "postgresql")]
    out(
        "| database size | "
        + " | ".join(f"{s / 2**20:,.0f} MiB" if s else "–" for s in sizes)
        + " |"
    )
    links = (gen["postgresql"] or gen["sqlite"] or {}).get("links")
    if links:
        out("")
        out(
            "Many-to-many rows of the synthetic practices: "
            + ", ".join(f"{name} {count:,}" for name, count in links.items())
            + "."
        )
    if export:
        out("")
        out(
            f"Datasette export: {export['rows']:,} rows, {export['export_s']} s, "
            f"{export['bytes'] / 2**20:,.0f} MiB."
        )
    out("")

    # Equivalent queries ---------------------------------------------------------------
    out("## The equivalent Datasette queries")
    out("")
    out(
        "One denormalised table, one row per published practice, tag columns as JSON arrays "
        "(`stakeholders` holds each tag and its parent, so that `states` finds host States as "
        "the app's filter does; `regions` derived from the countries), FTS5 (porter) over "
        "title, summary, body and tag names. Datasette's facets are conjunctive (every facet "
        "counted with every filter), the app's disjunctive (each facet without its own "
        "filter) — the app does more work for the same page. Datasette's page has no snippets."
    )
    out("")
    for query in qs:
        path = bench_queries.datasette_path(query, "json")
        if path:
            out(f"- {query['label']}: `{path}`")
    out("")

    analysis = BENCH_DIR / "analysis.md"
    if analysis.exists():
        out(analysis.read_text(encoding="utf-8").strip())
        out("")

    out("## Reproducing")
    out("")
    out("```")
    out(args.command)
    out("```")
    out("")
    out(
        "It needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth; BENCH_PG_URL "
        "overrides), and installs wrk with apt-get and gunicorn and Datasette into "
        "bench/out/ virtualenvs when missing. See bench/README.md."
    )
    return "\n".join(lines) + "\n"


def console_table(args):
    http = load("http.json", {"runs": []})
    print()
    print(
        f"{'query':16} {'server':16} {'conn':>4} {'req/s':>9} {'p50':>8} {'p95':>8} "
        f"{'p99':>8} {'n':>6} {'cpu/req':>8}"
    )
    for run in http["runs"]:
        print(
            f"{run['query']:16} {run['target']:16} {run['connections']:>4} {run['rps']:>9.2f} "
            f"{run['p50_ms']:>8.1f} {run['p95_ms']:>8.1f} {run['p99_ms']:>8.1f} "
            f"{run['requests']:>6} {run.get('cpu_ms_per_request') or 0:>8.1f}"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--command", default="bench/run.sh")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--doc", type=Path, default=PROJECT_DIR / "docs" / "performance.md")
    args = parser.parse_args()
    console_table(args)
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    text = build(args)
    # The load test's section belongs to bench/load/report.py: kept as it was.
    old = args.doc.read_text(encoding="utf-8") if args.doc.exists() else ""
    begin, end = "<!-- load-test:begin", "<!-- load-test:end -->"
    if begin in old and end in old:
        kept = old[old.index(begin) : old.index(end) + len(end)]
        text = text.rstrip("\n") + "\n\n" + kept + "\n"
    args.doc.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.doc.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
