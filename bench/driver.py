"""Serve the app on each benchmark database, and Datasette, and load them with wrk.

Started by bench/run.sh (which prepares the databases); standard library only. Every
server listens on 127.0.0.1 and is stopped by its process group id at the end; every
load run is bounded in time (wrk -d) and every wait loop in count and time.

For each query of bench/queries.py, side by side: the app on SQLite, the app on
PostgreSQL, the JSON API on both for the headline query when the API exists, and
Datasette's equivalent (JSON, and HTML for the headline query); each at 1 connection
(latency of a request alone) and at --connections (throughput with the server
saturated), with the CPU time the server spent per request.
"""

import argparse
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import queries as bench_queries

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"

# The cached server's Redis (BENCH_REDIS_URL; "" for the per-process memory cache).
CACHED_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
HOST = "127.0.0.1"
# Four consecutive ports from BENCH_PORT (8411), so that two benchmarks can run at once.
BASE_PORT = int(os.environ.get("BENCH_PORT", "8411"))
PORTS = {
    name: BASE_PORT + n
    for n, name in enumerate(("sqlite", "postgresql", "datasette", "postgresql-cached"))
}
# A request slower than this alone is timed once, not load-tested (it would take minutes).
SLOW_S = 8.0
MIN_SAMPLES = 10
MAX_DURATION = 20
COUNT_RE = re.compile(r'id="result-count"[^>]*>\s*([\d,]+)\s+practice')


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> dict[int, float]:
    """User + system CPU seconds of each process (all its threads), from /proc."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return seconds


def group_pids(pgid: int) -> list[int]:
    """The processes of one process group: a server and its workers."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU time the servers spend, their PostgreSQL backends included.

    Other work on a shared machine slows a server down but does not add to its own CPU
    time, so CPU ms per request is a measure of cost that neighbours hardly disturb.
    """

    def __init__(self, postgres_url: str):
        import psycopg  # the project's environment has it

        self.conn = psycopg.connect(postgres_url, autocommit=True)
        self.dbname = self.conn.info.dbname

    def backends(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [self.dbname],
        ).fetchall()
        return [row[0] for row in rows]

    def snapshot(self, server: "Server") -> dict[int, float]:
        pids = group_pids(server.proc.pid)
        if server.vendor == "postgresql":
            pids += self.backends()
        return cpu_seconds(pids)

    @staticmethod
    def spent(before: dict, after: dict) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())

    def close(self):
        self.conn.close()


class Server:
    def __init__(self, name, vendor, argv, env, log):
        self.name, self.vendor, self.argv, self.env, self.log = name, vendor, argv, env, log
        self.proc = None

    def start(self):
        handle = open(self.log, "w")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.argv,
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path, timeout=90.0):
        deadline = time.monotonic() + timeout
        for _ in range(int(timeout * 4)):
            if time.monotonic() > deadline:
                break
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=30) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise SystemExit(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    def url(self, path):
        return f"http://{HOST}:{PORTS[self.name]}{path}"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # this server's own process group
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def app_server(name, database_url, workers, *, cached):
    """gunicorn serving the project; without ``cached``, with a dummy cache."""
    vendor = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "micic.settings" if cached else "bench.bench_settings_nocache",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_DEBUG": "0",
        # Persistent connections, as in production (settings read DJANGO_CONN_MAX_AGE).
        "DJANGO_CONN_MAX_AGE": "600",
        # The API's anonymous throttle would otherwise answer 429 after 600 requests.
        "DJANGO_API_THROTTLE_ANON": "100000000/min",
        "DJANGO_API_THROTTLE_USER": "100000000/min",
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    env.pop("REDIS_URL", None)
    if cached and CACHED_REDIS_URL:
        # As in production (docs/deploy.md): one Redis shared by the workers, emptied first,
        # so that they share the facet index instead of building one each.
        import redis

        redis.Redis.from_url(CACHED_REDIS_URL).flushdb()
        env["REDIS_URL"] = CACHED_REDIS_URL
    argv = [
        sys.executable,  # the project's interpreter: run.sh starts the driver with it
        "-m",
        "bench.gunicorn_launch",
        "micic.wsgi:application",
        "--bind",
        f"{HOST}:{PORTS[name]}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    return Server(name, vendor, argv, env, OUT_DIR / f"server-{name}.log")


def datasette_server(db_path):
    venv = OUT_DIR / "datasette-venv" / "bin" / "datasette"
    argv = [
        str(venv),
        "serve",
        "-i",  # immutable: Datasette's fastest mode for a read-only database
        str(db_path),
        "--host",
        HOST,
        "--port",
        str(PORTS["datasette"]),
        # Compute every facet fully instead of giving up after 200 ms, as the app does.
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        # No "suggested facets" work: only the facets asked for, as the app.
        "--setting",
        "suggest_facets",
        "off",
        # Every value of each facet (the app lists all 249 countries when they occur).
        "--setting",
        "default_facet_size",
        "300",
        "--setting",
        "max_returned_rows",
        "1000",
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return Server("datasette", "sqlite", argv, env, OUT_DIR / "server-datasette.log")


def fetch(url):
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, time.perf_counter() - started


def preflight(target, url):
    """One request before loading: it must be a 200 with results; returns what it saw."""
    status, body, seconds = fetch(url)
    info = {"status": status, "bytes": len(body), "first_ms": round(seconds * 1000, 1)}
    if status != 200:
        info["error"] = body[:300].decode("utf-8", "replace")
        return info
    if target.startswith("datasette"):
        if target == "datasette-json":
            data = json.loads(body)
            info["count"] = data.get("filtered_table_rows_count")
            info["facets"] = sorted(data.get("facet_results", {}))
            info["facets_timed_out"] = data.get("facets_timed_out", [])
        else:
            match = re.search(rb"([\d,]+) rows? where", body)
            info["count"] = int(match.group(1).replace(b",", b"")) if match else None
    elif target.startswith("api"):
        data = json.loads(body)
        info["count"] = data.get("count")
        info["facets"] = sorted(data.get("facets") or {})
    else:
        match = COUNT_RE.search(body.decode("utf-8", "replace"))
        info["count"] = int(match.group(1).replace(",", "")) if match else None
        # The page's weight as a browser receives it.
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=120) as response:
            info["gzip_bytes"] = len(response.read())
    return info


def run_wrk(url, connections, duration):
    argv = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "60s",
        # As a browser: the app (GZipMiddleware) compresses, Datasette does not.
        "-H",
        "Accept-Encoding: gzip",
        "-s",
        str(BENCH_DIR / "wrk_report.lua"),
        url,
    ]
    before = loadavg()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 120)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed for {url}:\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line[len("WRKJSON ") :])
    seconds = raw["duration_us"] / 1e6
    errors = sum(v for k, v in raw.items() if k.startswith("errors_"))
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 2) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "loadavg_before": before,
        "loadavg_after": loadavg(),
    }


def measure(results, meter, args, query, target, server, path):
    """Preflight, warm up and load one URL at 1 and at --connections connections."""
    url = server.url(path)
    info = preflight(target, url)
    info["path"] = path
    results["preflight"][f"{query['key']}/{target}"] = info
    label = f"  {query['key']:14} {target:17}"
    if info["status"] != 200:
        print(f"{label} HTTP {info['status']}: skipped", flush=True)
        return
    first = info["first_ms"] / 1000
    if first > SLOW_S:
        # Minutes per load run: time one more request alone instead, and say so.
        _status, _body, again = fetch(url)
        info["too_slow"] = True
        info["second_ms"] = round(again * 1000, 1)
        print(f"{label} one request alone: {first:.1f} s, then {again:.1f} s: not loaded")
        return
    # Warm caches: each worker builds its facet index on its first request (the cached
    # server's cache is per process), so a fast URL is fetched once per worker and more.
    warm = [fetch(url)[2] for _ in range(args.workers + 1 if first < 2 else 1)]
    # Long enough for about MIN_SAMPLES requests alone, within MAX_DURATION.
    duration = min(max(args.duration, math.ceil(MIN_SAMPLES * min(warm))), MAX_DURATION)
    for connections in sorted({1, args.connections}):
        before = meter.snapshot(server)
        run = run_wrk(url, connections, duration)
        spent = meter.spent(before, meter.snapshot(server))
        run.update(query=query["key"], target=target, path=path, duration_s=duration)
        # Requests still in flight when wrk stops also cost CPU: a small bias.
        run["cpu_ms_per_request"] = (
            round(spent * 1000 / run["requests"], 1) if run["requests"] else None
        )
        results["runs"].append(run)
        print(
            f"{label} c={connections}: {run['rps']:8.2f} req/s  p50 {run['p50_ms']:7.1f}  "
            f"p95 {run['p95_ms']:7.1f}  p99 {run['p99_ms']:7.1f} ms  n={run['requests']} "
            f"err={run['errors']} cpu/req={run['cpu_ms_per_request']} ms "
            f"load={run['loadavg_before']}",
            flush=True,
        )


def run_stream(results, meter, server, target, paths, connections):
    """Send each path once, ``connections`` at a time; latency and CPU per request."""
    from concurrent.futures import ThreadPoolExecutor

    def one(path):
        request = urllib.request.Request(server.url(path), headers={"Accept-Encoding": "gzip"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, time.perf_counter() - started

    before_load = loadavg()
    before = meter.snapshot(server)
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        answers = list(pool.map(one, paths))
    wall = time.perf_counter() - started
    spent = meter.spent(before, meter.snapshot(server))
    times = sorted(seconds * 1000 for _status, seconds in answers)

    def pct(p):
        return round(times[min(len(times) - 1, math.ceil(p / 100 * len(times)) - 1)], 1)

    run = {
        "query": "stream",
        "target": target,
        "connections": connections,
        "requests": len(paths),
        "errors": sum(status != 200 for status, _s in answers),
        "rps": round(len(paths) / wall, 2),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": round(times[-1], 1),
        "cpu_ms_per_request": round(spent * 1000 / len(paths), 1),
        "loadavg_before": before_load,
        "loadavg_after": loadavg(),
        "duration_s": round(wall, 1),
    }
    results["runs"].append(run)
    print(
        f"  stream         {target:17} c={connections}: {run['rps']:8.2f} req/s  "
        f"p50 {run['p50_ms']:7.1f}  p95 {run['p95_ms']:7.1f} ms  n={run['requests']} "
        f"err={run['errors']} cpu/req={run['cpu_ms_per_request']} ms load={before_load}",
        flush=True,
    )


def measure_again(args):
    """Measure some query/target pairs again and put them in place of their runs."""
    wanted = [item.split("/") for item in args.again.split(",") if item]
    names = {target for _key, target in wanted}
    servers = {
        name: app_server(
            name,
            args.sqlite_url if name == "sqlite" else args.postgres_url,
            args.workers,
            cached=name == "postgresql-cached",
        )
        for name in names
    }
    by_key = {q["key"]: q for q in bench_queries.queries(args.n)}
    by_key["floor"] = {"key": "floor", "label": f"floor: {bench_queries.FLOOR_PATH}"}
    results = {"runs": [], "preflight": {}}
    if args.out.exists():
        results = json.loads(args.out.read_text(encoding="utf-8"))
    fresh = {"runs": [], "preflight": {}}
    meter = CpuMeter(args.postgres_url)
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready("/practices/?page=1")
        for key, target in wanted:
            query = by_key[key]
            path = (
                bench_queries.FLOOR_PATH if key == "floor" else bench_queries.practices_path(query)
            )
            measure(fresh, meter, args, query, target, servers[target], path)
    finally:
        meter.close()
        for server in servers.values():
            server.stop()
    again = {tuple(pair) for pair in wanted}
    results["runs"] = [
        run for run in results["runs"] if (run["query"], run["target"]) not in again
    ] + [{**run, "measured_again": True} for run in fresh["runs"]]
    results["preflight"].update(fresh["preflight"])
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--sqlite-url", required=True)
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--datasette-db", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--again",
        default="",
        help="comma list of query/target (e.g. q_two_filters/postgresql-cached) to measure "
        "again, replacing their runs in --out (a run disturbed by other work)",
    )
    args = parser.parse_args()
    if args.again:
        return measure_again(args)

    servers = {
        "sqlite": app_server("sqlite", args.sqlite_url, args.workers, cached=False),
        "postgresql": app_server("postgresql", args.postgres_url, args.workers, cached=False),
        "postgresql-cached": app_server(
            "postgresql-cached", args.postgres_url, args.workers, cached=True
        ),
        "datasette": datasette_server(args.datasette_db),
    }
    results = {"runs": [], "preflight": {}, "api": False, "slow_s": SLOW_S}
    meter = CpuMeter(args.postgres_url)
    try:
        for server in servers.values():
            server.start()
        for name in ("sqlite", "postgresql", "postgresql-cached"):
            servers[name].wait_ready("/practices/?page=1")
        servers["datasette"].wait_ready("/practices.json")

        # The JSON API (another piece of work) is measured only when it answers.
        status, _body, _s = fetch(servers["postgresql"].url("/api/v1/practices/?facets=all"))
        results["api"] = status == 200
        print(f"JSON API /api/v1/practices/: {'present' if results['api'] else 'absent'}")

        for query in bench_queries.queries(args.n):
            page = bench_queries.practices_path(query)
            targets = [
                ("sqlite", servers["sqlite"], page),
                ("postgresql", servers["postgresql"], page),
            ]
            if query["key"] in ("list", "q", bench_queries.KEY):
                targets.append(("postgresql-cached", servers["postgresql-cached"], page))
            if results["api"] and query["key"] == bench_queries.KEY:
                path = bench_queries.api_path(query)
                targets += [
                    ("api-sqlite", servers["sqlite"], path),
                    ("api-postgresql", servers["postgresql"], path),
                ]
            ds_json = bench_queries.datasette_path(query, "json")
            if ds_json:
                targets.append(("datasette-json", servers["datasette"], ds_json))
            if ds_json and query["key"] == bench_queries.KEY:
                html = bench_queries.datasette_path(query, "html")
                targets.append(("datasette-html", servers["datasette"], html))

            for target, server, path in targets:
                measure(results, meter, args, query, target, server, path)

        # The framework's floor on the servers that answer the headline: all the middleware,
        # no database, no cache.
        floor = {"key": "floor", "label": f"floor: {bench_queries.FLOOR_PATH}"}
        for target in ("postgresql", "postgresql-cached"):
            measure(results, meter, args, floor, target, servers[target], bench_queries.FLOOR_PATH)

        # The varied stream: searches not seen before, each once, on every server.
        stream = bench_queries.stream()
        for target in ("postgresql-cached", "postgresql", "sqlite"):
            paths = [bench_queries.practices_path(query) for query in stream]
            run_stream(results, meter, servers[target], target, paths, args.connections)
        paths = [bench_queries.datasette_path(query, "json") for query in stream]
        run_stream(results, meter, servers["datasette"], "datasette-json", paths, args.connections)
    finally:
        meter.close()
        for server in servers.values():
            server.stop()
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
