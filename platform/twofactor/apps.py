from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Two-factor authentication")

    def ready(self) -> None:
        # Imported here, not at module level: models can be imported only once apps are ready.
        from django.contrib.auth.signals import user_logged_in

        from twofactor.signals import remember_enrolment

        user_logged_in.connect(remember_enrolment, dispatch_uid="twofactor.remember_enrolment")
