"""Gunicorn settings for `make serve` and production (README.md "Production", docs/deploy.md).

Every value comes from the environment; gunicorn's own command-line options override them.
"""

import os

wsgi_app = "micic.wsgi:application"

# Web requests: PostgreSQL cancels a statement after this many seconds, and the app waits
# 2 s more at most for any database call (micic/settings.py, micic/postgresql). Management
# commands have no such limit.
os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "10")

# Loopback by default: a TLS-terminating proxy (or load balancer) sits in front.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"]

# Processes × threads is the number of requests served at once; each thread may hold one
# database connection (DJANGO_DB_POOL_MAX_SIZE should be at least GUNICORN_THREADS).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5

# The longest request line gunicorn accepts (method, path, query string, protocol), at its
# maximum: longer ones get gunicorn's own HTML 414. Up to it, the API answers an over-long
# query string itself, in JSON (micic.middleware.ApiQueryStringLimitMiddleware). A proxy in
# front has its own limit (nginx: large_client_header_buffers, 8 KB by default).
limit_request_line = 8190

# Restart each worker now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200

# Proxies whose X-Forwarded-* headers gunicorn trusts (--forwarded-allow-ips).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

accesslog = "-"
errorlog = "-"

# Gunicorn's control socket is one per user (~/.gunicorn/gunicorn.ctl), so two servers on a
# machine would share it; nothing here uses it. (Older gunicorn ignores the name.)
control_socket_disable = True
