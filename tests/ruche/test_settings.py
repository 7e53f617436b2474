"""Settings modes: embedded defaults, and a production mode that passes `check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code_or_args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RUCHE_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_defaults_need_no_server(tmp_path):
    result = _run(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ruche.settings';"
            "import sys; sys.path[:0]=['platform','.']; django.setup();"
            "from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
            " s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_BROKER_URL)",
        ],
        RUCHE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "channels.layers.InMemoryChannelLayer",
        "filesystem://localhost//",
    ]


def test_redis_url_switches_cache_channel_layer_and_broker(tmp_path):
    result = _run(
        [
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ruche.settings';"
            "import sys; sys.path[:0]=['platform','.']; django.setup();"
            "from django.conf import settings as s;"
            "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
            " s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_BROKER_URL)",
        ],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ruche",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "core.cache.DegradingRedisCache",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "redis://127.0.0.1:6379/3",
    ]


def test_production_passes_check_deploy_without_warnings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="ruche.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="intranet.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ruche",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    result = _run(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE="ruche.settings.production",
        DJANGO_ALLOWED_HOSTS="intranet.example.com",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    result = _run(
        ["manage.py", "check"],
        DJANGO_SETTINGS_MODULE="ruche.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="intranet.example.com",
    )
    assert result.returncode != 0
    assert "REDIS_URL is required" in result.stderr
