"""Writes about people: accounts, profiles, language. One function per write (DESIGN.md)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction

from activity.models import Verb
from activity.services import event_record
from people.models import (
    Department,
    Language,
    PersonalToken,
    User,
    new_secret_token,
    token_digest,
)
from people.permissions import can_edit_profile
from people.tasks import send_welcome_email

# A kind of personal token (a feed token, a calendar token): the functions return that kind.
TokenT = TypeVar("TokenT", bound=PersonalToken)

PROFILE_FIELDS = (
    "display_name",
    "job_title",
    "bio",
    "preferred_language",
    "photo",
    "narrative_why",
    "narrative_goal",
    "narrative_help",
)
# Only administrators move people between departments or change who manages whom.
ADMIN_PROFILE_FIELDS = ("department", "manager")


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    department: Department | None = None,
    send_welcome: bool = True,
    **profile: Any,
) -> User:
    """Create an employee account; the welcome e-mail goes out once the account is committed."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        department=department,
        **profile,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if send_welcome and email:
        transaction.on_commit(lambda: send_welcome_email.delay(user.pk))
    return user


@transaction.atomic
def profile_update(*, editor: User, profile: User, data: dict[str, Any]) -> User:
    """Update a profile with cleaned form data; only the person or an administrator may."""
    if not can_edit_profile(editor, profile):
        raise PermissionDenied
    allowed = PROFILE_FIELDS + (ADMIN_PROFILE_FIELDS if editor.is_superuser else ())
    changed = [field for field in allowed if field in data]
    # What is stored, not the instance (a ModelForm has already put its values on it).
    old_photo = User.objects.filter(pk=profile.pk).values_list("photo", flat=True).first() or ""
    for field in changed:
        setattr(profile, field, data[field])
    if "photo" in changed and data["photo"] is False:  # "Clear" ticked on the form
        profile.photo = ""
    profile.save(update_fields=changed or None)
    if old_photo and profile.photo.name != old_photo:
        # The replaced or cleared photo leaves the storage once the new state is committed.
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    event_record(actor=editor, verb=Verb.UPDATED_PROFILE, obj=profile, target_user=profile)
    return profile


def language_set(*, user: User, language: str) -> None:
    """Remember the interface language the employee chose."""
    if language not in Language.values:
        raise ValueError(f"Unsupported language: {language}")
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def personal_token_of(*, model: type[TokenT], user: User) -> TokenT | None:
    """The employee's token of this kind (feed, calendar), if they created one. Its secret is
    not in it: only its digest is stored."""
    return model._default_manager.filter(user=user).first()


@transaction.atomic
def personal_token_regenerate(*, model: type[TokenT], user: User) -> tuple[TokenT, str]:
    """A new secret, the first or one replacing the old (applications still using the old URL
    get nothing from now on). The secret is returned to be shown once, to its owner; only its
    digest is kept."""
    secret = new_secret_token()
    token = model._default_manager.select_for_update().filter(user=user).first()
    if token is None:
        token = model._default_manager.create(user=user, token_hash=token_digest(secret))
    else:
        token.token_hash = token_digest(secret)
        token.save(update_fields=["token_hash", "created_at"])
    return token, secret
