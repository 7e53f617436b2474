# Ruche production image: one image for web (ASGI), Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=ruche.settings.production \
    PYTHONPATH=/app/platform:/app

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 ruche

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY --chown=ruche:ruche . .
# Static files and compiled catalogues are built into the image; the build needs no secret.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build REDIS_URL=redis://build:6379/0 \
        python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build REDIS_URL=redis://build:6379/0 \
        python manage.py compilemessages --ignore=.venv \
    && mkdir -p /app/media /app/var && chown ruche:ruche /app/media /app/var

USER ruche
EXPOSE 8000
# Several uvicorn workers under gunicorn: a single ASGI process is far slower under load.
CMD ["gunicorn", "ruche.asgi:application", "--worker-class", "uvicorn_worker.UvicornWorker", \
     "--workers", "4", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
