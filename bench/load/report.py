"""Write the load test's results into the "Load test" section of docs/performance.md.

Reads locust's CSV files and gunicorn's access log from bench/out/load/. Replaces only the
text between the two markers below (appending the section if the file has none, creating
the file if it does not exist); the rest of docs/performance.md is left as it is.
"""

import argparse
import csv
import os
import platform
import re
import subprocess
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

BEGIN = "<!-- load-test:begin (bench/load/report.py writes this section) -->"
END = "<!-- load-test:end -->"

ORDER = [
    "browse:home",
    "browse:guideline",
    "browse:phase",
    "browse:practice",
    "search:facets",
    "api:list-facets",
    "api:detail",
    "api:guidelines",
    "export:csv",
    "submit:api",
    "Aggregated",
]
DESCRIPTION = {
    "browse:home": "`/`",
    "browse:guideline": "`/guidelines/N/`",
    "browse:phase": "`/phases/<slug>/`",
    "browse:practice": "`/practices/<id>-<slug>/` (2,000 random published)",
    "search:facets": "`/practices/?q=…&phase=…[&stakeholder=…]`, all facets",
    "api:list-facets": "`/api/v1/practices/?q=…&phase=…&facets=all`",
    "api:detail": "`/api/v1/practices/{id}/`",
    "api:guidelines": "`/api/v1/guidelines/`",
    "export:csv": "`/api/v1/practices/?format=csv&q=…&phase=…&crisis_type=…&stakeholder=…`",
    "submit:api": "`POST /api/v1/submissions/` (token)",
    "Aggregated": "all requests",
}


def run(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
    }


def versions(root: Path) -> dict:
    import django

    def pip_version(venv: str, name: str) -> str:
        text = run(str(root / "bench" / "out" / venv / "bin" / "pip"), "show", name)
        return next(
            (
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.startswith("Version:")
            ),
            "?",
        )

    pg = "?"
    try:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - a version string is not worth failing the report
        pass
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": pip_version("venv", "gunicorn"),
        "locust": pip_version("load-venv", "locust"),
        "postgresql": pg,
    }


def gunicorn_settings() -> str:
    cpus = os.cpu_count() or 1
    workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * cpus + 1, 8))
    threads = int(os.environ.get("GUNICORN_THREADS") or 4)
    return f"{workers} workers × {threads} threads (gunicorn.conf.py)"


def ms(value: str) -> str:
    try:
        return f"{float(value):,.0f}"
    except ValueError:
        return value


