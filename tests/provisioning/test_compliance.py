"""The scim2-tester compliance checker (PyPI) against Ruche served by a live server, with a
real token: every check it runs must pass."""

from __future__ import annotations

import pytest
from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from provisioning.services import client_create


@pytest.mark.django_db(transaction=True)
def test_scim2_tester_finds_no_failure(live_server) -> None:
    _client, token = client_create(actor=None, name="Compliance checker")
    http = Client(
        base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {token}"}
    )
    results = check_server(SyncSCIMClient(http))
    failed = [
        f"{r.title} [{r.resource_type}]: {r.reason}"
        for r in results
        if r.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    assert not failed, "\n".join(failed)
    assert sum(r.status == Status.SUCCESS for r in results) > 20
