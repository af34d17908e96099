"""Settings come from the environment; bad values fail clearly; --deploy is clean (D1, D5)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7$kq!f2@z9#m4^p8&r1*v6(w3)y5_u0+t-s=e]a[d}c{b|n;l:o,i.g/h?j<k>QRSTUVWXYZ",
    "ALLOWED_HOSTS": "paperstreak.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://paperstreak.example.com",
    "SITE_URL": "https://paperstreak.example.com",
    "HTTPS": "1",
    "SMTP_URL": "smtp://mailer:secret@smtp.example.com:587?tls=1",
    "DEFAULT_FROM_EMAIL": "Paperstreak <accounts@paperstreak.example.com>",
    "REMINDER_FROM_EMAIL": "Paperstreak reminders <reminders@paperstreak.example.com>",
}


def run_django(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "SITE_URL",
            "SMTP_URL",
            "REDIS_URL",
            "CACHE_REDIS_URL",
            "STATIC_MANIFEST",
            "DEFAULT_FROM_EMAIL",
            "REMINDER_FROM_EMAIL",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_fails_clearly() -> None:
    env = {**PRODUCTION_ENV}
    del env["SECRET_KEY"]
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("SITE_URL", "paperstreak.example.com", "SITE_URL must be an absolute URL"),
        ("SITE_URL", "http://paperstreak.example.com", "SITE_URL must start with https://"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL must be a redis:// URL"),
        ("SMTP_URL", "ftp://mail.example.com", "SMTP_URL must start with smtp://"),
        ("CONN_MAX_AGE", "forever", "CONN_MAX_AGE must be an integer"),
        ("REMINDER_FROM_EMAIL", "Paperstreak <accounts@paperstreak.example.com>", "must differ"),
    ],
)
def test_bad_values_raise_improperly_configured(name: str, value: str, message: str) -> None:
    env = {**PRODUCTION_ENV, name: value}
    if name == "CONN_MAX_AGE":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/test"
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_pass_check_deploy() -> None:
    result = run_django(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_security_settings() -> None:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'samesite': s.SESSION_COOKIE_SAMESITE, "
        "'csrf_samesite': s.CSRF_COOKIE_SAMESITE, 'mailer': s.MAILERS['default']['BACKEND'], "
        "'smtp_host': s.MAILERS['default']['OPTIONS']['host'], 'debug': s.DEBUG}))"
    )
    result = run_django(PRODUCTION_ENV, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "ssl": True,
        "hsts": 31536000,
        "session_secure": True,
        "session_httponly": True,
        "csrf_secure": True,
        "samesite": "Lax",
        "csrf_samesite": "Lax",
        "mailer": "django.core.mail.backends.smtp.EmailBackend",
        "smtp_host": "smtp.example.com",
        "debug": False,
    }


def test_email_uses_mailers_and_no_deprecated_settings() -> None:
    assert "default" in settings.MAILERS
    assert "reminders" in settings.MAILERS
    explicit = {name for name in dir(settings) if settings.is_overridden(name)}
    assert not explicit & {"EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER"}
    assert settings.REMINDER_FROM_EMAIL != settings.DEFAULT_FROM_EMAIL


def test_embedded_defaults_use_sqlite_and_filesystem_broker() -> None:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
        "'cache': s.CACHES['default']['BACKEND'], 'mode': "
        "s.DATABASES['default']['OPTIONS']['transaction_mode']}))"
    )
    env = {"DEBUG": "1", "DATABASE_URL": "", "REDIS_URL": ""}
    result = run_django(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "engine": "django.db.backends.sqlite3",
        "broker": "filesystem://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "mode": "IMMEDIATE",
    }


def test_redis_url_switches_broker_and_cache() -> None:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND']]))"
    )
    result = run_django(
        {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/7"}, "shell", "-c", script
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "redis://127.0.0.1:6379/7",
        "django.core.cache.backends.redis.RedisCache",
    ]


def _redis_locations(env: dict[str, str]) -> list[str]:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND, s.CACHES['default']['LOCATION']]))"
    )
    result = run_django({"DEBUG": "1", **env}, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("redis_url", "cache_url"),
    [
        ("redis://127.0.0.1:6379/7", "redis://127.0.0.1:6379/8"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        ("rediss://:pw@redis.example.com:6380/15", "rediss://:pw@redis.example.com:6380/14"),
        ("unix:///run/redis.sock?db=3", "unix:///run/redis.sock?db=4"),
    ],
)
def test_cache_lives_in_another_redis_database_than_the_broker(
    redis_url: str, cache_url: str
) -> None:
    broker, results, cache = _redis_locations({"REDIS_URL": redis_url})
    assert broker == results == redis_url
    assert cache == cache_url


def test_cache_redis_url_overrides_the_cache_database() -> None:
    env = {"REDIS_URL": "redis://127.0.0.1:6379/2", "CACHE_REDIS_URL": "redis://cache:6379/9"}
    assert _redis_locations(env) == [
        "redis://127.0.0.1:6379/2",
        "redis://127.0.0.1:6379/2",
        "redis://cache:6379/9",
    ]


def test_cache_redis_url_must_be_a_redis_url() -> None:
    env = {
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "CACHE_REDIS_URL": "memcached://x",
    }
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "CACHE_REDIS_URL must be a redis:// URL" in result.stderr
