from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    """SCIM 2.0 provisioning: the company's identity provider (Entra ID, Okta...) creates,
    updates and deactivates accounts and departments through `/scim/v2/`. It writes through
    the people services, like the CSV import of the console."""

    name = "provisioning"
    label = "provisioning"
    verbose_name = _("Provisioning (SCIM)")
