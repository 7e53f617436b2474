"""Moderation decisions stand until moderation reverses them.

A blog post's `hidden` flag lives on the page, and Wagtail rebuilds a page from a revision when
it publishes: an author republishing (or a scheduled revision going live) would bring back the
flag as it was in that revision, un-hiding the post. So whenever a post is published, a post
that moderation hid (a report in the "hidden" state) is hidden again, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from governance.models import ContentKind, Report, ReportStatus


def keep_moderated_post_hidden(sender: Any, instance: Any, **kwargs: Any) -> None:
    from blogs.models import PostPage

    if not isinstance(instance, PostPage) or instance.hidden:
        return
    hidden_by_moderation = Report.objects.filter(
        kind=ContentKind.POST, object_id=instance.pk, status=ReportStatus.HIDDEN
    ).exists()
    if hidden_by_moderation:
        PostPage.objects.filter(pk=instance.pk).update(hidden=True)
        instance.hidden = True


def connect() -> None:
    from wagtail.signals import page_published

    page_published.connect(
        keep_moderated_post_hidden, dispatch_uid="governance.keep_moderated_post_hidden"
    )
