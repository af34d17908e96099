"""Paperstreak settings: one file, every value from the environment.

Dev defaults are safe and embedded (SQLite under var/, Celery's filesystem broker,
console email). Production sets DEBUG off, SECRET_KEY, DATABASE_URL, REDIS_URL and SMTP_URL.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _mailer_from_url(url: str, var_name: str) -> dict[str, object]:
    """Turn smtp://user:pass@host:port?tls=1 (or smtps://, console://, file:///x) into a mailer."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": parts.path or str(VAR_DIR / "mail")},
        }
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"{var_name} must start with smtp://, smtps://, console:// or file://, got {url!r}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{var_name} has no host: {url!r}.")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ImproperlyConfigured(f"{var_name} has an invalid port: {url!r}.") from None
    options: dict[str, object] = {
        "host": parts.hostname,
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": parts.scheme == "smtps",
        "use_tls": query.get("tls", "0").lower() in _TRUE,
        "timeout": int(query.get("timeout", "10")),
    }
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production-0123456789"

# HTTPS defaults on whenever DEBUG is off; turn it off only behind a TLS-less test setup.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")
if not urlsplit(SITE_URL).scheme or not urlsplit(SITE_URL).netloc:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute URL, got {SITE_URL!r}.")
if HTTPS and urlsplit(SITE_URL).scheme != "https":
    # Links in email (and RFC 8058's List-Unsubscribe) must be HTTPS in production.
    raise ImproperlyConfigured(f"SITE_URL must start with https:// when HTTPS is on: {SITE_URL!r}.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "tracker.papers",
    "tracker.replications",
    "tracker.projects",
    "tracker.goals",
    "tracker.niche",
    "tracker.progress",
    "tracker.dashboard",
    "tracker.demo",
    "tracker.reminders",
    "ninja",
    "tracker.api",
    "tracker.portfolio",
    "tracker.archive",
    "tracker.ical",
    "tracker.recall",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tracker.middleware.VaryOnHtmxMiddleware",
    "tracker.middleware.DataVersionMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {{ text|usertext }}: escaped even if marked safe, inside data-hx-disable (S6).
            "builtins": ["tracker.usertext"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
# Tests that share the database with a worker subprocess set a file-backed test DB name.
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache, Celery --------------------------------------------------------------------------

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def redis_db(url: str) -> int:
    """The database number of a Redis URL: ``/N`` (redis, rediss) or ``?db=N`` (unix)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        raw = parse_qs(parts.query).get("db", ["0"])[0]
    else:
        raw = parts.path.strip("/") or "0"
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"No Redis database number in {url!r}.") from None


def with_redis_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"db": str(db)}
        return url.split("?", 1)[0] + "?" + urlencode(query)  # urlunsplit drops the "//"
    return urlunsplit(parts._replace(path=f"/{db}"))


REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(REDIS_SCHEMES):
        raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, got {REDIS_URL!r}.")
    # The Celery broker and results use REDIS_URL; the cache gets a database of its own
    # (the next number; 14 when REDIS_URL uses the last default one, 15). Losing or
    # flushing the broker's database then no longer resets what lives in the cache:
    # allauth's login throttles and TOTP used-code markers (A2, A9), the dashboard cards.
    _broker_db = redis_db(REDIS_URL)
    CACHE_REDIS_URL = env_str("CACHE_REDIS_URL") or with_redis_db(
        REDIS_URL, _broker_db + 1 if _broker_db < 15 else _broker_db - 1
    )
    if not CACHE_REDIS_URL.startswith(REDIS_SCHEMES):
        raise ImproperlyConfigured(
            f"CACHE_REDIS_URL must be a redis:// URL, got {CACHE_REDIS_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "paperstreak"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Every countdown we use stays far below this (C5).
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _celery_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_celery_dir / 'results'}"

# The dashboard caches its cards per user, invalidated through the cache itself; that is only
# correct when every web process shares the cache (Redis), not with per-process local memory.
DASHBOARD_CACHE = env_bool("DASHBOARD_CACHE", default=bool(REDIS_URL))

# Requests per API token, counted in the cache above (tracker/api/ratelimit.py): "N/m", "N/h".
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/m")

# Where tasks go unless routed, and what a worker consumes without -Q. The integration tests
# name one per run so that no other worker on the same Redis can take their tasks.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection after every task unless this is
# set: a new PostgreSQL backend per email (connect + cold catalog caches) cost more than the
# email itself. Connections are instead kept or dropped per CONN_MAX_AGE and
# CONN_HEALTH_CHECKS around each task, exactly as for a web request (tracker/celery.py).
CELERY_DB_REUSE_MAX = 10_000
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 10
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "dispatch-reminders": {
        "task": "tracker.reminders.tasks.dispatch_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Housekeeping, not per user: delete account archives past their 24 h.
    "delete-old-archives": {
        "task": "archive.delete_old_archives",
        "schedule": crontab(minute=17),
    },
}

# --- Account archives -------------------------------------------------------------------------

# Where "Download everything" ZIPs are built; each is deleted 24 h after it was requested.
ARCHIVE_DIR = Path(os.environ.get("ARCHIVE_DIR", VAR_DIR / "archives"))
ARCHIVE_MAX_AGE_HOURS = env_int("ARCHIVE_MAX_AGE_HOURS", 24)

# --- Email ----------------------------------------------------------------------------------

SMTP_URL = env_str("SMTP_URL")
EMAIL_FILE_DIR = env_str("EMAIL_FILE_DIR")
if SMTP_URL:
    _default_mailer = _mailer_from_url(SMTP_URL, "SMTP_URL")
elif EMAIL_FILE_DIR:
    _default_mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": EMAIL_FILE_DIR},
    }
else:
    _default_mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
REMINDER_SMTP_URL = env_str("REMINDER_SMTP_URL")
MAILERS = {
    "default": _default_mailer,
    # Reminders are subscription mail; an operator may route them through another relay.
    "reminders": _mailer_from_url(REMINDER_SMTP_URL, "REMINDER_SMTP_URL")
    if REMINDER_SMTP_URL
    else _default_mailer,
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Paperstreak <accounts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
REMINDER_FROM_EMAIL = env_str("REMINDER_FROM_EMAIL", "Paperstreak reminders <reminders@localhost>")
if REMINDER_FROM_EMAIL == DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured("REMINDER_FROM_EMAIL must differ from DEFAULT_FROM_EMAIL (E8).")

# --- Auth (django-allauth) ------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Paperstreak] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_RATE_LIMITS = {
    # Failed logins are throttled per client IP only, not per address (allauth's default
    # adds "5/5m/key"): a per-address limit lets anyone who knows an address lock its owner
    # out, right password and all, from wherever they log in. Per IP, an attacker only
    # throttles themselves. The cost: guesses spread over many IPs are bounded per IP, not
    # per account — A8's password rules and optional TOTP carry that (OWASP advises against
    # hard lockouts for this reason). The behind-a-proxy client IP comes from A2's settings.
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,60/h/ip"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Paperstreak"
MFA_REAUTHENTICATION_REQUIRED = True
# Activation marks its code used, so it cannot log in again within the same step (A9).
MFA_FORMS = {"activate_totp": "accounts.mfa_forms.ActivateTOTPForm"}
# Behind a reverse proxy, allauth takes the client IP from this header (A2).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None

# --- Security -------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- I18N, static ---------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
