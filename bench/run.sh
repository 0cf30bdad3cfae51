#!/usr/bin/env bash
# Practice-search benchmark, end to end: bench/run.sh [N]   (default N=100000)
#
# Builds N synthetic practices on a SQLite file under bench/out/ and on the PostgreSQL
# database micic_bench (never the default db.sqlite3), exports them for Datasette, times
# the facet computation in-process, serves the app (gunicorn) and Datasette on 127.0.0.1
# and loads them with wrk, then prints a table and writes docs/performance.md.
#
# Environment: BENCH_PG_URL (server, default postgres://postgres@127.0.0.1:5432),
# BENCH_PG_DB (micic_bench), BENCH_DURATION (seconds per wrk run, 10),
# BENCH_CONNECTIONS (4), BENCH_WORKERS (gunicorn workers, 4),
# BENCH_REUSE=1 (keep databases already built for this N), BENCH_PORT (first of four
# ports, 8411), BENCH_REDIS_URL (the cached server's Redis, emptied: redis://…/13),
# BENCH_BUILD_ONLY=1 (build the databases, then stop: bench/load/run.sh needs only them).
set -euo pipefail

N="${1:-100000}"
[[ "$N" =~ ^[0-9]+$ ]] || { echo "usage: bench/run.sh [N]" >&2; exit 2; }
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/out"
PY="$ROOT/.venv/bin/python"
PG_SERVER="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PG_DB="${BENCH_PG_DB:-micic_bench}"
PG_URL="$PG_SERVER/$PG_DB"
SQLITE="$OUT/bench-$N.sqlite3"
SQLITE_URL="sqlite:///$SQLITE"
DURATION="${BENCH_DURATION:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-4}"
WORKERS="${BENCH_WORKERS:-4}"
COMMAND="bench/run.sh $N"
STARTED=$SECONDS

[[ "$PG_DB" == micic_bench* ]] || { echo "BENCH_PG_DB must start with micic_bench" >&2; exit 2; }
[[ -x "$PY" ]] || { echo "No project virtualenv: run 'make setup' first." >&2; exit 2; }
mkdir -p "$OUT"
cd "$ROOT"

export DJANGO_SECRET_KEY="bench-only-not-secret"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
export DJANGO_LOG_LEVEL="ERROR"
export PYTHONPATH="$ROOT"
unset DJANGO_DEBUG

step() { printf '\n== %s (%ds)\n' "$*" "$((SECONDS - STARTED))"; }

step "tools"
if ! command -v wrk >/dev/null; then
  echo "installing wrk with apt-get"
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
BASE_PY="$("$PY" -c 'import sys; print(sys._base_executable)')"
if [[ ! -x "$OUT/venv/bin/gunicorn" ]]; then
  "$BASE_PY" -m venv "$OUT/venv"
  "$OUT/venv/bin/pip" install -q --disable-pip-version-check gunicorn
fi
if [[ ! -x "$OUT/datasette-venv/bin/datasette" ]]; then
  "$BASE_PY" -m venv "$OUT/datasette-venv"
  "$OUT/datasette-venv/bin/pip" install -q --disable-pip-version-check datasette sqlite-utils
fi
# The pages need the hashed static files, as for `make run`.
"$PY" manage.py collectstatic --no-input --verbosity 0

step "data: $N synthetic practices"
DATA="$OUT/synthetic-$N.jsonl"
timeout 600 "$PY" -m bench.generate --n "$N" --data "$DATA" --stats /dev/null --data-only
if [[ "${BENCH_REUSE:-0}" == 1 && -f "$OUT/ready-sqlite-$N" && -f "$OUT/ready-postgresql-$N" ]]; then
  echo "reusing the databases built for N=$N"
else
  rm -f "$OUT/ready-sqlite-$N" "$OUT/ready-postgresql-$N" "$SQLITE" "$SQLITE"-*
  "$PY" - "$PG_SERVER/postgres" "$PG_DB" <<'EOF'
