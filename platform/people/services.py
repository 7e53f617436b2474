"""Writes about people: accounts, profiles, language. One function per write (DESIGN.md)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity.models import Verb
from activity.services import event_record
from core.consumers import account_group
from core.refusals import Refusal
from people.models import (
    Department,
    Language,
    PersonalToken,
    User,
    new_secret_token,
    token_digest,
)
from people.permissions import can_edit_profile
from people.tasks import send_password_reset_email, send_welcome_email

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


# What a directory (the CSV import, a synchronisation) changes on an account. The username
# too: an identity provider renames accounts (SCIM `userName`, provisioning app).
DIRECTORY_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "department",
    "job_title",
    "manager",
    "preferred_language",
)


@transaction.atomic
def person_directory_update(*, person: User, values: dict[str, Any]) -> User:
    """Set what the company's directory says of `person` (fields of `DIRECTORY_FIELDS`) and
    save only those: a change of department is dated now in `PersonHistory` (by `User.save`),
    so the events already recorded keep the department they were in. The caller checked who
    may, and audits."""
    unknown = set(values) - set(DIRECTORY_FIELDS)
    if unknown:
        raise ValueError(f"Not directory fields: {sorted(unknown)}")
    for name, value in values.items():
        setattr(person, name, value)
    if values:
        person.save(update_fields=list(values))
    return person


@transaction.atomic
def person_active_set(*, person: User, active: bool, end_sessions: bool = True) -> User:
    """Deactivate (or reactivate) an account. A deactivated account can no longer sign in, and
    its open sessions end once the change is committed; it leaves the metrics' population
    from now on (`PersonHistory`), its past stays as it was. The caller checked who may, and
    audits. `end_sessions=False`: the caller ends them itself, for many accounts at once."""
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active and end_sessions:
        transaction.on_commit(partial(sessions_end, user_ids={person.pk}))
    if not active:
        transaction.on_commit(partial(sockets_close, user_ids={person.pk}))
    return person


def sockets_close(*, user_ids: set[int]) -> None:
    """Close every open websocket of these accounts now, in every web process (each socket
    is in its account's group, `core.consumers.account_group`). A socket is authenticated once,
    at its handshake: without this a deactivated person would keep receiving live updates."""
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for user_id in user_ids:
        send(account_group(user_id), {"type": "account.closed"})


@transaction.atomic
def personal_tokens_revoke(*, user: User) -> int:
    """Delete every personal token of `user` (feeds, calendars: each concrete kind of
    `PersonalToken`, whatever app defines it), so that no address made for them works again,
    even if the account is reactivated. Returns how many were deleted."""
    deleted = 0
    for model in _concrete_subclasses(PersonalToken):
        # Every concrete kind has its `user` (see PersonalToken's docstring).
        deleted += model._default_manager.filter(user=user).delete()[0]  # type: ignore[misc]
    return deleted


def _concrete_subclasses(base: type[Any]) -> list[type[PersonalToken]]:
    found: list[type[PersonalToken]] = []
    for model in base.__subclasses__():
        if not model._meta.abstract:
            found.append(model)
        found.extend(_concrete_subclasses(model))
    return found


def sessions_end(*, user_ids: set[int]) -> int:
    """End every open session of these accounts (sign them out everywhere). One pass over the
    sessions not expired yet, whatever the number of accounts; returns how many ended.

    Django already refuses a deactivated account on its next request (`ModelBackend.get_user`);
    deleting the sessions also clears them from the cache of `cached_db` sessions and leaves
    nothing to revive if the account is reactivated."""
    if not user_ids:
        return 0
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    wanted = {str(pk) for pk in user_ids}
    ended = 0
    for key, data in (
        Session.objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator()
    ):
        if str(store().decode(data).get(SESSION_KEY, "")) in wanted:
            store(session_key=key).delete()
            ended += 1
    return ended


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


def _password_reset_throttle(*, email: str, client_address: str) -> None:
    """Count a reset request against its address and its e-mail, in fixed windows, in the
    cache (Redis in production, shared by every web worker). Counted whether or not the
    e-mail is anyone's, so that the refusal says nothing about accounts either."""
    window = settings.RUCHE_PASSWORD_RESET_WINDOW_MINUTES
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    counts = []
    for key in (f"password-reset:ip:{client_address}", f"password-reset:email:{digest}"):
        cache.add(key, 0, timeout=window * 60)
        counts.append(cache.incr(key))
    if max(counts) > settings.RUCHE_PASSWORD_RESET_LIMIT:
        raise Refusal(
            ngettext(
                "Too many password reset requests: try again in %(minutes)d minute.",
                "Too many password reset requests: try again in %(minutes)d minutes.",
                window,
            )
            % {"minutes": window},
            field="email",
            status=429,
        )


@transaction.atomic
def password_reset_request(*, email: str, client_address: str) -> None:
    """Send a reset link to each active account with this e-mail address (after commit, from a
    task). Refuses with a Refusal (429) past the limit per address or per e-mail; otherwise the
    caller answers the same whether or not the address is anyone's."""
    _password_reset_throttle(email=email, client_address=client_address)
    accounts = User.objects.filter(email__iexact=email.strip(), is_active=True)
    if not settings.RUCHE_PASSWORD_LOGIN:  # single sign-on only: the break-glass accounts
        accounts = accounts.filter(username__in=settings.RUCHE_BREAK_GLASS_USERS, is_superuser=True)
    for user_id in accounts.values_list("pk", flat=True):
        transaction.on_commit(partial(send_password_reset_email.delay, user_id))


def password_reset_confirmed(*, user: User) -> None:
    """After a password was reset by e-mail: the lockout message offered the reset as a way
    out, so the failed sign-ins recorded for this username stop counting."""
    from axes.utils import reset

    reset(username=user.get_username())


# --- Accounts from an identity provider (single sign-on) --------------------------------------


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the identity provider says signed in, read from its claims (people.oidc). None for
    department and job title: the provider did not send them (nothing changes); "" means
    sent empty (nothing changes either: an empty claim never empties a profile)."""

    provider: str
    subject: str
    email: str
    email_verified: bool
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    department: str | None = None
    job_title: str | None = None


USERNAME_MAX_LENGTH = 150


def _free_username(identity: ProviderIdentity) -> str:
    """A username for a new account: the provider's (its part before any "@", as in
    "jane.doe@company.com"), else the e-mail's; made unique with "-2", "-3"..."""
    wanted = (identity.username or identity.email).split("@")[0]
    base = re.sub(r"[^\w.+-]", "", wanted.lower())[: USERNAME_MAX_LENGTH - 6] or "employee"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def department_named(name: str) -> Department:
    """The department of this name (any case), created if the directory names a new one."""
    name = name.strip()[:120]
    found = Department.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    taken = set(
        Department.objects.filter(slug__startswith=slugify(name)[:110]).values_list(
            "slug", flat=True
        )
    )
    return Department.objects.create(name=name, slug=department_slug(name, taken))


