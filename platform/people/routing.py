from django.urls import path

from people.consumers import PresenceConsumer

websocket_urlpatterns = [path("ws/presence/", PresenceConsumer.as_asgi())]
