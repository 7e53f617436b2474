"""Every websocket route of Ruche, gathered from the apps' routing modules; a path that matches
none of them is refused (`NoRouteConsumer`), not a crash of the router."""

from django.urls import re_path

from ama.routing import websocket_urlpatterns as ama_ws
from communities.routing import websocket_urlpatterns as communities_ws
from core.consumers import NoRouteConsumer
from notifications.routing import websocket_urlpatterns as notifications_ws
from people.routing import websocket_urlpatterns as people_ws

websocket_urlpatterns = [
    *people_ws,
    *notifications_ws,
    *communities_ws,
    *ama_ws,
    re_path(r"", NoRouteConsumer.as_asgi()),
]