def department_slug(name: str, taken: set[str]) -> str:
    """A slug for a new department called `name`, not in `taken` (which gains it): the
    directory's paths (sign-in, CSV import) may name several new departments at once."""
    base = slugify(name)[:110] or "department"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


@transaction.atomic
def user_directory_update(
    *, user: User, department: str | None = None, job_title: str | None = None
) -> list[str]:
    """Bring department and job title in line with what a directory says (a sign-in through
    the identity provider). Empty or missing values change nothing. A change of department
    is dated in PersonHistory by `User.save`, so the metrics of past days keep the department
    the person was in then. Returns the fields changed."""
    values: dict[str, Any] = {}
    if department:
        new_department = department_named(department)
        if user.department_id != new_department.pk:
            values["department"] = new_department
    if job_title and user.job_title != job_title[:150]:
        values["job_title"] = job_title[:150]
    if values:
        person_directory_update(person=user, values=values)
        event_record(actor=user, verb=Verb.UPDATED_PROFILE, obj=user, target_user=user)
    return list(values)


@transaction.atomic
def user_sign_in_with_provider(*, identity: ProviderIdentity, create: bool) -> User:
    """The account of someone the identity provider signed in: the one with their verified
    e-mail address, or a new one when `create` (RUCHE_OIDC_CREATE_ACCOUNTS). Department and
    job title follow the provider's claims at every sign-in. Refuses (Refusal, 403) an
    unverified or missing e-mail, an e-mail shared by several accounts, a deactivated account,
    and an unknown e-mail when accounts are not created."""
    email = identity.email
    context = {"provider": identity.provider, "email": email}
    if not email:
        raise Refusal(
            _(
                "%(provider)s did not send your e-mail address, which Ruche needs to find "
                "your account. Ask an administrator."
            )
            % context,
            status=403,
        )
    if not identity.email_verified:
        raise Refusal(
            _(
                "%(provider)s has not verified your e-mail address %(email)s, so Ruche cannot "
                "link it to an account. Verify it with %(provider)s, then sign in again."
            )
            % context,
            status=403,
        )
    matches = list(User.objects.select_for_update().filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise Refusal(
            _(
                "Several Ruche accounts have the e-mail address %(email)s: an administrator "
                "must keep only one before you can sign in with %(provider)s."
            )
            % context,
            status=403,
        )
    if matches:
        user = matches[0]
        if not user.is_active:
            raise Refusal(
                _("This account is deactivated. Please contact an administrator."), status=403
            )
        user_directory_update(
            user=user, department=identity.department, job_title=identity.job_title
        )
        return user
    if not create:
        raise Refusal(
            _(
                "No Ruche account has the e-mail address %(email)s. Ask an administrator to "
                "create yours, then sign in again."
            )
            % context,
            status=403,
        )
    return user_create(
        username=_free_username(identity),
        email=email,
        first_name=identity.first_name[:150],
        last_name=identity.last_name[:150],
        department=department_named(identity.department) if identity.department else None,
        job_title=(identity.job_title or "")[:150],
    )
