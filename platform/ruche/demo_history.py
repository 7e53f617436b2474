"""A year in the life of the demo organisation, made by the product's own services.

Every post, comment, reply, reaction, follow, membership, view and charter acceptance of the
demo is written by the service a person's click would call (`blogs.services`,
`communities.services`, `interactions.services`, `activity.services.view_record`,
`governance.services.charter_accept`), back-dated with its `at=` (or `published_at=`,
`occurred_at=`, `accepted_at=`) argument and under `notifications.services.muted()`: nobody
is e-mailed about year-old comments and nothing is broadcast. So every participation event
is the event of something that exists on the pages, nothing happens before the person was
hired, and the demo cannot drift from the services: it *is* them.

The story (Forrester's scale, seed 001): a quiet start (Dormant), a few enthusiasts in
Marketing and IT (Testing), the charter and cross-department communities (Coordinating), then
most departments and the executives on board (Scaling) in the last weeks. Each person has a
rank (lower ranks come on board earlier; early and late departments shift it); on a given
day the people whose rank is under the day's adoption target act now and then. The days are
played in order, so that a reply always follows its thread and a comment its post, and
people accept the charter (once it is published) before they next write.

Deterministic: the plan of the year is drawn from one seeded generator and each day from a
generator seeded by its date. Re-running the seed adds the days missing up to yesterday
(activity on the latest content, at the level of the last month), so a demo seeded weeks ago
is brought up to date instead of looking a month old.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from activity.models import ParticipationEvent
from activity.services import view_record
from blogs import demo as blogs_demo
from blogs import demo_content
from blogs import services as blog_services
from blogs.models import Follow, PostPage
from communities import demo as communities_demo
from communities import services as community_services
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Thread,
    ThreadKind,
)
from communities.versions import community_changed
from governance import demo as governance_demo
from governance import services as governance_services
from governance.models import Charter, CharterAcceptance
from governance.selectors import current_charter
from interactions import services as interaction_services
from interactions.models import Comment, Reaction
from notifications.services import muted
from people.models import Department, User

DAYS = 365
CHARTER_DAY = 150  # the charter is published at the end of month 5
# Adoption targets, month by month: the share of the people present (lowest ranks first) who
# act now and then. The measured adoption runs about a third above it (replies draw people a
# little beyond the active ones).
ADOPTION = [0.004, 0.01, 0.02, 0.04, 0.065, 0.095, 0.13, 0.17, 0.21, 0.27, 0.33, 0.38]
# Departments that come on board early, and those that follow late (a rank multiplier).
EARLY = {"marketing-communication": 0.45, "technologies": 0.55}
LATE = {"finance": 1.25, "operations": 1.2}
# The demo log-ins come on board early (a visitor finds them busy), except Thomas.
RANKS = {
    "camille.martin": 0.0,
    "sophie.laurent": 0.01,
    "julien.moreau": 0.03,
    "emily.clarke": 0.06,
    "admin": 0.3,
    "thomas.bernard": 0.15,
}
ACTION_CHANCE = 0.085  # per active person and day
READ_CHANCE = 0.05  # per reader (not yet active) and day
CHARTER_SHARE = 0.75  # who accepts the charter without being asked by the gate
# The executives who write the posts of `demo_content.EXECUTIVE_POSTS`: department heads.
ROLES = {
    "ceo": "direction-generale",
    "marketing": "marketing-communication",
    "hr": "ressources-humaines",
    "it": "technologies",
    "finance": "finance",
    "operations": "operations",
}
REACTION_KINDS = blogs_demo.REACTIONS

Action = Callable[[datetime], None]


@dataclass
class Plan:
    """What the first run creates on its day: communities, members, posts and threads."""

    communities: dict[int, list[communities_demo.Spec]]
    joins: dict[int, list[tuple[str, int]]]  # day: (community slug, user id)
    posts: dict[int, list[dict[str, Any]]]
    threads: dict[int, list[tuple[str, str, str, str]]]  # day: (slug, kind, title, body)
    accepts: dict[int, list[int]]


def adoption(day: int) -> float:
    month = min(day * 12 / DAYS, 11.999)
    low = int(month)
    high = min(low + 1, 11)
    return ADOPTION[low] + (ADOPTION[high] - ADOPTION[low]) * (month - low)


def rank_of(user: User) -> float:
    """When a person comes on board (0: first); from their username, so every run agrees."""
    if user.username in RANKS:
        return RANKS[user.username]
    slug = user.department.slug if user.department_id else ""
    factor = EARLY.get(slug, LATE.get(slug, 1.0))
    rank = min(random.Random(f"ruche-demo:rank:{user.username}").random() * factor, 0.999)
    return min(rank, 0.45) if user.is_executive else rank


class History:
    def __init__(self, *, start: date, stdout: Any, scale: float = 1.0) -> None:
        self.start = start
        self.scale = min(scale, 1.0)
        self.stdout = stdout
        self.people = list(
            User.objects.filter(is_active=True).select_related("department").order_by("pk")
        )
        self.by_pk = {p.pk: p for p in self.people}
        self.by_username = {p.username: p for p in self.people}
        self.rank = {p.pk: rank_of(p) for p in self.people}
        self.by_department: dict[str, list[User]] = defaultdict(list)
        for person in self.people:
            if person.department_id:
                self.by_department[person.department.slug].append(person)
        self.heads = {
            d.slug: self.by_pk[d.head_id]
            for d in Department.objects.all()
            if d.head_id in self.by_pk
        }
        self.admin = next((p for p in self.people if p.is_superuser), self.people[0])
        self.charter: Charter | None = current_charter()
        self.accepted: set[int] = set()
        if self.charter is not None:
            self.accepted = set(
                CharterAcceptance.objects.filter(charter=self.charter).values_list(
                    "user_id", flat=True
                )
            )
        self.communities = {c.slug: c for c in Community.objects.all()}
        self.members: dict[int, set[int]] = defaultdict(set)
        for community_id, user_id in Membership.objects.filter(
            state=MembershipState.ACTIVE
        ).values_list("community_id", "user_id"):
            self.members[community_id].add(user_id)
        self.posts: list[PostPage] = list(
            PostPage.objects.live()
            .filter(author__isnull=False)
            .select_related("author")
            .order_by("-first_published_at")[:40]
        )[::-1]
        self.threads: list[Thread] = list(
            Thread.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True)
            .select_related("community", "author")
            .order_by("-created_at")[:60]
        )[::-1]
        self.heap: list[tuple[datetime, int, Action]] = []
        self.sequence = itertools.count()
        self.rng = random.Random("ruche-demo:history")
        self.counts: dict[str, int] = defaultdict(int)

    # --- time -----------------------------------------------------------------------------

    def moment(self, day: int, hours: float) -> datetime:
        naive = datetime.combine(self.start + timedelta(days=day), time.min)
        return timezone.make_aware(naive + timedelta(hours=hours))

    def day_of(self, at: datetime) -> int:
        return (timezone.localdate(at) - self.start).days

    def hired(self, person: User, at: datetime) -> bool:
        return person.date_joined <= at

    def present(self, day: int) -> list[User]:
        day_start = self.moment(day, 0)
        return [p for p in self.people if p.date_joined <= day_start]

    def active(self, day: int, people: list[User], factor: float = 1.0) -> list[User]:
        level = adoption(min(day, DAYS - 1)) * factor
        return [p for p in people if self.rank[p.pk] < level]

    def schedule(self, at: datetime, action: Action) -> None:
        heapq.heappush(self.heap, (at, next(self.sequence), action))

    # --- the plan of the first year ---------------------------------------------------------

    def plan(self, rng: random.Random) -> Plan:
        plan = Plan(defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list), {})
        for spec in communities_demo.COMMUNITIES:
            if spec.slug in self.communities:
                continue
            created = int(rng.random() ** 2 * 120)
            plan.communities[created].append(spec)
            self._plan_members(spec, created, rng, plan)
            # Threads over the rest of the year, denser as the community grows, up to the
            # last days.
            topics = spec.topics[: max(1, round(len(spec.topics) * self.scale))]
            for index, (kind, title, body) in enumerate(topics):
                progress = (index + rng.random()) / max(len(topics), 1)
                day = created + 3 + int((DAYS - created - 5) * progress**0.6)
                plan.threads[min(day, DAYS - 2)].append((spec.slug, kind, title, body))
        for spec in blogs_demo.leader_posts():
            plan.posts[spec["day"]].append(spec)
        for role, day, title, paragraphs, tags in demo_content.EXECUTIVE_POSTS:
            plan.posts[day].append(
                {"role": role, "title": title, "blocks": _paragraphs(paragraphs), "tags": tags}
            )
        # A smaller organisation (tests) writes fewer of the colleagues' posts.
        step = max(1, round(1 / self.scale))
        colleague = demo_content.COLLEAGUE_POSTS[::step]
        for n, (department, title, paragraphs, tags) in enumerate(colleague):
            day = 40 + int(318 * (n / len(colleague)) ** 0.75) + rng.randint(0, 6)
            plan.posts[min(day, DAYS - 2)].append(
                {
                    "department": department,
                    "title": title,
                    "blocks": _paragraphs(paragraphs),
                    "tags": tags,
                }
            )
        # The charter: most people accept it in the weeks after its publication (earlier
        # ranks first), newcomers soon after they arrive; the gate asks the others.
        accepts: dict[int, list[int]] = defaultdict(list)
        for person in self.people:
            if person.username in governance_demo.NOT_ACCEPTED_LOGINS:
                continue
            own = random.Random(f"ruche-demo:charter:{person.username}")
            if (
                person.username not in governance_demo.ACCEPTED_LOGINS
                and own.random() >= CHARTER_SHARE
            ):
                continue
            hire_day = max(self.day_of(person.date_joined) + 1, 0)
            day = max(CHARTER_DAY + 1 + int(self.rank[person.pk] * 50 + own.random() * 10), 0)
            accepts[max(day, hire_day + own.randint(1, 5))].append(person.pk)
        plan.accepts = accepts
        return plan

    def _plan_members(
        self, spec: communities_demo.Spec, created: int, rng: random.Random, plan: Plan
    ) -> None:
        slugs = (
            list(self.by_department)
            if spec.departments == [communities_demo.ALL]
            else spec.departments
        )
        pool = [p for slug in slugs for p in self.by_department.get(slug, [])] or self.people
        size = max(3, round(rng.randint(*spec.size) * self.scale))
        members: dict[int, User] = {}
        if spec.manager:
            for person in self.people:
                if person.is_community_manager:
                    members[person.pk] = person
            for slug in slugs:  # one referent per department (seed 003: a matrix organisation)
                if self.by_department.get(slug):
                    person = rng.choice(self.by_department[slug])
                    members[person.pk] = person
        for person in rng.sample(pool, min(size, len(pool))):
            members.setdefault(person.pk, person)
        if spec.access != AccessMode.PRIVATE:
            for person in rng.sample(self.people, min(size // 5, len(self.people))):
                members.setdefault(person.pk, person)
        for name in ("thomas.bernard", "emily.clarke", "sophie.laurent"):
            visible = spec.access != AccessMode.PRIVATE or bool(spec.manager)
            person = self.by_username.get(name)
            if person and visible and (rng.random() < 0.5 or name == "sophie.laurent"):
                members.setdefault(person.pk, person)
        for person in members.values():
            first = max(created, self.day_of(person.date_joined) + 1)
            wait = (DAYS - 1 - first) * min(1.0, self.rank[person.pk] * 1.4) * rng.random()
            day = first + int(wait)
            if day < DAYS:
                plan.joins[day].append((spec.slug, person.pk))

    # --- playing the days ---------------------------------------------------------------------

    def run(self, first: int, last: int, plan: Plan | None) -> None:
        with muted():
            # One transaction per month of history: each service still runs its own atomic
            # block (a savepoint here); a commit per day would cost SQLite a sync each.
            for month_start in range(first, last + 1, 30):
                with transaction.atomic():
                    for day in range(month_start, min(month_start + 30, last + 1)):
                        self._run_day(day, plan)
            self.heap.clear()  # what would happen after yesterday does not happen

    def _run_day(self, day: int, plan: Plan | None) -> None:
        self.rng = random.Random(f"ruche-demo:day:{self.start + timedelta(days=day)}")
        if plan is not None:
            self._plan_day(day, plan)
        self._everyday(day)
        end = self.moment(day + 1, 0)
        while self.heap and self.heap[0][0] < end:
            at, _n, action = heapq.heappop(self.heap)
            action(at)

    def _plan_day(self, day: int, plan: Plan) -> None:
        rng = self.rng
        for spec in plan.communities.get(day, []):
            self.schedule(self.moment(day, 9 + rng.random()), self._create_community(spec))
        for slug, user_id in plan.joins.get(day, []):
            at = self.moment(day, 8 + rng.random() * 2)
            self.schedule(at, self._join(slug, self.by_pk[user_id]))
        if day == CHARTER_DAY and self.charter is None:
            self.schedule(self.moment(day, 10), self._publish_charter)
        for user_id in plan.accepts.get(day, []):
            at = self.moment(day, 8.5 + rng.random() * 9)
            self.schedule(at, self._accept(self.by_pk[user_id]))
        for spec in plan.posts.get(day, []):
            self.schedule(self.moment(day, 9 + rng.random() * 8), self._post(spec))
        for slug, kind, title, body in plan.threads.get(day, []):
            at = self.moment(day, 9 + rng.random() * 8)
            self.schedule(at, self._thread(slug, kind, title, body))

    def _everyday(self, day: int) -> None:
        """Active people do something now and then; readers read."""
        rng = self.rng
        present = self.present(day)
        active = {p.pk for p in self.active(day, present)}
        reach = adoption(min(day, DAYS - 1)) * 1.8 + 0.05
        for person in present:
            if person.pk in active:
                if rng.random() < ACTION_CHANCE:
                    at = self.moment(day, 8.5 + rng.random() * 10)
                    self.schedule(at, self._act(person))
            elif self.rank[person.pk] < reach and rng.random() < READ_CHANCE:
                self.schedule(self.moment(day, 8 + rng.random() * 11), self._read(person))

    # --- actions (each returns the function run at its time) ---------------------------------

    def _create_community(self, spec: communities_demo.Spec) -> Action:
        def run(at: datetime) -> None:
            if spec.slug in self.communities:
                return
            slugs = (
                list(self.by_department)
                if spec.departments == [communities_demo.ALL]
                else spec.departments
            )
            creator = self.by_username.get(spec.manager)
            if creator is None or not self.hired(creator, at):
                pool = [
                    p
                    for s in slugs
                    for p in self.by_department.get(s, [])
                    if self.hired(p, at) and not p.is_superuser
                ] or [p for p in self.people if self.hired(p, at)]
                creator = min(pool, key=lambda p: self.rank[p.pk])
            community = community_services.community_create(
                actor=creator,
                name=spec.name,
                description=spec.description,
                access=spec.access,
                departments=Department.objects.filter(slug__in=slugs),
                at=at,
            )
            if community.slug != spec.slug:  # the demo's links use the stable slugs
                Community.objects.filter(pk=community.pk).update(slug=spec.slug)
                community_changed(community.pk)  # update() sends no signal
                community.slug = spec.slug
            self.communities[spec.slug] = community
            self.members[community.pk].add(creator.pk)
            self.counts["communities"] += 1

        return run

    def _join(self, slug: str, person: User) -> Action:
        def run(at: datetime) -> None:
            community = self.communities.get(slug)
            if community is not None:
                self.ensure_member(person, community, at)

        return run

    def ensure_member(self, person: User, community: Community, at: datetime) -> bool:
        """Join (an open community) or be invited and accept (the others), as a person would."""
        if person.pk in self.members[community.pk]:
            return True
        if not self.hired(person, at) or at < community.created_at:
            return False
        if community.access != AccessMode.OPEN:
            manager = self.by_pk.get(community.created_by_id)
            if manager is None:
                return False
            community_services.community_invite(
                actor=manager, community=community, user=person, at=at - timedelta(minutes=30)
            )
        community_services.community_join(actor=person, community=community, at=at)
        self.members[community.pk].add(person.pk)
        self.counts["joins"] += 1
        return True

    def _publish_charter(self, at: datetime) -> None:
        self.charter = governance_demo.charter_publish_demo(self.admin, published_at=at)

    def _accept(self, person: User) -> Action:
        def run(at: datetime) -> None:
            self.ensure_charter(person, at)

        return run

    def ensure_charter(self, person: User, at: datetime) -> bool:
        """The gate: accept the current charter before writing (Thomas never does)."""
        if self.charter is None or person.pk in self.accepted:
            return True
        if person.username in governance_demo.NOT_ACCEPTED_LOGINS:
            return False
        moment = max(at - timedelta(minutes=20), self.charter.published_at, person.date_joined)
        governance_services.charter_accept(user=person, charter=self.charter, accepted_at=moment)
        self.accepted.add(person.pk)
        self.counts["acceptances"] += 1
        return True

    def _author_for(self, spec: dict[str, Any], at: datetime) -> User | None:
        if "author" in spec:
            return self.by_username.get(spec["author"])
        if "role" in spec:
            return self.heads.get(ROLES[spec["role"]])
        day = self.day_of(at)
        people = [p for p in self.by_department.get(spec["department"], []) if self.hired(p, at)]
        people = [p for p in people if not p.is_superuser and not p.is_executive]
        people = [p for p in people if p.username not in governance_demo.NOT_ACCEPTED_LOGINS]
        if not people:
            return None
        active = self.active(day, people, factor=1.3)
        return self.rng.choice(active) if active else min(people, key=lambda p: self.rank[p.pk])

    def _post(self, spec: dict[str, Any]) -> Action:
        def run(at: datetime) -> None:
            author = self._author_for(spec, at)
            if author is None or not self.hired(author, at):
                return
            if PostPage.objects.filter(author=author, title=spec["title"]).exists():
                return
            if not self.ensure_charter(author, at):
                return
            prepared_by = self.by_username.get(spec.get("prepared_by", ""))
            body = blogs_demo.rich(spec["blocks"])
            if prepared_by is not None and self.ensure_charter(prepared_by, at):
                blog = blog_services.blog_ensure(actor=author, at=at)
                draft = blog_services.post_create(
                    actor=prepared_by, blog=blog, title=spec["title"], body=body, tags=spec["tags"]
                )
                post = blog_services.post_publish(actor=author, post=draft, published_at=at)
            else:
                post = blog_services.post_create(
                    actor=author,
                    title=spec["title"],
                    body=body,
                    tags=spec["tags"],
                    publish=True,
                    published_at=at,
                )
            self.posts.append(post)
            self.counts["posts"] += 1
            if spec.get("comment"):
                # The seed's own answer to this post, by an early reader.
                reader = self.by_username.get("julien.moreau")
                if reader is not None and reader.pk != author.pk:
                    self.schedule(
                        at + timedelta(hours=5), self._comment(reader, post, spec["comment"])
                    )
            if author.is_executive:
                # Their people read what the executives write.
                day = self.day_of(at)
                share = 0.15 + 0.25 * min(day, DAYS) / DAYS
                for reader in self.present(day):
                    if reader.pk != author.pk and self.rng.random() < share:
                        delay = timedelta(hours=1 + self.rng.random() * 40)
                        self.schedule(at + delay, self._view(reader, post))

        return run

    def _thread(self, slug: str, kind: str, title: str, body: str) -> Action:
        def run(at: datetime) -> None:
            community = self.communities.get(slug)
            if community is None or at < community.created_at:
                return
            if Thread.objects.filter(community=community, title=title).exists():
                return
            if kind == ThreadKind.ANNOUNCEMENT:
                author = self.by_pk.get(community.created_by_id)
            else:
                members = [
                    self.by_pk[pk]
                    for pk in sorted(self.members[community.pk])
                    if pk in self.by_pk
                    and self.by_pk[pk].username not in governance_demo.NOT_ACCEPTED_LOGINS
                ]
                active = self.active(self.day_of(at), members, factor=1.5)
                # Nobody active yet: the topic waits for a later day (a quiet community).
                author = self.rng.choice(active) if active else None
                if author is None:
                    self.schedule(at + timedelta(days=7), run)
                    return
            if author is None or not self.ensure_charter(author, at):
                return
            if not self.ensure_member(author, community, at - timedelta(minutes=5)):
                return
            thread = community_services.thread_create(
                actor=author, community=community, kind=kind, title=title, body=body, at=at
            )
            if kind == ThreadKind.ANNOUNCEMENT:
                community_services.thread_pin(actor=author, thread=thread, pinned=True)
            self.threads.append(thread)
            self.counts["threads"] += 1
            self._plan_replies(thread, at)

        return run

    def _plan_replies(self, thread: Thread, at: datetime) -> None:
        rng = self.rng
        day = self.day_of(at)
        count = 1 if thread.kind == ThreadKind.ANNOUNCEMENT else rng.choice([0, 1, 2, 2, 3, 4, 5])
        # Answers come faster as the organisation learns to use its communities.
        quick = 0.45 if day < 120 else (0.65 if day < 240 else 0.85)
        moment = at
        for n in range(count):
            if n == 0:
                hours = rng.expovariate(1 / 4) if rng.random() < quick else 26 + rng.random() * 40
            else:
                hours = rng.expovariate(1 / 12)
            moment = moment + timedelta(hours=hours, minutes=10)
            self.schedule(moment, self._reply(thread, first=n == 0))

    def _reply(self, thread: Thread, *, first: bool) -> Action:
        def run(at: datetime) -> None:
            community = thread.community
            day = self.day_of(at)
            members = [
                self.by_pk[pk] for pk in sorted(self.members[community.pk]) if pk in self.by_pk
            ]
            candidates = [
                p for p in self.active(day, members, factor=1.5) if p.pk != thread.author_id
            ]
            if community.access == AccessMode.OPEN and self.rng.random() < 0.3:
                # Someone from elsewhere who follows the community's threads joins in.
                outsiders = [
                    p for p in self.active(day, self.present(day)) if p.pk != thread.author_id
                ]
                candidates = outsiders or candidates
            if not candidates:  # nobody around to answer: the thread stays unanswered
                return
            person = self.rng.choice(candidates)
            self._write_reply(person, thread, at, first=first)

        return run

    def _write_reply(self, person: User, thread: Thread, at: datetime, *, first: bool) -> None:
        if not self.hired(person, at) or not self.ensure_charter(person, at):
            return
        if not self.ensure_member(person, thread.community, at - timedelta(minutes=3)):
            return
        question = thread.kind == ThreadKind.QUESTION
        answer = question and first
        texts = communities_demo.ANSWERS if answer else communities_demo.REPLIES
        earlier = list(
            Comment.objects.filter(
                content_type=ContentType.objects.get_for_model(Thread),
                object_id=thread.pk,
                parent__isnull=True,
                deleted_at__isnull=True,
                hidden_at__isnull=True,
            ).order_by("pk")[:5]
        )
        parent = self.rng.choice(earlier) if earlier and self.rng.random() < 0.3 else None
        reply = interaction_services.comment_create(
            author=person, target=thread, body=self.rng.choice(texts), parent=parent, at=at
        )
        self.counts["replies"] += 1
        if answer and self.rng.random() < 0.7:
            asker = self.by_pk.get(thread.author_id)
            if asker is not None:
                later = at + timedelta(hours=1 + self.rng.random() * 20)

                def accept(when: datetime) -> None:
                    community_services.thread_accept_answer(
                        actor=asker, thread=thread, reply_id=reply.pk, at=when
                    )

                self.schedule(later, accept)

    def _act(self, person: User) -> Action:
        def run(at: datetime) -> None:
            roll = self.rng.random()
            if roll < 0.4:
                self._react_to_post(person, at)
            elif roll < 0.6:
                post = self._recent_post(person, at)
                if post is not None:
                    self._comment(person, post, self.rng.choice(blogs_demo.COMMENTS))(at)
            elif roll < 0.9:
                thread = self._recent_thread(person, at)
                if thread is not None:
                    self._write_reply(person, thread, at, first=False)
            else:
                thread = self._recent_thread(person, at)
                if thread is not None and self.ensure_member(person, thread.community, at):
                    self._react(person, thread, at)

        return run

    def _recent_post(self, person: User, at: datetime) -> PostPage | None:
        posts = [
            p
            for p in self.posts[-15:]
            if p.author_id != person.pk and p.first_published_at and p.first_published_at < at
        ]
        if not posts:
            return None
        weights = [1 + i for i in range(len(posts))]  # the latest first
        return self.rng.choices(posts, weights)[0]

    def _recent_thread(self, person: User, at: datetime) -> Thread | None:
        threads = [
            t
            for t in self.threads[-25:]
            if t.created_at < at
            and not t.locked
            and (person.pk in self.members[t.community_id] or t.community.access == AccessMode.OPEN)
        ]
        if not threads:
            return None
        return self.rng.choices(threads, [1 + i for i in range(len(threads))])[0]

    def _react_to_post(self, person: User, at: datetime) -> None:
        post = self._recent_post(person, at)
        if post is None:
            return
        self._view(person, post)(at - timedelta(minutes=2))
        self._react(person, post, at)

    def _react(self, person: User, target: PostPage | Thread, at: datetime) -> None:
        content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        if Reaction.objects.filter(
            user=person, content_type=content_type, object_id=target.pk
        ).exists():
            return  # once per person and content: a second click would take it back
        interaction_services.reaction_toggle(
            user=person, target=target, kind=self.rng.choice(REACTION_KINDS), at=at
        )
        self.counts["reactions"] += 1

    def _view(self, person: User, post: PostPage) -> Action:
        def run(at: datetime) -> None:
            if self.hired(person, at) and view_record(
                actor=person, obj=post, target_user=post.author, at=at
            ):
                self.counts["views"] += 1

        return run

    def _read(self, person: User) -> Action:
        def run(at: datetime) -> None:
            post = self._recent_post(person, at)
            if post is not None:
                self._view(person, post)(at)

        return run

    def _comment(self, person: User, post: PostPage, body: str) -> Action:
        def run(at: datetime) -> None:
            if not self.hired(person, at) or not self.ensure_charter(person, at):
                return
            self._view(person, post)(at - timedelta(minutes=5))
            comment = interaction_services.comment_create(
                author=person, target=post, body=body, at=at
            )
            self.counts["comments"] += 1
            author = post.author
            day = self.day_of(at)
            answers = 0.8 if author.is_executive and day >= 180 else 0.5
            if self.rng.random() < answers:
                later = at + timedelta(hours=self.rng.expovariate(1 / 8) + 0.2)
                self.schedule(later, self._answer(post, comment))
            if (
                self.rng.random() < 0.15
                and not Follow.objects.filter(follower=person, person=author).exists()
            ):
                blog_services.follow_create(actor=person, person=author, occurred_at=at)
                self.counts["follows"] += 1

        return run

    def _answer(self, post: PostPage, comment: Comment) -> Action:
        def run(at: datetime) -> None:
            author = post.author
            if not self.ensure_charter(author, at):
                return
            interaction_services.comment_create(
                author=author,
                target=post,
                body=self.rng.choice(blogs_demo.REPLIES),
                parent=comment,
                at=at,
            )
            self.counts["comments"] += 1

        return run

    def finish(self, rng: random.Random) -> None:
        """What the first run leaves as it is today: a few old threads locked, requests
        waiting in the by-request communities."""
        with muted(), transaction.atomic():
            now = timezone.now()
            for thread in self.threads:
                if (now - thread.created_at).days > 200 and rng.random() < 0.15:
                    manager = self.by_pk.get(thread.community.created_by_id)
                    if manager is not None:
                        community_services.thread_lock(actor=manager, thread=thread, locked=True)
            for community in self.communities.values():
                if community.access != AccessMode.BY_REQUEST:
                    continue
                for person in rng.sample(self.people, min(2, len(self.people))):
                    waiting = Membership.objects.filter(community=community, user=person).exists()
                    if not (
                        waiting or person.is_superuser or person.pk in self.members[community.pk]
                    ):
                        community_services.community_request(actor=person, community=community)


def _paragraphs(paragraphs: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", text) for text in paragraphs]


def history_start() -> date | None:
    """The first day of the demo's year, when it was seeded: CHARTER_DAY days before the
    charter's publication."""
    charter = Charter.objects.filter(version=1, published_at__isnull=False).first()
    if charter is None:
        return None
    return timezone.localdate(charter.published_at) - timedelta(days=CHARTER_DAY)


