"""SCIM fixtures: a provisioning client with a real token, and a test client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from provisioning.services import client_create


@pytest.fixture
def scim_token(db) -> str:
    _client, secret = client_create(actor=None, name="Entra ID")
    return secret


class ScimClient:
    """Django's test client speaking SCIM: JSON bodies and the bearer token on each request."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        data = json.dumps(body) if body is not None and not isinstance(body, str) else body
        call = getattr(self.client, method.lower())
        kwargs: dict[str, Any] = {"headers": self.headers | extra.pop("headers", {})}
        if data is not None:
            kwargs |= {"data": data, "content_type": "application/scim+json"}
        return call(f"/scim/v2/{path}", **kwargs, **extra)

    def get(self, path: str, **extra: Any) -> Any:
        return self.request("GET", path, **extra)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


@pytest.fixture
def scim(scim_token: str) -> ScimClient:
    return ScimClient(scim_token)
