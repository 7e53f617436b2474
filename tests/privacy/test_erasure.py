"""An administrator erases a person: account and profile gone, content attributed to a
former-employee placeholder (or removed), participation pseudonymised, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse

from activity.models import ParticipationEvent
from blogs.models import BlogPage, Follow, PostPage
from communities.models import Membership, Thread
from governance.models import AuditEntry
from interactions.models import Comment, Reaction
from people.models import User
from privacy.services import person_erase


def _erase(client, administrator, person, confirm=None):
    client.force_login(administrator)
    return client.post(
        reverse("privacy:erase", args=[person.username]),
        {"confirm": person.username if confirm is None else confirm},
    )


@pytest.mark.django_db
def test_erasure_attributes_content_to_a_former_employee(client, world, administrator):
    person = world.person
    events = ParticipationEvent.objects.filter(actor=person).count()
    response = _erase(client, administrator, person)
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    placeholder = Thread.objects.get(pk=world.thread.pk).author
    assert placeholder.username.startswith("former-")
    assert placeholder.name in ("Ancien collaborateur", "Former employee")
    assert not placeholder.is_active
    assert not is_password_usable(placeholder.password)
    assert placeholder.department_id == person.department_id
    assert (placeholder.email, placeholder.first_name, placeholder.last_name) == ("", "", "")
    # Their content stays, signed by the placeholder.
    assert PostPage.objects.get(pk=world.post.pk).author == placeholder
    assert Comment.objects.get(pk=world.own_comment.pk).author == placeholder
    assert Comment.objects.get(pk=world.own_reply.pk).body == "Avec plaisir, Marc."
    # Their blog no longer carries their name or username.
    blog = BlogPage.objects.get(person=placeholder)
    assert "Claire" not in blog.title and "claire" not in blog.slug
    # What was only theirs went with the account.
    assert not Membership.objects.filter(user_id=person.pk).exists()
    assert not Follow.objects.filter(follower_id=person.pk).exists()
    assert not Reaction.objects.filter(user_id=person.pk).exists()
    # Their participation is kept under the placeholder, nothing under their id.
    assert ParticipationEvent.objects.filter(actor=placeholder).count() == events
    assert not ParticipationEvent.objects.filter(target_user_id=person.pk).exists()
    # Audited, with no personal data.
    entry = AuditEntry.objects.get(action="person.erased")
    assert entry.actor == administrator
    text = f"{entry.target_label} {entry.before} {entry.after}"
    for personal in ("Claire", "Dubois", "claire", person.email):
        assert personal not in text
    assert entry.after["content"] == "attribute"


@pytest.mark.django_db
def test_erasure_can_remove_content(settings, world, administrator):
    settings.RUCHE_ERASURE_CONTENT = "remove"
    erasure = person_erase(actor=administrator, person=world.person)
    assert erasure.mode == "remove"
    # Their post and thread are gone, with what colleagues wrote under them.
    assert not PostPage.objects.filter(pk=world.post.pk).exists()
    assert not Thread.objects.filter(pk=world.thread.pk).exists()
    assert not Comment.objects.filter(
        pk__in=[world.colleague_comment.pk, world.own_reply.pk, world.colleague_reply.pk]
    ).exists()
    # Their comment on a colleague's post is emptied; the colleague's post stays.
    comment = Comment.objects.get(pk=world.own_comment.pk)
    assert (comment.body, comment.body_html, comment.author) == ("", "", erasure.placeholder)
    assert comment.deleted_at is not None
    assert PostPage.objects.filter(pk=world.other_post.pk).exists()
    assert not BlogPage.objects.filter(person=erasure.placeholder).exists()
    assert not User.objects.filter(pk=world.person.pk).exists()


@pytest.mark.django_db
def test_only_administrators_erase_and_never_themselves(client, world, administrator):
    client.force_login(world.colleague)
    url = reverse("privacy:erase", args=[world.person.username])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": world.person.username}).status_code == 404
    client.force_login(administrator)
    own = reverse("privacy:erase", args=[administrator.username])
    assert client.post(own, {"confirm": administrator.username}).status_code == 404
    assert User.objects.filter(pk__in=[world.person.pk, administrator.pk]).count() == 2


@pytest.mark.django_db
def test_wrong_confirmation_erases_nothing_and_keeps_what_was_typed(client, world, administrator):
    response = _erase(client, administrator, world.person, confirm="claire.employe")
    assert response.status_code == 200
    assert b"This is not the username" in response.content or "n’est pas".encode() in (
        response.content
    )
    assert b'value="claire.employe"' in response.content
    assert User.objects.filter(pk=world.person.pk).exists()
    assert not AuditEntry.objects.filter(action="person.erased").exists()


@pytest.mark.django_db
def test_pages_in_french(client, world, administrator):
    administrator.preferred_language = "fr"
    administrator.save()
    client.force_login(administrator)
    client.cookies["ruche_language"] = "fr"
    page = client.get(reverse("privacy:erase", args=[world.person.username])).content.decode()
    assert "Effacer cette personne" in page
    assert "Ancien collaborateur" in page
    profile = client.get(world.person.get_absolute_url()).content.decode()
    assert "Télécharger ses données" in profile
