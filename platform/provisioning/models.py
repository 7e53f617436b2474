"""Who may provision accounts (a SCIM client and its token) and what the identity provider
knows of each account and department it manages (its `externalId`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import Department


class ProvisioningClient(models.Model):
    """An identity provider allowed to call `/scim/v2/` with a bearer token. Only the token's
    SHA-256 is kept (`people.models.token_digest`): the secret is shown once, at creation."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provisioning client")
        verbose_name_plural = _("provisioning clients")

    def __str__(self) -> str:
        return self.name


class ProvisionedUser(models.Model):
    """An account as the identity provider knows it. `deleted_at`: the provider deleted it
    (SCIM DELETE): the account is deactivated and its content kept, and it is no longer a
    resource of the SCIM endpoint until the provider creates it again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provisioning"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provisioned account")
        verbose_name_plural = _("provisioned accounts")

    def __str__(self) -> str:
        return f"{self.user_id} {self.external_id}"


class ProvisionedDepartment(models.Model):
    """A department as the identity provider knows it (a SCIM group)."""

    department = models.OneToOneField(
        Department, on_delete=models.CASCADE, related_name="provisioning"
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("provisioned department")
        verbose_name_plural = _("provisioned departments")

    def __str__(self) -> str:
        return f"{self.department_id} {self.external_id}"
