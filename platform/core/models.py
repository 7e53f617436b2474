"""The Wagtail home page of the intranet, and the moderation state every content kind shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The root of the site, created by the first migration; everything else sits below it.

    Its body shows the home feed of the signed-in employee (see core.feed).
    """

    intro = models.CharField(_("welcome line"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from core.feed import MAX_PAGE, home_feed_context
        from core.http import int_or_400

        context = super().get_context(request, *args, **kwargs)
        page = int_or_400(request.GET.get("page"), default=1, low=1, high=MAX_PAGE)
        context.update(home_feed_context(request, page=page))
        return context

    def get_template(self, request, *args, **kwargs):
        # "Load more" (core/feed.js) asks for the next page's items only.
        if request.GET.get("partial") == "feed":
            return "core/includes/feed_page.html"
        return super().get_template(request, *args, **kwargs)


HIDDEN_REASON_MAX_LENGTH = 1000


class Moderated(models.Model):
    """The moderation state shared by posts, threads and comments: hidden by whom, when and
    why. Moderation never deletes; restoring clears the three fields.

    Only `governance.services.content_hide` / `content_restore` call `moderation_hide` /
    `moderation_restore` (through each kind's adapter in `core.content`), so that every hide
    is checked, audited and told to the author the same way.
    """

    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=HIDDEN_REASON_MAX_LENGTH, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def moderation_hide(self, *, actor, reason: str) -> None:
        self.hidden_at = timezone.now()
        self.hidden_by = actor
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])

    def moderation_restore(self, *, actor) -> None:
        self.hidden_at = None
        self.hidden_by = None
        self.hidden_reason = ""
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
