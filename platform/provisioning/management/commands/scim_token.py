"""`manage.py scim_token create NAME`: a provisioning client and its bearer token, printed
once (only its SHA-256 is kept). `manage.py scim_token delete NAME` revokes it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.refusals import Refusal
from provisioning.models import ProvisioningClient
from provisioning.services import client_create, client_delete


class Command(BaseCommand):
    help = "Create (and print once) or delete the bearer token of a SCIM provisioning client."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "delete"])
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if options["action"] == "delete":
            client = ProvisioningClient.objects.filter(name__iexact=name).first()
            if client is None:
                raise CommandError(f"No provisioning client is called {name}.")
            client_delete(actor=None, client=client)
            self.stdout.write(f"Deleted {client.name}: its token no longer works.")
            return
        try:
            client, secret = client_create(actor=None, name=name)
        except Refusal as refusal:
            raise CommandError(str(refusal.message)) from refusal
        self.stdout.write(f"Provisioning client {client.name}; its token (shown once):")
        self.stdout.write(secret)
