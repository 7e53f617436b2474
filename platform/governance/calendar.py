"""The editorial calendar: what was published and what is scheduled, across blogs and
communities, as each person may see it.

Sources: blog posts (Wagtail: `first_published_at` once published, a revision's
`approved_go_live_at` while scheduled) and community announcements (threads of kind
"announcement"). Visibility comes from the owning apps' selectors (blogs.selectors,
communities.selectors) and, for scheduled posts that are not public yet, from
governance.permissions.can_see_scheduled_post_of. The month and week pages and the .ics feed
all read from `calendar_entries`, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.permissions import can_see_scheduled_post_of
from people.models import User

KIND_POST = "post"
KIND_SCHEDULED = "scheduled"
KIND_ANNOUNCEMENT = "announcement"
KIND_LABELS = {
    KIND_POST: _("Published post"),
    KIND_SCHEDULED: _("Scheduled post"),
    KIND_ANNOUNCEMENT: _("Announcement"),
}

PLACE_BLOGS = "blogs"
PLACE_LEADERSHIP = "leadership"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    kind: str
    title: str
    when: datetime
    url: str
    author: User | None
    place: str  # a blog's or a community's name, or "Leadership space"

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def local_date(self) -> date:
        return timezone.localtime(self.when).date()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local days [start, end) as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def _place_of_post(post) -> str:
    if post.author is not None and post.author.is_executive:
        return str(_("Leadership space"))
    return str(_("Blog of %(name)s") % {"name": post.author.name if post.author else "?"})


def calendar_entries(
    user: User,
    *,
    start: date,
    end: date,
    place: str = "",
    author_id: int | None = None,
) -> list[CalendarEntry]:
    """Entries between the local days `start` (included) and `end` (excluded) that `user` may
    see, oldest first. `place`: "" (everywhere), "blogs", "leadership" or "community:<id>".
    A fixed number of queries (four at most), whatever the number of entries."""
    if not (user.is_authenticated and user.is_active):
        return []
    since, until = _bounds(start, end)
    community_id = None
    if place.startswith("community:"):
        try:
            community_id = int(place.split(":", 1)[1])
        except ValueError:
            return []
    entries: list[CalendarEntry] = []
    if community_id is None:
        entries += _posts(user, since, until, place=place, author_id=author_id)
        entries += _scheduled_posts(user, since, until, place=place, author_id=author_id)
    if place in ("", None) or community_id is not None:
        entries += _announcements(
            user, since, until, community_id=community_id, author_id=author_id
        )
    entries.sort(key=lambda e: (e.when, e.uid))
    return entries


def _posts(user, since, until, *, place: str, author_id: int | None) -> list[CalendarEntry]:
    from blogs.selectors import posts_visible_to

    posts = posts_visible_to(user).filter(
        first_published_at__gte=since, first_published_at__lt=until
    )
    if place == PLACE_LEADERSHIP:
        posts = posts.filter(author__is_executive=True)
    if author_id:
        posts = posts.filter(author_id=author_id)
    return [
        CalendarEntry(
            uid=f"post-{post.pk}",
            kind=KIND_POST,
            title=post.title,
            when=post.first_published_at,
            url=post.get_absolute_url(),
            author=post.author,
            place=_place_of_post(post),
        )
        for post in posts.order_by("first_published_at")[:2000]
    ]


def _scheduled_posts(
    user, since, until, *, place: str, author_id: int | None
) -> list[CalendarEntry]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    from blogs.models import PostPage

    # Wagtail keeps the scheduled publication on the approved revision (for a post already
    # live and rescheduled, only there), so the revision is the source of truth.
    revisions = list(
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(PostPage),
            approved_go_live_at__gte=since,
            approved_go_live_at__lt=until,
        ).only("object_id", "approved_go_live_at", "content")
    )
    if not revisions:
        return []
    posts = PostPage.objects.filter(
        pk__in=[int(r.object_id) for r in revisions], hidden=False
    ).select_related("author")
    if place == PLACE_LEADERSHIP:
        posts = posts.filter(author__is_executive=True)
    if author_id:
        posts = posts.filter(author_id=author_id)
    by_id = {post.pk: post for post in posts}
    entries = []
    for revision in revisions:
        post = by_id.get(int(revision.object_id))
        if post is None or not can_see_scheduled_post_of(user, post.author_id):
            continue
        entries.append(
            CalendarEntry(
                uid=f"post-{post.pk}-scheduled",
                kind=KIND_SCHEDULED,
                title=str(revision.content.get("title") or post.title),
                when=revision.approved_go_live_at,
                url=post.get_url() or post.url_path,
                author=post.author,
                place=_place_of_post(post),
            )
        )
    return entries


def _announcements(
    user, since, until, *, community_id: int | None, author_id: int | None
) -> list[CalendarEntry]:
    from communities.models import Thread, ThreadKind
    from communities.selectors import readable_community_ids

    threads = Thread.objects.filter(
        kind=ThreadKind.ANNOUNCEMENT,
        community__in=readable_community_ids(user),
        deleted_at__isnull=True,
        hidden_at__isnull=True,
        created_at__gte=since,
        created_at__lt=until,
    ).select_related("community", "author")
    if community_id is not None:
        threads = threads.filter(community_id=community_id)
    if author_id:
        threads = threads.filter(author_id=author_id)
    return [
        CalendarEntry(
            uid=f"announcement-{thread.pk}",
            kind=KIND_ANNOUNCEMENT,
            title=thread.title,
            when=thread.created_at,
            url=thread.get_absolute_url(),
            author=thread.author,
            place=thread.community.name,
        )
        for thread in threads.order_by("created_at")[:2000]
    ]


def month_grid(year: int, month: int) -> list[list[date]]:
    """Weeks (Monday first) covering the month, as the page draws them."""
    import calendar as std_calendar

    return std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def ics_feed(user: User, *, site_url: str, today: date | None = None) -> bytes:
    """The person's calendar as iCalendar: from 90 days ago to a year ahead, only what they
    may see."""
    from icalendar import Calendar, Event

    today = today or timezone.localdate()
    entries = calendar_entries(
        user, start=today - timedelta(days=90), end=today + timedelta(days=366)
    )
    cal = Calendar()
    cal.add("prodid", "-//Ruche//Editorial calendar//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(_("Ruche editorial calendar")))
    stamp = timezone.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@ruche")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.when)
        event.add("dtend", entry.when + timedelta(minutes=30))
        event.add("summary", f"{entry.kind_label}: {entry.title}")
        event.add("url", site_url.rstrip("/") + entry.url)
        author = entry.author.name if entry.author else ""
        event.add("description", f"{entry.place} · {author}")
        cal.add_component(event)
    return cal.to_ical()