def seed(
    *,
    rng: random.Random,
    stdout: Any,
    until: date,
    scale: float = 1.0,
    catch_up_only: bool = False,
) -> None:
    """Play the year up to `until` (yesterday) on a new demo, or the days since the last
    seeded one (only those with `catch_up_only`: an organisation that is not the demo's is
    left alone)."""
    if not User.objects.filter(is_active=True).exists():
        stdout.write("  history: no employees yet, nothing to do")
        return
    start = history_start()
    if start is None and catch_up_only:
        stdout.write("  history: no demo history here, nothing to bring up to date")
        return
    if start is None:
        start = until - timedelta(days=DAYS - 1)
        history = History(start=start, stdout=stdout, scale=scale)
        blogs_demo.setup(history.people)
        plan = history.plan(rng)
        history.run(0, DAYS - 1, plan)
        history.finish(rng)
        evening = timezone.make_aware(datetime.combine(until, time(17, 30)))
        blogs_demo.cockpit(
            history.people,
            at=evening,
            may_write=lambda p: history.hired(p, evening) and history.ensure_charter(p, evening),
        )
    else:
        last = (
            ParticipationEvent.objects.filter(occurred_on__lte=until)
            .order_by("-occurred_on")
            .values_list("occurred_on", flat=True)
            .first()
        )
        first = (last - start).days + 1 if last else DAYS
        history = History(start=start, stdout=stdout)
        history.run(first, (until - start).days, None)
    done = ", ".join(f"{n} {what}" for what, n in sorted(history.counts.items()))
    stdout.write(f"  history: {done or 'nothing new'} (from {start} to {until})")
