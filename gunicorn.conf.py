"""Gunicorn settings for `make serve` and production (README.md "Production", docs/deploy.md).

Every value comes from the environment; gunicorn's own command-line options override them.
"""

import os

wsgi_app = "micic.wsgi:application"

# Loopback by default: a TLS-terminating proxy (or load balancer) sits in front.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"]

# Processes × threads is the number of requests served at once; each thread may hold one
# database connection (DJANGO_DB_POOL_MAX_SIZE should be at least GUNICORN_THREADS).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5

# Restart each worker now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200

# Proxies whose X-Forwarded-* headers gunicorn trusts (--forwarded-allow-ips).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"


def post_worker_init(worker):
    """Load the search's tag index before this worker takes requests: a worker restarted by
    max_requests reads it from the shared cache (or builds it) now, not on a request."""
    from repository.search.index import warm_up

    warm_up()


accesslog = "-"
errorlog = "-"

# Gunicorn's control socket is one per user (~/.gunicorn/gunicorn.ctl), so two servers on a
# machine would share it; nothing here uses it. (Older gunicorn ignores the name.)
control_socket_disable = True
