"""The seeded demo, checked as an outsider would: the dashboard's figures equal what anyone can
count on the pages (the content tables), and every participation event is the event of
something that exists, made by someone already hired.

The demo is seeded once for the module (a small organisation: `--scale 0.2`) inside a
transaction that is rolled back at the end; each test runs in a savepoint of it.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from ama.models import Answer, Question, Vote
from blogs.models import Follow, PostPage
from communities.models import Community, Membership, MembershipState, Thread
from governance.models import CharterAcceptance
from interactions.models import Comment, Reaction
from metrics import reports
from metrics.models import ScopeDay, Stage
from metrics.services import yesterday
from people.models import User
from ruche import demo_history

SCALE = "0.2"
WINDOW = 30


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once; what seed_demo printed."""
    out = StringIO()
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True):
        cache.clear()  # views are deduplicated per day through the cache
        with transaction.atomic():
            call_command("seed_demo", "--scale", SCALE, stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(
        datetime.combine(day - timedelta(days=WINDOW - 1), datetime.min.time())
    )
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    return start, end


def _post_type() -> ContentType:
    return ContentType.objects.get_for_model(PostPage, for_concrete_model=False)


def _thread_type() -> ContentType:
    return ContentType.objects.get_for_model(Thread)


def test_the_demo_is_seeded_up_to_yesterday(demo):
    assert "history:" in demo
    last = ParticipationEvent.objects.order_by("-occurred_at").values_list(
        "occurred_on", flat=True
    )[0]
    assert last in {yesterday(), timezone.localdate()}
    assert reports.latest_day() == yesterday()
    # A year of it (the first community opens in the first weeks).
    first = ParticipationEvent.objects.order_by("occurred_at").values_list(
        "occurred_on", flat=True
    )[0]
    assert (yesterday() - first).days >= demo_history.DAYS - 60


def test_no_event_precedes_the_hire_date_of_its_person(demo):
    early = ParticipationEvent.objects.filter(occurred_at__lt=F("actor__date_joined"))
    assert early.count() == 0
    assert ParticipationEvent.objects.count() > 1000


def test_every_event_is_the_event_of_content_that_exists(demo):
    """Each verb's events equal the rows anyone can see on the pages, one for one."""
    events = Counter(ParticipationEvent.objects.values_list("verb", flat=True))
    posts = PostPage.objects.live().filter(author__isnull=False)
    assert events[Verb.POSTED] == posts.count() > 0
    assert set(
        ParticipationEvent.objects.filter(verb=Verb.POSTED).values_list("object_id", flat=True)
    ) == set(posts.values_list("pk", flat=True))
    post_comments = Comment.objects.filter(content_type=_post_type(), deleted_at__isnull=True)
    thread_replies = Comment.objects.filter(content_type=_thread_type(), deleted_at__isnull=True)
    # A comment on a post, answer to a comment included, is "commented" (as the service
    # records it); a reply in a thread is "replied".
    assert events[Verb.COMMENTED] == post_comments.count() > 0
    assert events[Verb.REPLIED] == thread_replies.count() > 0
    comment_ids = set(
        ParticipationEvent.objects.filter(verb__in=[Verb.COMMENTED, Verb.REPLIED]).values_list(
            "object_id", flat=True
        )
    )
    assert comment_ids == set(Comment.objects.values_list("pk", flat=True))
    assert events[Verb.STARTED_THREAD] == Thread.objects.filter(deleted_at__isnull=True).count()
    assert events[Verb.REACTED] == Reaction.objects.count() > 0
    assert events[Verb.JOINED] == Membership.objects.filter(state=MembershipState.ACTIVE).count()
    assert events[Verb.FOLLOWED] == Follow.objects.count()
    assert events[Verb.ACCEPTED_CHARTER] == CharterAcceptance.objects.count() > 0
    viewed = set(
        ParticipationEvent.objects.filter(verb=Verb.VIEWED).values_list("object_id", flat=True)
    )
    assert viewed and viewed <= set(posts.values_list("pk", flat=True))
    # Nothing is counted for deleted content (the demo deletes none; a deleted comment or
    # thread would have no event).
    deleted = set(Comment.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True))
    assert not deleted & comment_ids


def test_replies_name_their_conversation_and_the_person_answered(demo):
    """As the live code records them: the event's object is the comment, its conversation the
    thread or post, its target the person answered."""
    thread_type = _thread_type()
    replies = {c.pk: c for c in Comment.objects.filter(content_type=thread_type)}
    for event in ParticipationEvent.objects.filter(verb=Verb.REPLIED)[:200]:
        reply = replies[event.object_id]
        assert event.object_type == "interactions.comment"
        assert (event.conversation_type, event.conversation_id) == ("thread", reply.object_id)
        assert event.occurred_at == reply.created_at
        assert event.actor_id == reply.author_id


