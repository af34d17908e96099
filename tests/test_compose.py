"""Docker can't run here, so the compose file and Dockerfile are checked against the code."""

import importlib
import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_words(service: dict) -> list[str]:
    command = service["command"]
    words = command if isinstance(command, list) else shlex.split(command)
    if words[:2] == ["sh", "-c"]:
        words = shlex.split(words[2].replace("&&", " "))
    return words


def test_compose_has_the_production_stack() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "mailpit", "web", "worker", "beat"}


def test_every_app_service_command_names_real_modules() -> None:
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        words = command_words(services[name])
        for word in words:
            if word.endswith(":application"):
                module, attribute = word.split(":")
                assert hasattr(importlib.import_module(module), attribute), word
        if "celery" in words:
            app_module = words[words.index("-A") + 1]
            assert hasattr(importlib.import_module(app_module), "celery_app")
        if "manage.py" in words:
            assert (ROOT / "manage.py").exists()
    assert "worker" in command_words(services["worker"])
    assert "beat" in command_words(services["beat"])
    assert "gunicorn" in command_words(services["web"])


def test_compose_environment_names_settings_that_exist() -> None:
    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    env = compose()["x-app"]["environment"]
    for variable in env:
        assert re.search(rf'"{variable}"', settings_source), f"{variable} is not read by settings"


def test_dockerfile_runs_gunicorn_on_the_wsgi_app() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "tracker.wsgi:application" in dockerfile
    assert settings.WSGI_APPLICATION == "tracker.wsgi.application"


def test_env_example_lists_only_known_variables() -> None:
    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert f'"{name}"' in settings_source, name


def test_dockerfile_collectstatic_step_runs(tmp_path: Path) -> None:
    """The image build's collectstatic line, with its own environment, must succeed."""
    import os
    import subprocess
    import sys

    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if "collectstatic" in line
    )
    words = shlex.split(line.removeprefix("RUN ").split("&&")[0].rstrip(" \\"))
    env_words = [word for word in words if "=" in word and word.split("=")[0].isupper()]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "SECRET_KEY", "STATIC_MANIFEST"}
    }
    env.update(dict(word.split("=", 1) for word in env_words))
    env["VAR_DIR"] = str(tmp_path)
    command = [sys.executable, *words[len(env_words) + 1 :]]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_mail_settings_in_dot_env_are_not_overridden_by_the_compose_file() -> None:
    """`environment:` wins over `env_file:`, so mail settings must be interpolated."""
    app = compose()["x-app"]["environment"]
    for name in ("SMTP_URL", "REMINDER_SMTP_URL", "DEFAULT_FROM_EMAIL", "REMINDER_FROM_EMAIL"):
        assert app[name].startswith("${" + name), (name, app[name])


def test_web_health_check_sends_an_allowed_host() -> None:
    test = " ".join(compose()["services"]["web"]["healthcheck"]["test"])
    assert "ALLOWED_HOSTS" in test and "'Host'" in test
