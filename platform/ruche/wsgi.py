"""WSGI entry point (management tools only: Ruche is served over ASGI for websockets)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
application = get_wsgi_application()
