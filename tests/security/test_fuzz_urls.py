"""Every URL of the URL configuration, fed bad input: never a 500, nothing half-written.

The URL configuration is walked (`get_resolver().url_patterns`, recursively, so Wagtail's admin
and the Django admin are in it), each path parameter is filled with an existing object of a
small planted organisation, and then with junk; each URL is requested with GET and POST, as an
employee and anonymously, with the kinds of input a fuzzer sends: NUL bytes, invalid UTF-8
percent-encoding, 1 MB of text, wrong types (lists, words where numbers go), numbers beyond
any column (99999999999999999999), relative junk in `next`. Unknown websocket paths are tried
against the ASGI application.

Junk is sampled, not multiplied: each URL gets one junk variant of each kind in rotation, so
that the whole run stays well under a minute on PostgreSQL. Each request runs in a savepoint
that is rolled back afterwards, so that a write (or a crash) of one request cannot change what
the next one sees; a refused write (4xx) must leave every content table as it was.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from blogs import services as blog_services
from blogs.models import FeedToken, Follow, PostPage
from communities.models import AccessMode, Community, Membership, Role, Thread
from console.models import CalendarToken, Report
from governance.models import AuditEntry
from governance.services import charter_accept
from interactions import services as interaction_services
from interactions.models import Comment, Reaction
from interactions.registry import key_for
from notifications.models import Notification
from notifications.tokens import unsubscribe_token
from people.models import User
from people.services import personal_token_regenerate
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import AdminFactory, DepartmentFactory, ExecutiveFactory, UserFactory
from tests.governance.factories import PublishedCharterFactory

pytestmark = pytest.mark.django_db

NUL = "\x00"
HUGE = "99999999999999999999"
MEGABYTE = "é" * 500_000  # 1 MB of UTF-8
LONG_NAME = "u" * 100_000

# Tables whose rows a refused write must not change.
WATCHED = [
    User,
    PostPage,
    Comment,
    Reaction,
    Follow,
    Community,
    Membership,
    Thread,
    Report,
    AuditEntry,
    Notification,
]


@dataclass
class World:
    """The planted organisation: ids and values that name existing objects."""

    values: dict[str, str] = field(default_factory=dict)
    employee: User | None = None


@pytest.fixture
def world(db) -> World:
    department = DepartmentFactory(slug="marketing")
    employee = UserFactory(username="claire.employee", department=department)
    colleague = UserFactory(username="marc.colleague", department=department)
    executive = ExecutiveFactory(username="camille.ceo")
    AdminFactory(username="alex.admin")
    charter = PublishedCharterFactory()
    for person in (employee, colleague, executive):
        charter_accept(user=person, charter=charter)
    blog = blog_services.blog_ensure(actor=employee)
    own_post = blog_services.post_create(
        actor=employee, title="Mon billet", body="Bonjour.", publish=True
    )
    post = blog_services.post_create(
        actor=colleague, title="Le billet de Marc", body="Bonjour à tous.", publish=True
    )
    blog_services.delegation_grant(actor=executive, executive=executive, delegate=employee)
    # The employee is an executive too, so that their delegates page is in reach.
    User.objects.filter(pk=employee.pk).update(is_executive=True)
    employee.refresh_from_db()
    comment = interaction_services.comment_create(author=employee, target=post, body="Merci")
    community = CommunityFactory(slug="open-club", access=AccessMode.OPEN, created_by=employee)
    membership = MembershipFactory(community=community, user=employee, role=Role.MANAGER)
    MembershipFactory(community=community, user=colleague)
    private = CommunityFactory(slug="secret-council", access=AccessMode.PRIVATE)
    thread = ThreadFactory(community=community, author=colleague)
    # Only digests are stored: the secrets are what the services hand out once.
    _feed, feed_secret = personal_token_regenerate(model=FeedToken, user=employee)
    _calendar, calendar_secret = personal_token_regenerate(model=CalendarToken, user=employee)
    notification = Notification.objects.filter(recipient=colleague).first()
    good = {
        "post": str(post.pk),
        "own_post": str(own_post.pk),
        "blog": str(blog.pk),
        "comment": str(comment.pk),
        "key": key_for(post),
        "community": str(community.pk),
        "community_slug": community.slug,
        "private_slug": private.slug,
        "department_slug": department.slug,
        "thread": str(thread.pk),
        "membership": str(membership.pk),
        "notification": str(notification.pk if notification else 1),
        "username": colleague.username,
        "own_username": employee.username,
        "user": str(colleague.pk),
        "feed_token": feed_secret,
        "calendar_token": calendar_secret,
        "unsubscribe_token": unsubscribe_token(user_id=employee.pk, scope="all"),
    }
    return World(values=good, employee=employee)


# --- the URL configuration ------------------------------------------------------------------


def _regex_to_route(regex: str) -> str:
    """A regex pattern as a route with <name> placeholders: each (named or unnamed) top-level
    group becomes one parameter, anchors and escapes go."""
    out, depth, index, name = [], 0, 0, ""
    i = 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and depth == 0:
            out.append(regex[i + 1])
            i += 2
            continue
        if char == "(":
            if depth == 0:
                match = re.match(r"\(\?P<(\w+)>", regex[i:])
                index += 1
                name = match.group(1) if match else f"group{index}"
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                out.append(f"<{name}>")
        elif depth == 0 and char not in "^$":
            out.append(char)
        i += 1
    return "".join(out)


def _routes() -> list[str]:
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            text = str(pattern.pattern)
            part = _regex_to_route(text) if text.startswith("^") or "(" in text else text
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + part)
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + part)

    walk(get_resolver().url_patterns, "")
    return routes


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")

# Names of path parameters and what existing object each names.
BY_NAME = {
    "thread_id": "thread",
    "membership_id": "membership",
    "notification_id": "notification",
    "blog_id": "blog",
    "object_id": "post",
    "page_id": "own_post",
    "page_pk": "own_post",
    "page_to_move_id": "own_post",
    "parent_page_id": "blog",
    "destination_id": "blog",
    "post_id": "post",
    "community_id": "community",
    "key": "key",
    "kind": "key",
    "username": "username",
}
LITERALS = {
    "scope": "organisation",
    "table": "communities",
    "app_label": "blogs",
    "content_type_app_name": "blogs",
    "model_name": "postpage",
    "content_type_model_name": "postpage",
    "action": "lock",
    "decision": "hide",
    "path": "photos/nothing.jpg",
}


def _good(route: str, name: str, world: World) -> str:
    values = world.values
    if name in LITERALS:
        return LITERALS[name]
    if name == "pk":
        return values["comment" if route.startswith("interactions/comments") else "post"]
    if name == "slug":
        if route.startswith("people/"):
            return values["department_slug"]
        return values["community_slug"]
    if name == "token":
        if route.startswith("governance/calendar"):
            return values["calendar_token"]
        if route.startswith("notifications/"):
            return values["unsubscribe_token"]
        return values["feed_token"]
    if name in BY_NAME:
        return values[BY_NAME[name]]
    return values["post"] if name.endswith("id") else "x"


# Junk for one path parameter, by converter; percent-encoded as a client would send it.
JUNK_NUMBERS = ["0", HUGE]
JUNK_TEXT = ["%FF%FE", LONG_NAME, "..%2F..%2Fetc", "%00"]

QUERIES = itertools.cycle(
    [
        f"next=abc&page=abc&for=%00&token=%00&q=%00&month={HUGE}&week=abc&status=%00",
        "next=%FF%FE&page=-1&for=%FF&token=%FF%FE&q=%FF&month=13&week=2026-W99&unread=%00",
        f"next=javascript:alert(1)&page={HUGE}&for={LONG_NAME}&q=a%00b&token={LONG_NAME}",
        "next=//evil.example/&page=1&page=2&for=&token=&q=&remove=abc",
    ]
)

# Field names the forms of Ruche, Wagtail and Django read.
TEXT_FIELDS = [
    "body",
    "reason",
    "details",
    "title",
    "description",
    "name",
    "note",
    "text",
    "q",
    "bio",
    "display_name",
    "job_title",
    "narrative_why",
    "tags",
    "slug",
    "username",
    "for",
    "token",
    "comment",
    "reply",
    "answer",
]
NUMBER_FIELDS = [
    "remove",
    "parent",
    "person",
    "user",
    "community",
    "notification",
    "page",
    "thread",
    "reply_id",
    "delegate",
    "manager",
    "department",
    "object_id",
    "body-count",
    "comments-TOTAL_FORMS",
]
CHOICE_FIELDS = ["role", "kind", "access", "language", "granted", "status", "decision", "action"]


def _bodies() -> list[Any]:
    """Kinds of junk form body. Each kind leaves the other fields out, so that a form which
    refuses one junk field first does not hide what another would do."""
    nul_text = dict.fromkeys(TEXT_FIELDS, f"a{NUL}b") | {"next": "abc"}
    nul_numbers = dict.fromkeys(NUMBER_FIELDS + CHOICE_FIELDS, f"1{NUL}") | {"next": f"/{NUL}"}
    words = dict.fromkeys(NUMBER_FIELDS, "abc") | {"next": "abc", "action-publish": "1"}
    types: dict[str, Any] = {key: ["x", "y"] for key in TEXT_FIELDS + CHOICE_FIELDS}
    types |= dict.fromkeys(NUMBER_FIELDS, HUGE) | {"go_live_at": "abc", "body-0-type": "nothing"}
    # 1 MB in the main text field; long text in the others (5 MB per request would be slow).
    big = {"body": MEGABYTE} | dict.fromkeys(("reason", "title", "description", "reply"), LONG_NAME)
    big |= {"username": LONG_NAME, "for": LONG_NAME, "next": "abc"}
    raw = b"body=%FF%FE&reason=%C3&next=%FF&remove=%FF&title=%00&username=%FF%FE"
    return [nul_text, nul_numbers, words, types, big, raw]


BODY_KINDS = _bodies()


@dataclass
class Failure:
    method: str
    who: str
    url: str
    status: int
    detail: str


def _counts() -> tuple[int, ...]:
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)})"
        for model in WATCHED
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if isinstance(body, bytes):
        return client.post(url, body, content_type="application/x-www-form-urlencoded")
    return client.post(url, body)


def _try(
    client: Client, who: str, method: str, url: str, body: Any, baseline: tuple[int, ...]
) -> Failure | None:
    savepoint = transaction.savepoint()
    try:
        response = _send(client, method, url, body)
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            detail = repr(exc[1])[:300] if exc else ""
            return Failure(method, who, url[:160], response.status_code, detail)
        if method == "POST" and 400 <= response.status_code < 500 and _counts() != baseline:
            return Failure(method, who, url[:160], response.status_code, "half-written")
        return None
    finally:
        transaction.savepoint_rollback(savepoint)


def _session(client: Client) -> str:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else ""


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values[m.group(2)], route)


def test_no_url_answers_500_nor_half_writes_on_bad_input(world):
    routes = _routes()
    assert len(routes) > 300  # Ruche, Wagtail's admin and the Django admin
    employee = Client(raise_request_exception=False)
    employee.force_login(world.employee)
    signed_in = _session(employee)
    anonymous = Client(raise_request_exception=False)
    baseline = _counts()
    bodies = itertools.cycle(BODY_KINDS)
    junk_numbers, junk_text = itertools.cycle(JUNK_NUMBERS), itertools.cycle(JUNK_TEXT)
    failures: list[Failure] = []
    sent = 0
    for route in routes:
        params = PARAM.findall(route)
        good = {name: _good(route, name, world) for _, name in params}
        urls = [_fill(route, good)]
        # Junk per parameter: for text, NUL and a plain word always (a word where an id goes
        # is what crashed Wagtail's choosers), one more kind in turn.
        for converter, name in params:
            junks = (
                [next(junk_numbers)] if converter == "int" else ["a%00b", "abc", next(junk_text)]
            )
            urls += [_fill(route, good | {name: junk}) for junk in junks]
        # Ruche's own pages get every kind of junk; the admin sites (most of the URLs) one kind
        # each, in rotation, and junk in their path parameters.
        own = not route.startswith(("admin/", "django-admin/"))
        kinds = len(BODY_KINDS) if own else 1
        requests: list[tuple[Client, str, str, Any]] = []
        for _ in range(kinds):
            requests.append((employee, "GET", f"{urls[0]}?{next(QUERIES)}", None))
            requests.append((employee, "POST", f"{urls[0]}?next=abc", next(bodies)))
        for i, url in enumerate(urls[1:]):
            requests.append((employee, "GET" if i % 2 else "POST", url, next(bodies)))
        requests.append((anonymous, "GET", f"{urls[0]}?{next(QUERIES)}", None))
        requests.append((anonymous, "POST", urls[0], next(bodies)))
        for client, method, url, body in requests:
            who = "anonymous" if client is anonymous else "employee"
            failure = _try(client, who, method, url, body, baseline)
            if client is employee and _session(employee) != signed_in:
                # Logout, a password change: sign in again, or the rest would be anonymous.
                employee.force_login(world.employee)
                signed_in = _session(employee)
            sent += 1
            if failure is not None:
                failures.append(failure)
    report = "\n".join(f"{f.status} {f.method} {f.who} {f.url!r} {f.detail}" for f in failures)
    assert not failures, f"{len(failures)} of {sent} requests failed:\n{report}"


UNKNOWN_SOCKETS = [
    "/ws/nothing/",
    "/ws/communities/threads/abc/",
    "/ws/communities/%00/",
    "/",
    "/ws/notifications/extra/",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", UNKNOWN_SOCKETS)
async def test_websocket_paths_that_match_no_route_are_refused_not_crashed(path):
    from ruche.asgi import application

    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://testserver")]
    )
    connected, code = await communicator.connect(timeout=3)
    assert not connected
    assert code == 4404
    await communicator.disconnect()
