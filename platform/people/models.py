"""Employees, departments and roles.

The employee *is* the user account: profile fields live on `User` so that every list of
authors, members or people needs one join at most (select_related("department")).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
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


class User(AbstractUser):
    """An employee account with its profile and its roles.

    Roles: `is_executive` (leader voice, Leadership space), `is_community_manager` (may
    create and run communities), and administrator, which is Django's `is_superuser`.
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