import sys, psycopg
from psycopg import sql
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(sys.argv[2])))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(sys.argv[2])))
EOF
  # Both databases at once: each loader is one Python process, and there are two cores.
  DATABASE_URL="$SQLITE_URL" timeout 1800 "$PY" -m bench.generate --n "$N" --data "$DATA" \
    --stats "$OUT/gen-sqlite.json" > "$OUT/gen-sqlite.log" 2>&1 &
  SQLITE_PID=$!
  DATABASE_URL="$PG_URL" timeout 1800 "$PY" -m bench.generate --n "$N" --data "$DATA" \
    --stats "$OUT/gen-postgresql.json" > "$OUT/gen-postgresql.log" 2>&1 &
  PG_PID=$!
  trap 'kill "$SQLITE_PID" "$PG_PID" 2>/dev/null || true' EXIT
  ok=1
  wait "$SQLITE_PID" || { ok=0; echo "SQLite load failed:"; tail -20 "$OUT/gen-sqlite.log"; }
  wait "$PG_PID" || { ok=0; echo "PostgreSQL load failed:"; tail -20 "$OUT/gen-postgresql.log"; }
  trap - EXIT
  [[ $ok == 1 ]] || exit 1
  grep -h '_s:' "$OUT/gen-sqlite.log" | sed 's/^/  sqlite    /'
  grep -h '_s:' "$OUT/gen-postgresql.log" | sed 's/^/  postgres  /'
  touch "$OUT/ready-sqlite-$N" "$OUT/ready-postgresql-$N"
fi

if [[ "${BENCH_BUILD_ONLY:-0}" == 1 ]]; then
  echo "databases ready for N=$N ($((SECONDS - STARTED)) s)"; exit 0
fi

step "Datasette export"
timeout 900 "$OUT/datasette-venv/bin/python" -m bench.export_datasette "$SQLITE" \
  "$OUT/datasette/practices.db" | tee "$OUT/datasette-export.json"

step "facet computation in-process"
for vendor in sqlite postgresql; do
  url="$SQLITE_URL"; [[ $vendor == postgresql ]] && url="$PG_URL"
  echo "$vendor"
  DATABASE_URL="$url" timeout 900 "$PY" -m bench.inproc --n "$N" --out "$OUT/inproc-$vendor.json"
done

step "versions"
"$PY" - "$OUT/meta.json" "$PG_URL" "$DURATION" "$WORKERS" "$CONNECTIONS" <<'EOF'
import json, subprocess, sqlite3, sys, platform
from datetime import datetime, UTC
import django, psycopg
out, pg_url, duration, workers, connections = sys.argv[1:6]
def run(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return ""
def pip_version(venv, name):
    text = run(f"bench/out/{venv}/bin/pip", "show", name)
    return next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Version:")), "?")
with psycopg.connect(pg_url) as conn:
    pg = conn.execute("SHOW server_version").fetchone()[0]
commit = run("git", "rev-parse", "--short", "HEAD") or "unknown"
dirty = run("git", "status", "--porcelain")
meta = {
    "date": datetime.now(UTC).isoformat(timespec="seconds"),
    "git": commit + (" with uncommitted changes in the work tree" if dirty else ""),
    "loadavg_start": float(open("/proc/loadavg").read().split()[0]),
    "duration": int(duration), "workers": int(workers), "connections": int(connections),
    "versions": {
        "Python": platform.python_version(), "Django": django.get_version(),
        "PostgreSQL": pg, "SQLite": sqlite3.sqlite_version, "psycopg": psycopg.__version__,
        "gunicorn": pip_version("venv", "gunicorn"),
        "datasette": pip_version("datasette-venv", "datasette"),
        "sqlite-utils": pip_version("datasette-venv", "sqlite-utils"),
        "wrk": (run("wrk", "-v").splitlines() or ["?"])[0].split(" [")[0].replace("wrk ", ""),
    },
}
json.dump(meta, open(out, "w"), indent=2)
print(json.dumps(meta["versions"]))
EOF

step "HTTP load: app on SQLite and PostgreSQL, Datasette"
timeout 3000 "$PY" -m bench.driver --n "$N" --sqlite-url "$SQLITE_URL" --postgres-url "$PG_URL" \
  --datasette-db "$OUT/datasette/practices.db" --workers "$WORKERS" \
  --connections "$CONNECTIONS" --duration "$DURATION" --out "$OUT/http.json"

step "report"
"$PY" -m bench.report --n "$N" --command "$COMMAND" --connections "$CONNECTIONS"
echo "total: $((SECONDS - STARTED)) s"
