"""Employees, departments and roles.

The employee *is* the user account: profile fields live on `User` so that every list of
authors, members or people needs one join at most (select_related("department")).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:department", kwargs={"slug": self.slug})


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


HISTORY_FIELDS = {"department", "department_id", "is_active", "is_executive"}


class User(AbstractUser):
    """An employee account with its profile and its roles.

    Roles: `is_executive` (leader voice, Leadership space), `is_community_manager` (may
    create and run communities), `is_communications` (official announcements), and
    administrator, which is Django's `is_superuser`.
    """

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language, default=Language.FRENCH
    )
    photo = models.ImageField(_("photo"), upload_to="people/photos/", blank=True)
    bio = models.CharField(_("short bio"), max_length=280, blank=True)
    # The personal narrative (seed 001, after John Hagel): three questions that say what
    # someone wants to do, not what they have done, and how colleagues can help.
    narrative_why = models.TextField(_("why I am here"), blank=True, max_length=2000)
    narrative_goal = models.TextField(_("what I want to accomplish"), blank=True, max_length=2000)
    narrative_help = models.TextField(_("how you can help me"), blank=True, max_length=2000)
    is_executive = models.BooleanField(_("executive"), default=False)
    is_community_manager = models.BooleanField(_("community manager"), default=False)
    # The communications team: publishes must-read announcements (announcements app), like
    # executives and administrators.
    is_communications = models.BooleanField(_("communications"), default=False)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def get_absolute_url(self) -> str:
        return reverse("people:profile", kwargs={"username": self.username})

    def save(self, *args: Any, history_at: datetime | None = None, **kwargs: Any) -> None:
        """Save, and date any change of department, active status or executive role in
        `PersonHistory` (every save path: services, the Django admin, erasure). `history_at`
        dates the change (a back-dated import, the demo); by default now, and the hire date
        for a new account."""
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is not None and not set(fields) & HISTORY_FIELDS:
            return  # a login, a language: nothing the history keeps
        state = (self.department_id, self.is_active, self.is_executive)
        last = (
            PersonHistory.objects.filter(user_id=self.pk)
            .order_by("-since", "-pk")
            .values_list("department_id", "is_active", "is_executive")
            .first()
        )
        if last != state:
            since = history_at or (self.date_joined if last is None else timezone.now())
            PersonHistory.objects.create(
                user_id=self.pk,
                since=since,
                department_id=state[0],
                is_active=state[1],
                is_executive=state[2],
            )


class PersonHistory(models.Model):
    """Who was where: a person's department, active status and executive role from `since`
    on (until their next row). The metrics of a past day read the state of that day, so a
    move or a deactivation never rewrites figures already given. Department kept as a plain
    id, like the event log, so that the history stays as it was."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="history")
    since = models.DateTimeField()
    department_id = models.BigIntegerField(null=True)
    is_active = models.BooleanField()
    is_executive = models.BooleanField()

    class Meta:
        verbose_name = _("department and status history")
        verbose_name_plural = _("department and status history")
        indexes = [models.Index(fields=["user", "since"], name="person_history_user_since")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.since:%Y-%m-%d} {self.department_id}"


def new_secret_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    """What Ruche keeps of a personal token's secret: its SHA-256, in hexadecimal. The secret has
    256 random bits, so a plain hash is enough (no salt, no slow hash: nobody can guess it),
    and a lookup by digest is one indexed query."""
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


class PersonalToken(models.Model):
    """Base of the secrets that let an application without a session (a feed reader, a
    calendar) read what one employee may read. Regenerating the token revokes the old URL.

    Only the digest of the secret is stored (`token_digest`): a copy of the database (a backup,
    a replica, an export) gives no working feed address. The secret itself exists only in the
    answer to the person who created it (`people.services.personal_token_regenerate`).

    Subclasses add `user`, a one-to-one field with their own related name.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} of {self.user_id}"  # type: ignore[attr-defined]

    @classmethod
    def owner_of(cls, secret: str) -> User | None:
        """The active employee this secret belongs to, or None (unknown, malformed, or a
        deactivated account: its links stop working with it)."""
        if not secret or len(secret) > 64:
            return None
        found = (
            cls.objects.select_related("user")  # type: ignore[attr-defined]
            .filter(token_hash=token_digest(secret))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        return found.user
