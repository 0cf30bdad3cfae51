#!/usr/bin/env bash
# Load test (issue 6, item 8): bench/load/run.sh
#
# Serves the project with gunicorn (gunicorn.conf.py, as in production) on the PostgreSQL
# benchmark database micic_bench, which bench/run.sh has already filled (100,000 synthetic
# practices, indexed): this script never creates, drops or regenerates it. Then locust,
# headless, 50 users for 60 s with the mix in bench/load/locustfile.py; then the per-type
# table goes into the "Load test" section of docs/performance.md (only that section).
#
# Environment: LOAD_USERS (50), LOAD_SPAWN_RATE (10/s), LOAD_DURATION (60s), LOAD_PORT
# (8420), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_PG_DB (micic_bench),
# WEB_CONCURRENCY / GUNICORN_THREADS (gunicorn.conf.py's defaults: 2×cores+1 ≤ 8, 4),
# REDIS_URL (default redis://127.0.0.1:6379/14 when a Redis answers there, as in
# production: docs/deploy.md; that database is emptied first; LOAD_NO_REDIS=1 for none).
# Locust is installed into bench/out/load-venv, gunicorn into bench/out/venv; nothing is
# added to the project's dependencies. All traffic goes to 127.0.0.1; every step is
# bounded in time.
set -euo pipefail

LOAD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$LOAD")"
ROOT="$(dirname "$BENCH")"
OUT="$BENCH/out/load"
PY="$ROOT/.venv/bin/python"
USERS="${LOAD_USERS:-50}"
SPAWN="${LOAD_SPAWN_RATE:-10}"
DURATION="${LOAD_DURATION:-60s}"
PORT="${LOAD_PORT:-8420}"
PG_DB="${BENCH_PG_DB:-micic_bench}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}/$PG_DB"
HOST="http://127.0.0.1:$PORT"

[[ "$PG_DB" == micic_bench* ]] || { echo "BENCH_PG_DB must start with micic_bench" >&2; exit 2; }
[[ -x "$PY" ]] || { echo "No project virtualenv: run 'make setup' first." >&2; exit 2; }
mkdir -p "$OUT"
cd "$ROOT"

export DATABASE_URL="$PG_URL"
export DJANGO_SECRET_KEY="bench-only"
export DJANGO_ALLOWED_HOSTS="127.0.0.1"
export DJANGO_SETTINGS_MODULE="micic.settings"
export DJANGO_CONN_MAX_AGE="${DJANGO_CONN_MAX_AGE:-60}"   # docs/deploy.md's recommendation
# All the load comes from one address and one token: raise the API throttles, or the
# test measures the throttle. (The HTML submission form's rate limit is not on this path.)
export DJANGO_API_THROTTLE_ANON="100000/min"
export DJANGO_API_THROTTLE_USER="100000/min"
export DJANGO_LOG_LEVEL="${DJANGO_LOG_LEVEL:-WARNING}"
export PYTHONPATH="$ROOT"
unset DJANGO_DEBUG DJANGO_PRODUCTION  # PRODUCTION would redirect plain HTTP to HTTPS

# Tools, outside the project's dependencies.
BASE_PY="$("$PY" -c 'import sys; print(sys._base_executable)')"
if [[ ! -x "$BENCH/out/load-venv/bin/locust" ]]; then
  "$BASE_PY" -m venv "$BENCH/out/load-venv"
  timeout 600 "$BENCH/out/load-venv/bin/pip" install -q --disable-pip-version-check locust
fi
if [[ ! -x "$BENCH/out/venv/bin/gunicorn" ]]; then
  "$BASE_PY" -m venv "$BENCH/out/venv"
  timeout 600 "$BENCH/out/venv/bin/pip" install -q --disable-pip-version-check gunicorn
fi

if [[ -z "${REDIS_URL:-}" && "${LOAD_NO_REDIS:-0}" != 1 ]] && \
   redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export REDIS_URL="redis://127.0.0.1:6379/14"
