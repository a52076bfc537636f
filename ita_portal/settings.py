"""Settings for ITA Portal.

One file for every environment. Every difference between a laptop, CI and a
production server is an environment variable read by the small helpers below;
`.env.example` lists them all. With no variables set at all the portal runs as a
complete development setup: SQLite, the embedded (filesystem) Celery broker, and
mail written to files under ``var/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

# Where the zero-configuration setup keeps its state: the SQLite database, the
# embedded broker's message folders, Celery beat's schedule, media and mail files.
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start without "
            "one: set SECRET_KEY to a long random string (see .env.example)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where `make run` (manage.py runall) serves the portal.
RUN_HOST = env_str("HOST", "127.0.0.1")
RUN_PORT = env_int("PORT", 8000)
# The portal's address as people reach it: links in mail, LINE and feeds. `make run` sets it
# from HOST and PORT when it is not given.
SITE_URL = env_str("SITE_URL", f"http://{RUN_HOST}:{RUN_PORT}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "ita_portal",
    "ops",
    "units",
    "oit_items",
    "work",
    "measures",
    "packs",
    "calendar_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "units.middleware.RefusedAs404Middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "calendar_app.context_processors.unread",
                "work.context_processors.waiting",
            ],
            "builtins": ["ita_portal.templatetags.thaidates"],
        },
    },
]

# Database: DATABASE_URL (PostgreSQL in production), else a SQLite file tuned so
# that web, worker and beat can write to it at the same time (see docs/THAI-PDF.md).
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Connections are kept a minute and checked before each request reuses one, so a connection
    # the server dropped (a restart, a failover, an idle timeout) costs no request an error.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # JIT compiles a plan's expressions for queries the planner thinks costly; the portal's
        # are short and many, and compiling cost more than it saved on the national dataset
        # (benchmarks/pages.py --jit on): off for the portal's connections.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ita_portal.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, so that a real Celery worker started by the
            # test suite sees the same test database.
            "TEST": {"NAME": DATA_DIR / "test_ita_portal.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Thai first, English second. Dates are shown in the Buddhist Era by the
# `thaidates` filters, whatever the language.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Signing in. A session lasts a working day; "keep me signed in" makes it REMEMBER_ME_DAYS.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10) * 3600
REMEMBER_ME_DAYS = env_int("REMEMBER_ME_DAYS", 14)
# django-axes: LOGIN_FAILURE_LIMIT wrong passwords for one username, or from one address, pause
# signing in there for LOGIN_LOCKOUT_MINUTES (units share an address behind their router, so
# the limit is not tiny). Counted in the database, so every web process sees them.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ita_portal.accounts.lockout"
AXES_VERBOSE = False
# Password reset requests (django-ratelimit), per address typed and per network address.
RESET_RATE_PER_EMAIL = env_str("RESET_RATE_PER_EMAIL", "3/h")
RESET_RATE_PER_IP = env_str("RESET_RATE_PER_IP", "20/h")

# Content-Security-Policy (django-csp): scripts only from the portal's own static files (no
# inline script anywhere); inline styles stay allowed for progress bars and htmx's indicator.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Caches. With Redis, one cache every web process shares; without, each process its own.
# Throttle counters (`throttle`) must be shared: Redis, or files under DATA_DIR on one machine.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ita",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    CACHES = {"default": _shared, "throttle": {**_shared, "KEY_PREFIX": "ita-throttle"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "throttle"),
        },
    }
RATELIMIT_USE_CACHE = "throttle"

# An import file larger than this (KB) is checked and applied by a worker, with its progress
# shown, instead of in the web request (ops.imports).
IMPORT_INLINE_BYTES = env_int("IMPORT_INLINE_KB", 256) * 1024
# Largest import file (units, people, checklists, results) accepted, in MB.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 10) * 1024 * 1024
# Every uploaded workbook or Word file (a zip archive) is refused before it is opened when it
# unpacks to more than this or holds more entries (ita_portal/lib/archives.py); an import reads
# at most IMPORT_MAX_CELLS cells.
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_MB", 100) * 1024 * 1024
UPLOAD_MAX_ENTRIES = env_int("UPLOAD_MAX_ENTRIES", 1000)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 2_000_000)
# Largest evidence file (PDF, DOCX, XLSX, JPG, PNG) accepted, in MB.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
# A photo with more pixels is refused at upload (a decompression bomb breaks every PDF).
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_MEGAPIXELS", 40) * 1_000_000
# Removed evidence files stay on disk this long (an appeal can still ask for them).
EVIDENCE_KEEP_REMOVED_DAYS = env_int("EVIDENCE_KEEP_REMOVED_DAYS", 90)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: SMTP when EMAIL_HOST is set, otherwise one file per message under
# EMAIL_FILE_PATH so a development setup can read what the portal sent.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)  # seconds; calendar_app.notify.LEASE counts on it
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ITA Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", email) for email in env_list("ADMINS", [])]

# Celery. REDIS_URL (or an explicit CELERY_BROKER_URL) selects Redis; with
# neither, the embedded filesystem broker under DATA_DIR needs no server at all,
# and the worker and beat still run for real. Beat schedules live in
# ita_portal/celery.py, in one place.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The transport expects its folders to exist already.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A broker that is down answers a request's send within seconds, not a socket's default.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Unit tests run tasks inline; the worker tests start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Exports (evidence packs, documents): finished files are kept this many days, then deleted
# by the daily clean-up job. A running job's worker renews its lease every third of
# EXPORT_LEASE_SECONDS; a lapsed lease means the worker died and the job starts again, at most
# EXPORT_MAX_ATTEMPTS times. A queued job not started EXPORT_RESEND_MINUTES after it was sent
# is sent again (the broker may have lost it).
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
EXPORT_LEASE_SECONDS = env_int("EXPORT_LEASE_SECONDS", 300)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3)
EXPORT_RESEND_MINUTES = env_int("EXPORT_RESEND_MINUTES", 10)

# Link checks: per run, at most this many requests, and this many per host; a timeout in
# seconds. Private and loopback addresses are not fetched unless allowed (intranet safety).
# LINE Official Account (Messaging API), optional: without a token the channel is absent.
LINE_CHANNEL_TOKEN = env_str("LINE_CHANNEL_TOKEN")
LINE_CHANNEL_SECRET = env_str("LINE_CHANNEL_SECRET")
LINE_API_URL = env_str("LINE_API_URL", "https://api.line.me")
LINE_BOT_ID = env_str("LINE_BOT_ID")  # the Official Account's @id, shown to people who link

LINK_CHECK_MAX_REQUESTS = env_int("LINK_CHECK_MAX_REQUESTS", 500)
LINK_CHECK_PER_HOST = env_int("LINK_CHECK_PER_HOST", 20)
LINK_CHECK_TIMEOUT = env_int("LINK_CHECK_TIMEOUT", 10)
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE", False)
# Proof of publication (work.proof): bytes of a page kept per capture, and how many days before
# the NACC's OIT answers close the published addresses are captured again.
CAPTURE_MAX_BYTES = env_int("CAPTURE_MAX_BYTES", 2 * 1024 * 1024)
CAPTURE_BEFORE_DEADLINE_DAYS = env_int("CAPTURE_BEFORE_DEADLINE_DAYS", 7)

# The beat-driven heartbeat that tells /healthz the worker and beat are alive.
HEARTBEAT_SECONDS = env_int("HEARTBEAT_SECONDS", 60)

# Security. With DEBUG off these default to what `check --deploy` asks for; a
# unit on a plain-HTTP intranet can turn the HTTPS ones off explicitly.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_HSTS_PRELOAD", False) else ["security.W021"]
# django-ratelimit names only memcached and django-redis; Django's own Redis cache works (atomic
# incr), and the file cache's counts may run one or two short under a race, which a throttle
# of reset mails can bear.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # every sign-in at INFO; lock-outs are warnings
    },
}
