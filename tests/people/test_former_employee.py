"""A deactivated person's content stays, signed with their name and marked "former employee"
(issue 15, item 3: deactivation by SCIM, the directory import or an administrator)."""

from __future__ import annotations

import pytest

from blogs import services as blog_services
from communities.models import AccessMode, Role
from interactions import services as interactions
from people.services import person_active_set
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db

BADGE = 'data-testid="former-employee"'


@pytest.fixture
def post(employee):
    blog_services.blog_ensure(actor=employee)
    return blog_services.post_create(
        actor=employee, title="Mon dernier billet", body="Merci à tous.", publish=True
    )


def test_a_post_and_a_comment_of_someone_who_left(client, employee, colleague, post):
    interactions.comment_create(author=colleague, target=post, body="Bonne continuation !")
    interactions.comment_create(author=employee, target=post, body="Merci Marc.")
    client.force_login(colleague)
    assert BADGE not in client.get(post.url).text  # nobody has left yet

    person_active_set(person=employee, active=False)
    page = client.get(post.url).text
    assert "Mon dernier billet" in page and "Merci Marc." in page  # the content stays
    # Signed by the post's byline and the author's comment; the colleague is not marked.
    assert page.count(BADGE) == 2
    assert "Claire Dubois" in page and "former employee" in page


def test_a_thread_of_someone_who_left_in_french(client, employee, colleague):
    community = CommunityFactory(access=AccessMode.OPEN, slug="club", created_by=colleague)
    MembershipFactory(community=community, user=colleague, role=Role.MANAGER)
    MembershipFactory(community=community, user=employee)
    thread = ThreadFactory(community=community, author=employee, title="Covoiturage")
    person_active_set(person=employee, active=False)
    colleague.preferred_language = "fr"
    colleague.save(update_fields=["preferred_language"])
    client.force_login(colleague)
    page = client.get(thread.get_absolute_url()).text
    assert "Covoiturage" in page and BADGE in page and "ancien collaborateur" in page
