"""The page being opened in Wagtail's admin, not only lists: each entry point that used to show
another person's draft title (issue 14) now answers as if the page did not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from blogs import services
from governance.services import content_hide
from tests.factories import AdminFactory, ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db

URLCONF = "tests.security.test_wagtail_admin_leaks"
TITLE = "Brouillon-confidentiel-42"


@pytest.fixture(autouse=True)
def _overrides(settings):
    settings.ROOT_URLCONF = URLCONF


@pytest.fixture
def draft(colleague):
    return services.post_create(
        actor=colleague, title=TITLE, body="...", tags=["tag-confidentiel-42"]
    )


@pytest.fixture
def two_blog_delegate(db):
    boss = ExecutiveFactory(username="bea.boss")
    person = UserFactory(username="dan.delegate")
    services.blog_ensure(actor=boss)
    services.blog_ensure(actor=person)
    services.delegation_grant(actor=boss, executive=boss, delegate=person)
    return person


def test_a_delegate_does_not_explore_someone_elses_post(login, two_blog_delegate, draft):
    response = login(two_blog_delegate).get(reverse("wagtailadmin_explore", args=(draft.pk,)))
    assert response.status_code == 404
    assert TITLE not in response.content.decode()


def test_the_page_chooser_does_not_open_on_someone_elses_draft(login, employee, draft):
    client = login(employee)
    response = client.get(reverse("wagtailadmin_choose_page_child", args=(draft.pk,)))
    assert response.status_code == 404
    chosen = client.get(reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": draft.pk})
    assert chosen.status_code == 404


def test_chooser_search_leaves_out_hidden_posts_and_new_titles(login, employee, colleague):
    hidden = services.post_create(actor=colleague, title="Cache-42", body="x", publish=True)
    content_hide(actor=AdminFactory(username="root.admin"), obj=hidden, reason="Hors charte")
    renamed = services.post_create(actor=colleague, title="Public-42", body="x", publish=True)
    renamed.title = "Nouveau-titre-42"
    renamed.save_revision(user=colleague)
    body = login(employee).get(reverse("wagtailadmin_choose_page_search"), {"q": "42"})
    text = body.content.decode()
    assert "Cache-42" not in text and "Nouveau-titre-42" not in text


def test_tag_autocomplete_suggests_only_tags_of_visible_posts(login, employee, draft, colleague):
    services.post_create(
        actor=colleague, title="Vu", body="x", tags=["tag-public-42"], publish=True
    )
    tags = login(employee).get("/admin/tag-autocomplete/", {"term": "tag-"}).json()
    assert tags == ["tag-public-42"]


def test_image_chooser_lists_only_visible_images(login, employee, colleague):
    get_image_model().objects.create(
        title="Photo-du-brouillon-42", file=get_test_image_file(), uploaded_by_user=colleague
    )
    client = login(employee)
    assert (
        "Photo-du-brouillon-42"
        not in client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    )
    api = client.get("/admin/api/main/images/").content.decode()
    assert "Photo-du-brouillon-42" not in api
