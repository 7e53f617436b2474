"""Every websocket route of Ruche, gathered from the apps' routing modules."""

from communities.routing import websocket_urlpatterns as communities_ws
from notifications.routing import websocket_urlpatterns as notifications_ws
from people.routing import websocket_urlpatterns as people_ws

websocket_urlpatterns = [*people_ws, *notifications_ws, *communities_ws]
