"""Receivers that keep blogs in step with what happens elsewhere; each calls a service."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from blogs.models import PostPage
from blogs.services import (
    employee_admin_access_grant,
    post_mentions_record,
    post_publication_record,
)


@receiver(page_published, sender=PostPage)
def record_first_publication(sender, instance: PostPage, **kwargs) -> None:
    """Wagtail publishes posts (editor, scheduled publishing, services): count the first
    time, and tell the people the post newly mentions."""
    post_publication_record(post=instance)
    post_mentions_record(post=instance)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_new_employees_the_editor(sender, instance, created: bool, **kwargs) -> None:
    """Every employee may write on their own blog, so every new account joins Employees."""
    if created and not kwargs.get("raw"):
        employee_admin_access_grant(user=instance)
