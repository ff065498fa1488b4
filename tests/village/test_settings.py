"""Settings come from the environment and are strict about bad values (DESIGN.md §12)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_value(expression: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    environment.update(env)
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'village.settings'); "
        f"django.setup(); from django.conf import settings; print({expression})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_without_redis_celery_runs_eagerly_on_sqlite():
    result = _settings_value("settings.CELERY_TASK_ALWAYS_EAGER, settings.DATABASES['default']['ENGINE']")
    assert result.stdout.strip() == "True django.db.backends.sqlite3"


def test_with_redis_and_database_url_celery_uses_the_broker():
    result = _settings_value(
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, settings.DATABASES['default']['ENGINE']",
        REDIS_URL="redis://127.0.0.1:6379/3",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/village",
    )
    assert result.stdout.strip() == "False redis://127.0.0.1:6379/3 django.db.backends.postgresql"


def test_a_bad_number_is_refused():
    result = _settings_value("settings.VILLAGE_SUPPRESSION_K", VILLAGE_SUPPRESSION_K="0")
    assert result.returncode != 0
    assert "VILLAGE_SUPPRESSION_K must be a positive whole number" in result.stderr


def test_production_without_secret_key_is_refused():
    result = _settings_value("settings.SECRET_KEY", VILLAGE_PRODUCTION="true", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_require_mfa_is_read_from_the_environment():
    assert (
        _settings_value("settings.VILLAGE_REQUIRE_MFA", VILLAGE_REQUIRE_MFA="true").stdout.strip() == "True"
    )
    assert _settings_value("settings.VILLAGE_REQUIRE_MFA").stdout.strip() == "False"


def test_deploy_check_is_clean_under_production_settings():
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the last is set for browser tests
    environment = {key: value for key, value in os.environ.items() if key not in dropped}
    environment.update(VILLAGE_PRODUCTION="true", VILLAGE_HTTPS="true", SECRET_KEY=secrets.token_urlsafe(50))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
