"""Websocket routes of communities."""

websocket_urlpatterns: list = []
