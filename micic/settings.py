"""Settings for the MICIC Practices Repository.

One module, read from the environment, with local defaults: an embedded SQLite
file, DEBUG off unless DJANGO_DEBUG=1, console e-mail, a local-memory cache.
Production sets DJANGO_PRODUCTION=1, DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and DJANGO_EMAIL_HOST (README.md, "Production"; docs/deploy.md).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Served over HTTPS behind a TLS-terminating proxy: every TLS setting under "Security"
# defaults to on; each keeps its own variable to turn it off.
PRODUCTION = env_bool("DJANGO_PRODUCTION")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1 (see README.md)."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-DJANGO_DEBUG-1"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is not 1 (see README.md)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sessions",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework",
    "rest_framework.authtoken",
    "guidelines",
    "repository",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Anonymous GETs answered from the cache before any other work (micic/response_cache.py).
    "micic.response_cache.ResponseCacheMiddleware",
    "micic.middleware.PermissionsPolicyMiddleware",
    "micic.middleware.DatabaseUnavailableMiddleware",
    # CORS first, so that its headers are on every /api/ response, errors and 304s included.
    "corsheaders.middleware.CorsMiddleware",
    "micic.api.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "micic.urls"
WSGI_APPLICATION = "micic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL (postgres://…) in production.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_REPLICA_URL"):
    # Reads go to the replica, writes and reads inside transactions to the primary
    # (micic/db_router.py).
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["micic.db_router.ReplicaRouter"]
for database in DATABASES.values():
    if database["ENGINE"] != "django.db.backends.postgresql":
        continue
    options = database.setdefault("OPTIONS", {})
    # Notice an unreachable server quickly (libpq's minimum is 2 s): pages answer 503.
    options.setdefault("connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2")))
    if env_bool("DJANGO_DB_POOL"):
        # psycopg's pool, per process; it replaces persistent connections.
        database["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN_SIZE", "1")),
            "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX_SIZE", "4")),
            # Seconds a request waits for a connection before it is a 503. During an outage
            # every request waits this long, so keep it short.
            "timeout": float(os.environ.get("DJANGO_DB_POOL_TIMEOUT", "1")),
            # No background retry schedule after a failed connection attempt: the next
            # request tries afresh, so the site is back as soon as the database is.
            "reconnect_timeout": 0,
        }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while a submission is written.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ":memory:"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: every user-facing string is translatable from day one.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves compressed files with hashed names.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security. Cookie and TLS settings are opt-in so that the local http server works;
# production turns them on through the environment (README.md, "Production").
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS") or (31536000 if PRODUCTION else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
# Only behind a proxy that sets X-Forwarded-Proto itself, replacing the client's.
if env_bool("DJANGO_BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Cache: Redis when REDIS_URL is set, so that API throttles and the submission rate limit
# are shared by every app server; otherwise memory local to each process. An unreachable
# Redis is an empty cache, not an error (micic/cache.py).
if os.environ.get("REDIS_URL"):
    redis_timeout = float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "micic.cache.FailSoftRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "micic",
            # Passed to redis-py's connection pool: a stalled Redis costs a request this
            # long once, then micic/cache.py leaves it alone for a few seconds.
            "OPTIONS": {"socket_connect_timeout": redis_timeout, "socket_timeout": redis_timeout},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole responses to anonymous GETs, cached under the content version
# (micic/response_cache.py); 0 turns it off.
RESPONSE_CACHE_SECONDS = int(os.environ.get("DJANGO_RESPONSE_CACHE_SECONDS", "600"))
RESPONSE_CACHE_PATHS = ["/"]
RESPONSE_CACHE_EXCLUDE = [
    "/admin/",
    "/moderation/",
    "/practices/submit/",
    "/api/v1/submissions/",
    "/healthz",  # must say how the site is now
    "/robots.txt",  # cheaper to render than to fetch
    f"/{STATIC_URL}",
]

# E-mail: printed to the console unless DJANGO_EMAIL_HOST names an SMTP server.
if os.environ.get("DJANGO_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["DJANGO_EMAIL_HOST"],
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                # E-mail is sent after the request's commit: a stalled server must not hold it.
                "timeout": int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "MICIC Practices Repository <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Absolute links in e-mails.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Background work (e-mails). The immediate backend runs a task when it is enqueued,
# which the workflow does after the transaction commits.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

LOGIN_URL = "admin:login"

# Submissions from the public form, per client IP address and hour.
SUBMISSION_RATE_LIMIT = int(os.environ.get("DJANGO_SUBMISSION_RATE_LIMIT", "5"))
SUBMISSION_MIN_SECONDS = int(os.environ.get("DJANGO_SUBMISSION_MIN_SECONDS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# REST API v1 (../shared/API.md); API-wide conventions live in micic/api.py.
REST_FRAMEWORK = {
    # Token first, so that a missing or bad token is a 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "micic.api.ContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "micic.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "micic.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "micic.api.exception_handler",
    # Throttling state is kept in Django's default cache (Redis in production).
    "DEFAULT_THROTTLE_CLASSES": ["micic.api.AnonThrottle", "micic.api.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_THROTTLE_ANON", "600/min"),
        "user": os.environ.get("DJANGO_API_THROTTLE_USER", "3000/min"),
    },
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted for client IPs
    # (production runs behind one); without it every client would share the proxy's limit.
    "NUM_PROXIES": int(os.environ.get("DJANGO_API_NUM_PROXIES", "1" if PRODUCTION else "0")),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MICIC Practices Repository API",
    "DESCRIPTION": _(
        "The MICIC Guidelines and the published practices that implement them, with the same "
        "filters as the site's practice search. Reading needs no account; partner tools that "
        "write send `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc come from our own static files (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# CORS: any origin may read the API; the token, not a cookie, authenticates writes.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-none-match",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["Content-Disposition", "ETag", "Retry-After"]
