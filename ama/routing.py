"""Websocket routes of ask-me-anything sessions."""

from django.urls import path

from ama.consumers import SessionConsumer

websocket_urlpatterns: list = [
    path("ws/ama/<int:session_id>/", SessionConsumer.as_asgi()),
]
