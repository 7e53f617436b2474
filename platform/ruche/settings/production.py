"""Production settings: secrets have no default and fail loudly; HTTPS everywhere.

`DJANGO_SETTINGS_MODULE=ruche.settings.production manage.py check --deploy` passes with no
warning once DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL are given.
"""

from django.core.exceptions import ImproperlyConfigured

from operations.observability import logging_config, sentry_init

from .base import *  # noqa: F403
from .base import REDIS_URL, RUCHE_RELEASE, env

DEBUG = False
DEMO_MODE = env.bool("RUCHE_DEMO_MODE", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is required in production (cache, channel layer, Celery broker)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "static_collected"))  # noqa: F405

# --- Operations: logs, error tracking, metrics ------------------------------------------------
# One JSON object per line for the log collector, each with its request id.
LOGGING = logging_config(
    log_format=env.str("RUCHE_LOG_FORMAT", default="json"),
    level=env.str("RUCHE_LOG_LEVEL", default="INFO"),
)
# Error tracking is off unless SENTRY_DSN is set; no personal data is sent (see sentry_init).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
sentry_init(
    dsn=SENTRY_DSN,
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    release=RUCHE_RELEASE,
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
# Probes from inside the network (the container's health check, a Prometheus scraper) speak
# plain HTTP to the web container: no redirect to HTTPS for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
