"""Websocket routes of notifications."""

websocket_urlpatterns: list = []
