# Ruche production image: one image for web (ASGI), Celery worker, beat and the backup job.
# Runtime dependencies only (requirements-runtime.lock: pyproject.toml without the dev extra, so
# no pytest, Playwright, mypy or ruff); PostgreSQL's client programs for `manage.py backup`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=ruche.settings.production \
    PYTHONPATH=/app/platform:/app

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 ruche

WORKDIR /app
COPY requirements-runtime.lock ./
RUN pip install -r requirements-runtime.lock

COPY --chown=ruche:ruche . .
# Static files and compiled catalogues are built into the image; the build needs no secret.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build REDIS_URL=redis://build:6379/0 \
        python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build REDIS_URL=redis://build:6379/0 \
        python manage.py compilemessages --ignore=.venv \
    && mkdir -p /app/media /app/var /backups && chown ruche:ruche /app/media /app/var /backups

USER ruche
EXPOSE 8000
# Several uvicorn workers under gunicorn: a single ASGI process is far slower under load. The
# config sets up Prometheus' multiprocess folder; the access log is Ruche's own (JSON, with the
# request id: operations.middleware), so gunicorn writes none.
# The worker bounds its concurrent requests (RUCHE_WORKER_CONCURRENCY, operations.workers).
CMD ["gunicorn", "ruche.asgi:application", "--config", "python:operations.gunicorn_config", \
     "--worker-class", "operations.workers.BoundedUvicornWorker", "--workers", "4", \
     "--bind", "0.0.0.0:8000"]
