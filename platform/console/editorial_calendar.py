"""The editorial calendar: what was published and what is scheduled, across every content kind
that has a place in it, as each person may see it.

Each kind declares its calendar in the registry (`core.content`): `calendar_places(user)`
(the places of the filter: "blog", "leadership", "community:<id>", ...) and
`calendar_entries(user, start, end)` (dated entries, with that kind's own visibility: a
scheduled post is seen by its author, their delegates and administrators; an announcement by
the readers of its community). The month and week pages and the .ics feed all read from
`calendar_entries` here, so they can never disagree.

Named `editorial_calendar`, not `calendar`: a module named `calendar` shadows the standard
library's, which this one uses.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from core import content
from core.content import CalendarEntry, Label
from people.models import User

MAX_ENTRIES_PER_KIND = 2000


@dataclass(frozen=True)
class CalendarLine:
    """One entry as the calendar pages and the feed show it."""

    entry: CalendarEntry

    @property
    def uid(self) -> str:
        """Stable across runs (calendar applications update an event by its uid)."""
        key = f"{self.entry.kind}|{self.entry.url}|{int(self.entry.scheduled)}"
        return f"{self.entry.kind}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"  # noqa: S324

    @property
    def kind(self) -> str:
        return f"{self.entry.kind} scheduled" if self.entry.scheduled else self.entry.kind

    @property
    def kind_label(self) -> str:
        try:
            label = str(content.kind(self.entry.kind).label)
        except KeyError:
            label = self.entry.kind
        if self.entry.scheduled:
            return gettext("Scheduled: %(kind)s") % {"kind": label}
        return label[:1].upper() + label[1:]

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def when(self) -> datetime:
        return self.entry.at

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def author(self) -> User | None:
        return self.entry.author

    @property
    def place(self) -> Label:
        return self.entry.place_label

    @property
    def local_date(self) -> date:
        return timezone.localtime(self.entry.at).date()


def calendar_places(user: User) -> list[tuple[str, Label]]:
    """Every place of the filter `user` may choose, in the kinds' registration order."""
    places: list[tuple[str, Label]] = []
    for kind in content.kinds():
        if kind.calendar_places is not None:
            places += [p for p in kind.calendar_places(user) if p not in places]
    return places


def calendar_entries(
    user: User,
    *,
    start: date,
    end: date,
    place: str = "",
    author_id: int | None = None,
) -> list[CalendarLine]:
    """Entries between the local days `start` (included) and `end` (excluded) that `user` may
    see, oldest first. `place`: "" (everywhere) or one of `calendar_places`. Each kind answers
    in a fixed number of queries, whatever the number of entries."""
    if not (user.is_authenticated and user.is_active):
        return []
    entries: list[CalendarEntry] = []
    for kind in content.kinds():
        if kind.calendar_entries is not None:
            entries += kind.calendar_entries(user, start, end)[:MAX_ENTRIES_PER_KIND]
    lines = [
        CalendarLine(entry)
        for entry in entries
        if (not place or entry.place == place)
        and (author_id is None or (entry.author is not None and entry.author.pk == author_id))
    ]
    lines.sort(key=lambda line: (line.when, line.uid))
    return lines


def month_grid(year: int, month: int) -> list[list[date]]:
    """Weeks (Monday first) covering the month, as the page draws them."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def ics_feed(user: User, *, site_url: str, today: date | None = None) -> bytes:
    """The person's calendar as iCalendar: from 90 days ago to a year ahead, only what they
    may see."""
    today = today or timezone.localdate()
    lines = calendar_entries(
        user, start=today - timedelta(days=90), end=today + timedelta(days=366)
    )
    cal = Calendar()
    cal.add("prodid", "-//Ruche//Editorial calendar//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(_("Ruche editorial calendar")))
    stamp = timezone.now()
    for line in lines:
        event = Event()
        event.add("uid", f"{line.uid}@ruche")
        event.add("dtstamp", stamp)
        event.add("dtstart", line.when)
        event.add("dtend", line.when + timedelta(minutes=30))
        event.add("summary", f"{line.kind_label}: {line.title}")
        event.add("url", site_url.rstrip("/") + line.url)
        author = line.author.name if line.author else ""
        event.add("description", f"{line.place} · {author}")
        cal.add_component(event)
    return cal.to_ical()
