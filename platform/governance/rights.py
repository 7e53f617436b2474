"""The publishing-rights map: who may publish where, computed from the live permission rules.

Nothing here is a list kept by hand: for every person and place the map asks the function
that the owning app itself asks when someone tries to publish (blogs.permissions,
communities.permissions), with the data fetched in bulk beforehand (one query for the
memberships of everyone listed) so that the page stays a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance.permissions import is_administrator
from people.models import User


@dataclass
class CommunityRight:
    community: object
    role: str  # "manager", "member", or "" (no membership)
    post: bool
    announce: bool
    moderate: bool


@dataclass
class PersonRights:
    person: User
    own_blog: bool
    leadership: bool
    prepares_for: list[User] = field(default_factory=list)
    communities: list[CommunityRight] = field(default_factory=list)
    every_community: bool = False  # posts, announces and moderates in every community
    moderates_everything: bool = False

    @property
    def announces_in(self) -> list[CommunityRight]:
        return [c for c in self.communities if c.announce]

    @property
    def moderates_in(self) -> list[CommunityRight]:
        return [c for c in self.communities if c.moderate]


PLACE_BLOG = "blog"
PLACE_LEADERSHIP = "leadership"
PLACE_ANNOUNCEMENTS = "announcements"
PLACE_MODERATION = "moderation"


def place_choices(communities) -> list[tuple[str, str | Promise]]:
    """The places of the filter: the fixed ones and every community."""
    return [
        (PLACE_BLOG, _("Own blog")),
        (PLACE_LEADERSHIP, _("Leadership space")),
        (PLACE_ANNOUNCEMENTS, _("Official announcements (any community)")),
        (PLACE_MODERATION, _("Moderation")),
        *[(f"community:{c.pk}", c.name) for c in communities],
    ]


def _blog_right(person: User) -> bool:
    from blogs.models import BlogPage
    from blogs.permissions import can_publish_on_blog

    # The rule is "the owner publishes on their blog": asked on an unsaved blog of theirs, so
    # that people whose blog is not created yet (it is, on first use) show the same answer.
    return can_publish_on_blog(person, BlogPage(person=person))


def _leadership_right(person: User) -> bool:
    # blogs.selectors.leadership_posts gathers the posts of executives: an active executive's
    # own blog posts are published in the Leadership space.
    return bool(person.is_active and person.is_executive and _blog_right(person))


def communities_all() -> QuerySet:
    from communities.models import Community

    return Community.objects.order_by("name")


ALL_ASKS = frozenset({"post", "announce", "moderate"})


def people_rights(
    people: list[User], communities: list, *, asks: frozenset[str] = ALL_ASKS
) -> list[PersonRights]:
    """The rights of each person in `people`, asked of the live rules. Two queries (the
    memberships and the delegations of everyone listed), whatever the number of people.
    `asks` limits which community rules are asked (a place filter needs only one)."""
    from blogs.models import Delegation
    from communities.models import Membership, ThreadKind
    from communities.permissions import can_manage_community, can_start_thread

    ids = [p.pk for p in people]
    memberships: dict[tuple[int, int], Membership] = {
        (m.user_id, m.community_id): m for m in Membership.objects.filter(user_id__in=ids)
    }
    prepares: dict[int, list[User]] = defaultdict(list)
    for delegation in Delegation.objects.filter(
        delegate_id__in=ids, executive__is_executive=True
    ).select_related("executive"):
        prepares[delegation.delegate_id].append(delegation.executive)

    result = []
    for person in people:
        rights = PersonRights(
            person=person,
            own_blog=_blog_right(person),
            leadership=_leadership_right(person),
            prepares_for=prepares.get(person.pk, []),
        )
        everywhere = bool(communities)
        for community in communities:
            membership = memberships.get((person.pk, community.pk))
            # Pass the membership (or None): the rules then answer without a query.
            right = CommunityRight(
                community=community,
                role=(membership.role if membership and membership.is_active else ""),
                post="post" in asks
                and can_start_thread(
                    person, community, ThreadKind.DISCUSSION, membership=membership
                ),
                announce="announce" in asks
                and can_start_thread(
                    person, community, ThreadKind.ANNOUNCEMENT, membership=membership
                ),
                moderate="moderate" in asks
                and can_manage_community(person, community, membership=membership),
            )
            everywhere = everywhere and right.post and right.announce and right.moderate
            if right.post or right.announce or right.moderate:
                rights.communities.append(right)
        rights.every_community = everywhere
        # The moderation queue's own rule (governance.permissions): administrators decide on
        # every report, blog posts included.
        rights.moderates_everything = is_administrator(person)
        result.append(rights)
    return result


def has_right_at(rights: PersonRights, place: str) -> bool:
    if place == PLACE_BLOG:
        return rights.own_blog
    if place == PLACE_LEADERSHIP:
        return rights.leadership
    if place == PLACE_ANNOUNCEMENTS:
        return bool(rights.announces_in)
    if place == PLACE_MODERATION:
        return rights.moderates_everything or bool(rights.moderates_in)
    if place.startswith("community:"):
        community_id = place.split(":", 1)[1]
        return any(str(c.community.pk) == community_id for c in rights.communities)
    return True


def people_for_map(*, query: str = "", department_id: int | None = None) -> QuerySet[User]:
    people = User.objects.filter(is_active=True).select_related("department")
    if department_id:
        people = people.filter(department_id=department_id)
    if query:
        for word in query.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(display_name__icontains=word)
                | Q(username__icontains=word)
                | Q(job_title__icontains=word)
            )
    return people.order_by("last_name", "first_name", "username")


def asks_for_place(place: str) -> frozenset[str]:
    if place == PLACE_ANNOUNCEMENTS:
        return frozenset({"announce"})
    if place == PLACE_MODERATION:
        return frozenset({"moderate"})
    return ALL_ASKS


def communities_for_place(place: str, communities: list) -> list:
    """The communities whose rules a place filter needs: none for a blog or the Leadership
    space, one for a community, all for announcements and moderation."""
    if place in (PLACE_BLOG, PLACE_LEADERSHIP):
        return []
    if place.startswith("community:"):
        wanted = place.split(":", 1)[1]
        return [c for c in communities if str(c.pk) == wanted]
    return communities
