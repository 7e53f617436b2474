"""`manage.py scim_token create NAME` prints the token once; it then authenticates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import AuditEntry
from provisioning.models import ProvisioningClient

from .conftest import ScimClient

pytestmark = pytest.mark.django_db


def test_create_prints_a_working_token_and_delete_revokes_it():
    out = StringIO()
    call_command("scim_token", "create", "Entra ID", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert ScimClient(token).get("ServiceProviderConfig").status_code == 200
    assert AuditEntry.objects.filter(action="scim_client.created").count() == 1
    with pytest.raises(CommandError):
        call_command("scim_token", "create", "entra id", stdout=StringIO())
    call_command("scim_token", "delete", "Entra ID", stdout=StringIO())
    assert not ProvisioningClient.objects.exists()
    assert ScimClient(token).get("ServiceProviderConfig").status_code == 401
