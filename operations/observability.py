"""Logging configuration and error tracking, called from the settings (no Django import here:
the settings module runs before Django is set up)."""

from __future__ import annotations

import logging
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

# The fields of a JSON log line, besides those a record carries in `extra` (the access log's
# method, path, view, status and duration_ms).
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: one stream handler on stderr, each record with its request id.

    `log_format` "json" writes one JSON object per line (production: a log collector parses
    it); "plain" writes readable lines for a developer's terminal.
    """
    if log_format not in {"json", "plain"}:
        raise ValueError(f"RUCHE_LOG_FORMAT must be json or plain, not {log_format!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "operations.requestid.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "timestamp": False,
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # The access log is the middleware's (operations.middleware), one line per request
            # with its request id; uvicorn's own would say the same without it.
            "uvicorn.access": {"level": "WARNING"},
        },
    }


def sentry_init(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float, **options: Any
) -> bool:
    """Start error tracking when a DSN is given; without one Sentry stays off.

    No personal data leaves by default: no user, IP address, cookies or request bodies (posts
    and comments are personal data), and no local variables of the failing frames. Events
    carry the request id (operations.middleware sets the tag), to find the request's logs.
    """
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            # Warnings stay in the logs; errors logged without an exception become events.
            LoggingIntegration(event_level=logging.ERROR),
        ],
        **options,
    )
    return True
