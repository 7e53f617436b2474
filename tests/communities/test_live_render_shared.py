"""A new reply rendered once per perspective for many readers (one call per web process) is,
for every reader, exactly what rendering it for that reader alone gives: their language, their
buttons, their own CSRF token; and nothing for a reader who may not read the thread."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _unmask_cipher_token

from communities import live_render
from communities.models import Membership
from interactions import services as interactions
from tests.communities.factories import MembershipFactory, ThreadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _scope(csrf_secret: str) -> dict:
    return {"cookies": {"csrftoken": csrf_secret}, "session": SessionStore()}


def _without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.parametrize("access", ["open", "private"])
def test_shared_rendering_is_each_readers_own(
    access, open_community, private_community, employee, colleague, manager, outsider
):
    community = open_community if access == "open" else private_community
    MembershipFactory(community=community, user=colleague)
    french = UserFactory(username="fr.reader", preferred_language="fr")
    MembershipFactory(community=community, user=french)
    thread = ThreadFactory(community=community, author=employee)
    reply = interactions.comment_create(author=colleague, target=thread, body="Une réponse")
    readers = [employee, colleague, manager, outsider, french, UserFactory(username="plain")]
    MembershipFactory(community=community, user=readers[-1])
    secrets = {user.pk: f"{user.pk:032d}" for user in readers}

    shared = live_render.new_reply_for_readers(
        readers=[(user, _scope(secrets[user.pk])) for user in readers],
        thread_id=thread.pk,
        reply_id=reply.pk,
    )
    for user, got in zip(readers, shared, strict=True):
        alone = live_render.replies_for_reader(
            user=user, thread_id=thread.pk, reply_ids=[reply.pk], scope=_scope(secrets[user.pk])
        )
        if alone is None:
            assert got is None, user.username
            continue
        assert got is not None, user.username
        assert _without_tokens(got["html"]) == _without_tokens(alone[0]["html"]), user.username
        tokens = TOKEN.findall(got["html"])
        assert bool(tokens) == ("csrfmiddlewaretoken" in alone[0]["html"]), user.username
        # Each form carries a token of this reader's own CSRF cookie, not another reader's.
        assert {_unmask_cipher_token(t) for t in tokens} <= {secrets[user.pk]}, user.username
        assert live_render.TOKEN_STAND_IN not in got["html"]
    by_user = dict(zip([u.username for u in readers], shared, strict=True))
    if access == "private":
        assert by_user[outsider.username] is None
    assert "comment-edit" in by_user[colleague.username]["html"]  # the author's own buttons
    assert "comment-edit" not in by_user[employee.username]["html"]
    assert "csrfmiddlewaretoken" in by_user["plain"]["html"]  # a member's forms
    assert "Répondre" in by_user["fr.reader"]["html"]


def test_a_reader_removed_before_the_render_gets_nothing(private_community, employee, manager):
    thread = ThreadFactory(community=private_community, author=manager)
    reply = interactions.comment_create(author=manager, target=thread, body="Confidentiel")
    Membership.objects.filter(community=private_community, user=employee).delete()
    found = live_render.new_reply_for_readers(
        readers=[(employee, _scope("a" * 32)), (manager, _scope("b" * 32))],
        thread_id=thread.pk,
        reply_id=reply.pk,
    )
    assert found[0] is None
    assert "Confidentiel" in found[1]["html"]


def test_a_socket_keeps_one_valid_token_across_replies(open_community, employee, colleague):
    """The token is masked once per socket (its cookies never change): the second reply's
    forms carry the same token as the first's, and it is the reader's own."""
    MembershipFactory(community=open_community, user=colleague)
    thread = ThreadFactory(community=open_community, author=employee)
    scope = _scope(f"{colleague.pk:032d}")
    tokens = []
    for body in ("Première", "Deuxième"):
        reply = interactions.comment_create(author=employee, target=thread, body=body)
        (got,) = live_render.new_reply_for_readers(
            readers=[(colleague, scope)], thread_id=thread.pk, reply_id=reply.pk
        )
        tokens.append(set(TOKEN.findall(got["html"])))
    assert len(tokens[0]) == 1 and tokens[0] == tokens[1]
    assert _unmask_cipher_token(next(iter(tokens[0]))) == f"{colleague.pk:032d}"
    other = _scope(f"{employee.pk:032d}")
    reply = interactions.comment_create(author=colleague, target=thread, body="Troisième")
    (theirs,) = live_render.new_reply_for_readers(
        readers=[(employee, other)], thread_id=thread.pk, reply_id=reply.pk
    )
    assert not set(TOKEN.findall(theirs["html"])) & tokens[0]
