"""Receivers that keep blogs in step with what happens elsewhere; each calls a service."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from blogs.models import PostPage
from blogs.services import (
    employee_admin_access_grant,
    post_mentions_record,
    post_publication_record,
)
from core.feed import feed_changed


@receiver(page_published, sender=PostPage)
def record_first_publication(sender, instance: PostPage, **kwargs) -> None:
    """Wagtail publishes posts (editor, scheduled publishing, services): count the first
    time, and tell the people the post newly mentions."""
    post_publication_record(post=instance)
    post_mentions_record(post=instance)
    feed_changed()  # new or edited title and text in everyone's home feed


@receiver(page_unpublished, sender=PostPage)
def leave_the_feeds(sender, instance: PostPage, **kwargs) -> None:
    """Unpublished (editor, expiry, services, deletion): out of every home feed."""
    feed_changed()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_new_employees_the_editor(sender, instance, created: bool, **kwargs) -> None:
    """Every employee may write on their own blog, so every new account joins Employees."""
    if created and not kwargs.get("raw"):
        employee_admin_access_grant(user=instance)
