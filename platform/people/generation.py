"""One number that changes whenever something about people or departments changes.

Pages show people everywhere (an author's name, photo and department beside each comment, the
directory, who heads which department in the navigation). What is cached from them is kept
under this generation, read before the database and bumped at once and again on commit by
every save and deletion of a person or a department, whatever code path makes it (services,
the admin, the directory import, SCIM, an erasure): an entry made from a state that was about
to change is never read again (`core.versions`).
A sign-in, which only stamps `last_login`, changes nothing anyone sees and bumps nothing.

`QuerySet.update()` sends no signal: code that updates people in bulk calls `people_changed()`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.versions import bump_now_and_on_commit, read_versions, usual_version
from people.models import Department, User

GENERATION_KEY = usual_version("people:generation")
# Saves of these fields alone change nothing a page shows.
SILENT_USER_FIELDS = frozenset({"last_login", "password"})


def people_generation() -> int:
    return read_versions([GENERATION_KEY])[GENERATION_KEY]


def people_changed() -> None:
    """A person or a department changed (at once and on commit)."""
    bump_now_and_on_commit(GENERATION_KEY)


@receiver(post_save, sender=User)
def _person_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields and set(update_fields) <= SILENT_USER_FIELDS:
        return
    people_changed()


@receiver(post_delete, sender=User)
@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
def _people_changed(sender: Any, **kwargs: Any) -> None:
    people_changed()