def table(out: Path) -> tuple[list[str], dict]:
    rows = {r["Name"]: r for r in csv.DictReader((out / "locust_stats.csv").open())}
    lines = [
        "| request type | what | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name in ORDER + sorted(set(rows) - set(ORDER)):
        r = rows.get(name)
        if r is None:
            continue
        label = f"**{name}**" if name == "Aggregated" else f"`{name}`"
        lines.append(
            f"| {label} | {DESCRIPTION.get(name, '')} | {int(r['Request Count']):,} "
            f"| {int(r['Failure Count']):,} | {ms(r['50%'])} | {ms(r['95%'])} "
            f"| {ms(r['99%'])} | {ms(r['Max Response Time'])} "
            f"| {float(r['Requests/s']):.1f} |"
        )
    return lines, rows


def failures(out: Path) -> list[str]:
    path = out / "locust_failures.csv"
    if not path.exists():
        return []
    return [
        f"- `{r['Name']}` ×{r['Occurrences']}: {r['Error']}" for r in csv.DictReader(path.open())
    ]


def status_codes(out: Path) -> Counter:
    codes = Counter()
    log = out / "gunicorn.log"
    if log.exists():
        for line in log.open(errors="replace"):
            m = re.search(r'" (\d{3}) ', line)
            if m:
                codes[m.group(1)] += 1
    return codes


def analysis() -> list[str]:
    """bench/load/analysis.md, hand-written: why the figures are what they are."""
    path = Path(__file__).resolve().parent / "analysis.md"
    if not path.exists():
        return []
    return [path.read_text(encoding="utf-8").strip(), ""]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--doc", type=Path, required=True)
    p.add_argument("--command", required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--duration", required=True)
    p.add_argument("--load-before", default="?")
    p.add_argument("--load-after", default="?")
    p.add_argument("--practices-before", default="?")
    p.add_argument("--practices-after", default="?")
    p.add_argument("--locust-exit", default="?")
    args = p.parse_args()
    root = Path(__file__).resolve().parents[2]

    lines, rows = table(args.out)
    agg = rows.get("Aggregated", {})
    total_failures = int(agg.get("Failure Count", 0) or 0)
    fails = failures(args.out)
    codes = status_codes(args.out)
    m = machine()
    v = versions(root)
    errors_5xx = sum(n for code, n in codes.items() if code.startswith("5"))
    codes_text = ", ".join(f"{code}: {n:,}" for code, n in sorted(codes.items()))

    section = [
        BEGIN,
        "## Load test",
        "",
        f"A realistic mix at **{args.users} concurrent users for {args.duration}** against "
        "gunicorn and PostgreSQL holding the 100,000 synthetic practices (plus the real ones) "
        "built by `bench/run.sh`; script `bench/load/locustfile.py`, runner "
        "`bench/load/run.sh`. Each user waits 1–3 s between actions (think time), so the "
        "request rate is what 50 active people and tools produce, not a saturation test. "
        f"Result: **{total_failures} failed requests**"
        + (
            f" and **{errors_5xx} server errors (5xx)** in gunicorn's log."
            if errors_5xx
            else " and no server error (5xx) in gunicorn's log."
        ),
        "",
        *lines,
        "",
        "Times are locust's, client side, in milliseconds (locust rounds percentiles to two "
        "significant figures above 100 ms). Task weights (per 106 actions): practice page 20, "
        "search with facets 20, API list with facets 10, API detail 10, home 5, guideline 5, "
        "phase 5, API guidelines 5, CSV export 4, submission 2. Search words are the 60 "
        "commonest words of the real practices' titles and summaries; filters are drawn at "
        "random from the phases, stakeholders and crisis types. The CSV export is narrowed "
        "(q + phase + crisis type + stakeholder, so each export is bounded); exporting all 100,000 "
        "practices as one CSV is a different scenario, not measured here.",
        "",
        "Failures (locust's error report; HTTP 0 = no response within the 30 s client timeout):"
        if fails
        else "Failures: none.",
        *fails,
        "",
        *analysis(),
        f"- Status codes in gunicorn's access log (warm-up included): {codes_text or 'none'}.",
        f"- Submissions created (submitted, non-public, in `micic_bench`): practices "
        f"{args.practices_before} → {args.practices_after}.",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, Linux {m['kernel']}; "
        f"locust, gunicorn and PostgreSQL share it. Load average (1 min) "
        f"{args.load_before} before, {args.load_after} after.",
        f"- Server: {gunicorn_settings()}, gthread workers, "
        f"`DJANGO_CONN_MAX_AGE={os.environ.get('DJANGO_CONN_MAX_AGE', '0')}`, "
        + (
            f"Redis cache (`REDIS_URL={os.environ['REDIS_URL']}`, emptied first), "
            if os.environ.get("REDIS_URL")
            else "local-memory cache (no Redis), "
        )
        + "API throttles raised to 100000/min (all load comes from one "
        "address and one token); `DEBUG` off.",
        f"- Versions: Python {v['python']}, Django {v['django']}, gunicorn {v['gunicorn']}, "
        f"locust {v['locust']}, PostgreSQL {v['postgresql']}.",
        f"- Run {datetime.fromtimestamp((args.out / 'locust_stats.csv').stat().st_mtime, UTC):%Y-%m-%d %H:%M} UTC, locust exit code {args.locust_exit}. "  # noqa: E501
        "Command:",
        "",
        f"      {args.command}",
        END,
    ]
    text = "\n".join(section) + "\n"

    doc = args.doc
    if doc.exists():
        current = doc.read_text(encoding="utf-8")
        if BEGIN in current and END in current:
            head, rest = current.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            new = head + text + ("\n" + tail if tail else "")
        else:
            new = current.rstrip("\n") + "\n\n" + text
    else:
        doc.parent.mkdir(parents=True, exist_ok=True)
        new = "# Performance\n\n" + text
    doc.write_text(new, encoding="utf-8")
    # A copy of the section alone: bench/report.py rewrites docs/performance.md whole.
    (args.out / "section.md").write_text(text, encoding="utf-8")
    print("\n".join(lines))
    print(f"failures: {total_failures}; status codes: {codes_text}; wrote {doc}")


if __name__ == "__main__":
    main()
