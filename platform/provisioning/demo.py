"""Demo data for SCIM provisioning: one client, as an identity provider would have, so that the
audit log and `/scim/v2/` can be tried with `make run`. Its token is printed once, when it is
created. Idempotent: nothing is added once the demo client exists."""

from __future__ import annotations

import random
from typing import TextIO

from provisioning.models import ProvisioningClient
from provisioning.services import client_create

DEMO_CLIENT = "Entra ID (démo)"


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    if ProvisioningClient.objects.filter(name=DEMO_CLIENT).exists():
        stdout.write("  provisioning: the demo SCIM client exists")
        return
    _client, token = client_create(actor=None, name=DEMO_CLIENT)
    stdout.write(f"  provisioning: SCIM client {DEMO_CLIENT}, token (shown once): {token}")
