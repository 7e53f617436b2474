"""Websocket routes of communities."""

from django.urls import path

from communities.consumers import CommunityConsumer, ThreadConsumer

websocket_urlpatterns: list = [
    path("ws/communities/threads/<int:thread_id>/", ThreadConsumer.as_asgi()),
    path("ws/communities/<int:community_id>/", CommunityConsumer.as_asgi()),
]
