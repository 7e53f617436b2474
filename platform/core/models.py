"""The Wagtail home page of the intranet."""

from __future__ import annotations

from django.db import models
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
        from core.feed import home_feed_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_feed_context(request))
        return context
