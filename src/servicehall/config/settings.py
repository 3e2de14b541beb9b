"""Settings, all read from the environment (see README: Configuration)."""

from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .celery import beat_schedule

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "servicehall.core",
    "servicehall.accounts",
    "servicehall.catalog",
    "servicehall.cases",
    "servicehall.frontdesk",
    "servicehall.stats",
    "servicehall.supervision",
    "servicehall.portal",
    "servicehall.online",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicehall.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "servicehall.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "servicehall.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "servicehall.config.urls"
WSGI_APPLICATION = "servicehall.config.wsgi.application"
ASGI_APPLICATION = "servicehall.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "servicehall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicehall.accounts.context_processors.navigation",
                "servicehall.portal.context_processors.display_mode",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'servicehall.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # One writer at a time, taken at BEGIN: a second writer waits instead of failing
        # half-way through with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Statements are bound on the server and prepared once per connection after their fifth
    # run (psycopg's threshold): PostgreSQL then skips parsing and planning the ORM's
    # repeated statements, which halved its CPU per intake (docs/benchmarks.md). Django's
    # default, client-side binding, never prepares. Turn both off behind a transaction
    # pooler that cannot keep prepared statements.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "servicehall.accounts.validators.CharacterClassesValidator",
     "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=300)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=1800)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

# Key for ID numbers at rest: base64 of 32 bytes. Development falls back to a fixed key.
PII_KEY = env.str("PII_KEY", default="")
if not PII_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("PII_KEY must be set when DJANGO_DEBUG is off.")
    PII_KEY = "c2VydmljZWhhbGwtZGV2ZWxvcG1lbnQtb25seS1rZXk="

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "src" / "servicehall" / "static",
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files live outside the web root and are served through views that check access.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "files")))
MEDIA_URL = "/files/"
CATALOG_IMPORT_MAX_BYTES = env.int("CATALOG_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
FORM_FILE_MAX_BYTES = env.int("FORM_FILE_MAX_BYTES", default=10 * 1024 * 1024)
# Files applicants upload with online applications: a private directory, never under
# MEDIA_URL or static, read back only through views that check the owner or the staff scope.
ONLINE_PRIVATE_DIR = Path(env.str("ONLINE_PRIVATE_DIR", default=str(VAR_DIR / "private")))
ONLINE_UPLOAD_MAX_BYTES = env.int("ONLINE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
ONLINE_UPLOAD_MAX_PIXELS = env.int("ONLINE_UPLOAD_MAX_PIXELS", default=40_000_000)
ONLINE_FILES_PER_MATERIAL = env.int("ONLINE_FILES_PER_MATERIAL", default=10)
ONLINE_UPLOADS_PER_WINDOW = env.int("ONLINE_UPLOADS_PER_WINDOW", default=30)
ONLINE_UPLOAD_WINDOW_SECONDS = env.int("ONLINE_UPLOAD_WINDOW_SECONDS", default=600)

# --- Outbox: messages to applicants, sent by `manage.py outbox_send` -------------------
# The sender is a dotted path to a class with `send(message)`; "console" and "file" name the
# built-in ones. A real SMS or mail gateway is plugged in the same way.
OUTBOX_SENDER = env.str("OUTBOX_SENDER", default="console")
OUTBOX_FILE = Path(env.str("OUTBOX_FILE", default=str(VAR_DIR / "outbox.jsonl")))
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=30)
OUTBOX_BACKOFF_MAX_SECONDS = env.int("OUTBOX_BACKOFF_MAX_SECONDS", default=3600)

# --- Cases ----------------------------------------------------------------------------
# 容缺受理: working days the applicant has to bring the materials accepted as missing.
CASES_TOLERANCE_WORKING_DAYS = env.int("CASES_TOLERANCE_WORKING_DAYS", default=5)
# 告知承诺制: working days after the approval by which the commitment is verified.
CASES_VERIFICATION_WORKING_DAYS = env.int("CASES_VERIFICATION_WORKING_DAYS", default=20)

# Progress lookups without login, per client address and minute.
PROGRESS_LOOKUPS_PER_MINUTE = env.int("PROGRESS_LOOKUPS_PER_MINUTE", default=10)

# --- Applicant accounts (online hall) ----------------------------------------------------
# SMS verification codes: lifetime, wrong tries per code, and how often one may be sent.
SMS_CODE_TTL_SECONDS = env.int("SMS_CODE_TTL_SECONDS", default=300)
SMS_CODE_MAX_ATTEMPTS = env.int("SMS_CODE_MAX_ATTEMPTS", default=5)
SMS_CODE_INTERVAL_SECONDS = env.int("SMS_CODE_INTERVAL_SECONDS", default=60)
SMS_CODES_PER_PHONE_PER_HOUR = env.int("SMS_CODES_PER_PHONE_PER_HOUR", default=5)
SMS_CODES_PER_IP_PER_HOUR = env.int("SMS_CODES_PER_IP_PER_HOUR", default=20)

# --- Audit log: entries are sealed into the hash chain right after the commit that wrote them
# (off: only by the worker job below, every AUDIT_SEAL_SECONDS; see core.audit) -------------
AUDIT_SEAL_AFTER_COMMIT = env.bool("AUDIT_SEAL_AFTER_COMMIT", default=True)

# --- Background worker (`manage.py worker`): (job, every N seconds) ------------------------
WORKER_JOBS = [
    ("servicehall.core.tasks.seal_audit", env.int("AUDIT_SEAL_SECONDS", default=5)),
    ("servicehall.core.tasks.send_outbox", env.int("WORKER_OUTBOX_SECONDS", default=10)),
    ("servicehall.cases.tasks.apply_silent_consent", 3600),
    ("servicehall.supervision.tasks.scan_and_escalate", 60),
    ("servicehall.supervision.tasks.find_time_irregularities", 3600),
    ("servicehall.supervision.tasks.sweep_irregularities", 86400),
]

# --- Celery: production runs WORKER_JOBS through beat; without a broker, eager in-process ---
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = beat_schedule(WORKER_JOBS)

# --- Logging: identifiers are masked before any handler sees them --------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "servicehall.core.logmask.MaskIdentifiersFilter"}},
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_ids"],
                    "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SERVICEHALL_DEFAULT_CENTER = env.str("DEFAULT_CENTER_CODE", default="")

# --- Front of hall: a display screen's live stream ends after this many seconds and the
# browser reconnects, so no worker is held for long.
FRONTDESK_STREAM_SECONDS = env.int("FRONTDESK_STREAM_SECONDS", default=120)