fi
if [[ -n "${REDIS_URL:-}" ]]; then
  "$PY" -c 'import os, redis; redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()'
  echo "cache: $REDIS_URL (emptied)"
fi

echo "== static files, fixtures"
timeout 300 "$PY" manage.py collectstatic --no-input --verbosity 0
timeout 300 "$PY" -m bench.load.prepare "$OUT/fixtures.json"
BEFORE_SUBMITTED="$(timeout 60 "$PY" manage.py shell -v 0 -c \
  'from repository.models import Practice; print(Practice.objects.count())')"

echo "== gunicorn on $HOST"
if curl -s -o /dev/null --max-time 2 "$HOST/healthz"; then
  echo "something already answers on $HOST; set LOAD_PORT" >&2; exit 1
fi
: > "$OUT/gunicorn.log"
timeout 900 "$PY" -m bench.gunicorn_launch -c "$ROOT/gunicorn.conf.py" \
  --bind "127.0.0.1:$PORT" >> "$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
stop_gunicorn() {
  if kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
}
trap stop_gunicorn EXIT
for i in $(seq 1 60); do
  curl -sf -o /dev/null --max-time 2 "$HOST/healthz" && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -30 "$OUT/gunicorn.log"; exit 1; }
  [[ $i == 60 ]] && { echo "gunicorn did not answer /healthz in 30 s" >&2; tail -30 "$OUT/gunicorn.log"; exit 1; }
  sleep 0.5
done
# One request of each kind first, so that no worker pays its first-request costs
# (imports, connection) inside the measured minute.
for path in / /practices/ /api/v1/guidelines/ "/api/v1/practices/?facets=all"; do
  for _ in 1 2 3 4 5; do curl -s -o /dev/null --max-time 60 "$HOST$path"; done
done

echo "== locust: $USERS users, spawn $SPAWN/s, $DURATION"
COMMAND="locust -f bench/load/locustfile.py --headless -u $USERS -r $SPAWN -t $DURATION --host $HOST --csv bench/out/load/locust --only-summary"
LOAD1_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
rc=0
LOAD_FIXTURES="$OUT/fixtures.json" timeout 300 "$BENCH/out/load-venv/bin/locust" \
  -f "$LOAD/locustfile.py" --headless -u "$USERS" -r "$SPAWN" -t "$DURATION" \
  --host "$HOST" --csv "$OUT/locust" --only-summary --stop-timeout 30 \
  --exit-code-on-error 1 > "$OUT/locust.log" 2>&1 || rc=$?
LOAD1_AFTER="$(cut -d' ' -f1 /proc/loadavg)"
tail -40 "$OUT/locust.log"

stop_gunicorn
trap - EXIT
AFTER_SUBMITTED="$(timeout 60 "$PY" manage.py shell -v 0 -c \
  'from repository.models import Practice; print(Practice.objects.count())')"

# Saved, so that the section can be rewritten from the same run:
#   bash -c "$(cat bench/out/load/report-command)"
printf '%q ' "$PY" -m bench.load.report --out "$OUT" --doc "$ROOT/docs/performance.md" \
  --command "bench/load/run.sh   # runs: $COMMAND" --users "$USERS" --duration "$DURATION" \
  --load-before "$LOAD1_BEFORE" --load-after "$LOAD1_AFTER" \
  --practices-before "$BEFORE_SUBMITTED" --practices-after "$AFTER_SUBMITTED" \
  --locust-exit "$rc" > "$OUT/report-command"
"$PY" -m bench.load.report --out "$OUT" --doc "$ROOT/docs/performance.md" \
  --command "bench/load/run.sh   # runs: $COMMAND" --users "$USERS" --duration "$DURATION" \
  --load-before "$LOAD1_BEFORE" --load-after "$LOAD1_AFTER" \
  --practices-before "$BEFORE_SUBMITTED" --practices-after "$AFTER_SUBMITTED" \
  --locust-exit "$rc"
exit "$rc"
