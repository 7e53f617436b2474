"""The Wagtail home page of the intranet, and the moderation state every content kind shares."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from core.versions import bump_now_and_on_commit, kept_under, read_versions, usual_version


class ViewRestrictionsCached:
    """For page types: Wagtail asks a page's view restrictions (its own and its ancestors')
    on every request, two queries; which restrictions apply is kept under the route version,
    which every save and deletion of a page or of a restriction bumps. With none (an
    intranet's usual case) the answer is an empty queryset, which reads nothing."""

    def get_view_restrictions(self):
        ids, _stamp = kept_under(
            f"ruche:restrictions:{self.pk}",
            [ROUTE_VERSION_KEY],
            lambda: sorted(
                super(ViewRestrictionsCached, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
            seconds=ROUTE_CACHE_SECONDS,
        )
        restrictions = PageViewRestriction.objects.all()
        return restrictions.filter(pk__in=ids) if ids else restrictions.none()


class HomePage(ViewRestrictionsCached, Page):
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

    def route(self, request, path_components):
        # Every page of the site is served through this first step (/blogs/…, /leadership/):
        # Wagtail would fetch the child and then its specific row, two queries per request.
        # The section pages below home change rarely, so their specific objects are cached,
        # keyed by a version that any page save, deletion or move bumps (see below). The
        # rest of the route (its live checks, the sections' own `route`) stays Wagtail's.
        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]

        def read():
            child = self.get_children().filter(slug=slug).first()
            return child.specific if child is not None else None

        subpage, _stamp = kept_under(
            f"ruche:route:{self.pk}:{slug}", [ROUTE_VERSION_KEY], read, seconds=ROUTE_CACHE_SECONDS
        )
        if subpage is None:
            raise Http404
        subpage._cached_parent_obj = self
        return subpage.route(request, path_components[1:])

    def get_template(self, request, *args, **kwargs):
        # "Load more" (core/feed.js) asks for the next page's items only.
        if request.GET.get("partial") == "feed":
            return "core/includes/feed_page.html"
        return super().get_template(request, *args, **kwargs)


ROUTE_CACHE_SECONDS = 3600
ROUTE_VERSION_KEY = usual_version("ruche:route:version")


def route_version() -> int:
    """The version every save, deletion or move of a page (or of a site or a view
    restriction) bumps: what is kept from Wagtail's pages is kept under it."""
    return read_versions([ROUTE_VERSION_KEY])[ROUTE_VERSION_KEY]


def route_cache_clear() -> None:
    """Forget everything kept under the route version: a page changed (title, slug, live
    state, place, dates), or a site or a view restriction did. At once and on commit: Wagtail
    publishes inside a transaction (`core.versions`)."""
    bump_now_and_on_commit(ROUTE_VERSION_KEY)


def site_remember(request) -> None:
    """Give Wagtail the request's site from the cache, its root page already specific.

    `Site.find_for_request` reads `request._wagtail_site` when it is set; otherwise every
    page served costs a query for the site and another for the home page's own row (the
    route's first step). Kept under the route version, which a save of any page or site bumps.
    """
    hostname = split_domain_port(request.get_host())[0]

    def read():
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    request._wagtail_site, _stamp = kept_under(
        f"ruche:site:{hostname}:{request.get_port()}",
        [ROUTE_VERSION_KEY],
        read,
        seconds=ROUTE_CACHE_SECONDS,
    )


@receiver(post_save)
@receiver(post_delete)
def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, (Page, Site, PageViewRestriction)):
        route_cache_clear()


@receiver(post_page_move)
def _page_moved(sender, **kwargs) -> None:
    route_cache_clear()


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