def test_posts_per_executive_in_the_window_match_their_blogs(demo):
    day = reports.latest_day()
    start, end = _day_bounds(day)
    table = reports.organisation_report().table("leaders")
    executives = {u.name: u for u in User.objects.filter(is_executive=True, is_active=True)}
    assert table is not None and len(table.rows) == len(executives)
    posted = 0
    for name, posts, *_rest in table.rows:
        on_blog = PostPage.objects.live().filter(
            author=executives[name], first_published_at__gte=start, first_published_at__lt=end
        )
        assert posts == on_blog.count(), name
        posted += posts > 0
    org = ScopeDay.objects.get(day=day, department_id__isnull=True)
    assert org.executives_posted == posted


def test_members_per_community_match_the_membership_rows(demo):
    table = reports.organisation_report().table("communities")
    names = dict(Community.objects.values_list("name", "pk"))
    assert table is not None and len(table.rows) == len(names)
    for name, members, *_rest in table.rows:
        rows = Membership.objects.filter(community_id=names[name], state=MembershipState.ACTIVE)
        assert members == rows.count(), name


def test_threads_answered_within_24_hours_match_the_threads_and_their_replies(demo):
    day = reports.latest_day()
    start, end = _day_bounds(day)
    first_reply: dict[int, datetime] = {}
    authors = dict(Thread.objects.values_list("pk", "author_id"))
    for thread_id, author_id, at in Comment.objects.filter(content_type=_thread_type()).values_list(
        "object_id", "author_id", "created_at"
    ):
        if author_id != authors[thread_id] and (
            thread_id not in first_reply or at < first_reply[thread_id]
        ):
            first_reply[thread_id] = at
    eligible = answered = 0
    for thread in Thread.objects.filter(created_at__gte=start, created_at__lt=end):
        reply = first_reply.get(thread.pk)
        if reply is not None and reply < end:
            eligible += 1
            answered += reply - thread.created_at <= timedelta(hours=24)
        elif end - thread.created_at >= timedelta(hours=24):
            eligible += 1
    org = ScopeDay.objects.get(day=day, department_id__isnull=True)
    assert (org.threads, org.threads_answered_24h) == (eligible, answered)
    assert eligible > 0


def test_engaged_people_match_who_wrote_or_reacted_in_the_window(demo):
    day = reports.latest_day()
    start, end = _day_bounds(day)
    population = set(
        User.objects.filter(is_active=True, date_joined__lt=end).values_list("pk", flat=True)
    )
    people: set[int] = set()
    people |= set(
        PostPage.objects.live()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .values_list("author_id", flat=True)
    )
    people |= set(
        Thread.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "author_id", flat=True
        )
    )
    people |= set(
        Comment.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "author_id", flat=True
        )
    )
    people |= set(
        Reaction.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "user_id", flat=True
        )
    )
    # Ask-me-anything: asking and answering are writing, an upvote is a reaction.
    people |= set(
        Question.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "author_id", flat=True
        )
    )
    people |= set(
        Vote.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "user_id", flat=True
        )
    )
    people |= set(
        Answer.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "author_id", flat=True
        )
    )
    org = ScopeDay.objects.get(day=day, department_id__isnull=True)
    assert org.population == len(population)
    assert org.engaged == len(people & population) > 0


def test_the_year_climbs_the_maturity_scale(demo):
    stages = list(
        ScopeDay.objects.filter(department_id__isnull=True)
        .order_by("day")
        .values_list("stage", flat=True)
    )
    assert stages[0] == Stage.DORMANT
    assert Stage.EMPOWERED not in stages
    firsts = [stages.index(s) for s in (Stage.TESTING, Stage.COORDINATING) if s in stages]
    assert firsts == sorted(firsts) and len(firsts) == 2
    assert stages[-1] >= Stage.COORDINATING


def test_the_demo_content_is_varied(demo):
    titles = list(PostPage.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles)), "the same post under two authors"
    per_community: dict[int, list[str]] = defaultdict(list)
    for community_id, title in Thread.objects.values_list("community_id", "title"):
        per_community[community_id].append(title)
    for titles in per_community.values():
        assert len(titles) == len(set(titles))
    all_titles = [t for titles in per_community.values() for t in titles]
    assert len(all_titles) == len(set(all_titles)), "a generic thread title in every community"


def test_seeding_again_adds_only_the_days_missing(demo):
    """The same day: nothing new. A day later (played here as today): that day's activity,
    on content that exists, by people already hired."""
    before = ParticipationEvent.objects.count()
    out = StringIO()
    demo_history.seed(rng=random.Random(0), stdout=out, until=yesterday())
    assert ParticipationEvent.objects.count() == before
    today = timezone.localdate()
    demo_history.seed(rng=random.Random(0), stdout=out, until=today)
    new = ParticipationEvent.objects.filter(occurred_on=today)
    assert new.exists()
    assert not new.filter(occurred_at__lt=F("actor__date_joined")).exists()
    comments = set(Comment.objects.values_list("pk", flat=True))
    for event in new.filter(verb__in=[Verb.COMMENTED, Verb.REPLIED]):
        assert event.object_id in comments


def test_search_finds_every_published_post_of_the_demo(demo):
    from search.models import SearchDocument

    assert "search:" in demo
    live = set(PostPage.objects.live().values_list("pk", flat=True))
    assert live
    assert (
        set(SearchDocument.objects.filter(kind="post").values_list("object_id", flat=True)) >= live
    )
