from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from core.media import FileHolder, register_holder
        from people import generation  # noqa: F401 - its receivers bump the people generation
        from people.models import User

        # A profile photo appears beside its owner's name everywhere: every signed-in
        # employee may read it (core.media refuses everyone else).
        register_holder(
            FileHolder(model=User, field="photo", prefix=PHOTO_FOLDER, may_read=lambda u, o: True)
        )


PHOTO_FOLDER = "people/photos/"
