"""ASGI entry point: HTTP goes to Django, websockets to the Channels consumers of each app.

HTTP requests pass the admission gate (a few at a time per process, writes in their own lane).
Websockets need an authenticated session (AuthMiddlewareStack) that has passed the two-factor
step when the person has one (TwoFactorWebsocketGate) and an allowed Origin
(AllowedHostsOriginValidator); each consumer then checks its own permissions.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from operations.admission import gated  # noqa: E402
from operations.middleware import WebsocketGauge  # noqa: E402
from ruche.routing import websocket_urlpatterns  # noqa: E402
from twofactor.websocket import TwoFactorWebsocketGate  # noqa: E402

# The URLconf, and with it every view module, is imported now rather than by the first
# reverse() or request of each process: that took 3.7 s here (the SCIM models alone 2.6 s),
# during which a websocket process could not render the live reply 1,000 pages waited for.
get_resolver().url_patterns  # noqa: B018

application = ProtocolTypeRouter(
    {
        # A few page loads at a time per process; writes in a lane of their own.
        "http": gated(
            django_asgi_app,
            settings.RUCHE_REQUEST_SLOTS,
            settings.RUCHE_WRITE_SLOTS,
            settings.RUCHE_WRITE_PRIORITY_MS,
        ),
        # WebsocketGauge counts open sockets for /metrics (ruche_websocket_connections).
        "websocket": WebsocketGauge(
            AllowedHostsOriginValidator(
                AuthMiddlewareStack(TwoFactorWebsocketGate(URLRouter(websocket_urlpatterns)))
            )
        ),
    }
)
