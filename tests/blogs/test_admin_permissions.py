"""The same rules through Wagtail's admin: pages, buttons and direct POSTs to admin URLs."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import BlogPage, PostPage

pytestmark = pytest.mark.django_db


def add_url(blog):
    return reverse("wagtailadmin_pages:add", args=("blogs", "postpage", blog.pk))


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def post_form(title="Titre", action=None, **extra):
    data = {
        "title": title,
        "slug": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-value": '{"blocks":[{"key":"a","text":"Bonjour","type":"unstyled","depth":0,'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-id": "",
        "tags": "",
        "search_description": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        **extra,
    }
    if action:
        data[action] = "1"
    return data


def test_write_button_opens_the_editor_of_a_new_post_on_your_blog(employee_client, employee):
    response = employee_client.get(reverse("blogs:write"))
    blog = BlogPage.objects.get(person=employee)
    assert response.status_code == 302
    assert response["Location"] == add_url(blog)
    assert employee_client.get(response["Location"]).status_code == 200


def test_employee_writes_and_publishes_through_the_admin(employee_client, employee, blog):
    response = employee_client.post(add_url(blog), post_form("Premier billet", "action-publish"))
    assert response.status_code == 302, response.content[:2000]
    post = PostPage.objects.get(title="Premier billet")
    assert post.live and post.author == employee and post.prepared_by is None


def test_invalid_post_keeps_the_authors_text(employee_client, blog):
    data = post_form("", "action-publish")
    response = employee_client.post(add_url(blog), data)
    assert response.status_code == 200
    assert "Bonjour" in response.content.decode()
    assert not PostPage.objects.exists()


def test_no_add_page_on_someone_elses_blog(login, colleague, blog):
    client = login(colleague)
    assert refused(client.get(add_url(blog)))
    assert refused(client.post(add_url(blog), post_form("Intrus", "action-publish")))
    assert not PostPage.objects.exists()


@pytest.mark.parametrize("url_name", ["edit", "delete", "unpublish", "history", "copy", "move"])
def test_no_admin_view_of_someone_elses_post(login, colleague, post, url_name):
    client = login(colleague)
    url = reverse(f"wagtailadmin_pages:{url_name}", args=(post.pk,))
    assert refused(client.get(url))
    assert refused(client.post(url, post_form("Piraté", "action-publish")))
    post.refresh_from_db()
    assert post.live and post.title != "Piraté"
    assert PostPage.objects.filter(pk=post.pk).exists()


def test_colleague_edit_view_is_refused(login, colleague, post):
    response = login(colleague).get(reverse("wagtailadmin_pages:edit", args=(post.pk,)))
    assert refused(response)


def test_delegate_saves_drafts_but_publishing_is_refused(login, executive, delegate):
    blog = services.blog_ensure(actor=executive)
    client = login(delegate)
    response = client.post(add_url(blog), post_form("Préparé"))
    assert response.status_code == 302
    post = PostPage.objects.get(title="Préparé")
    assert post.prepared_by == delegate and post.author == executive and not post.live
    edit_url = reverse("wagtailadmin_pages:edit", args=(post.pk,))
    assert client.get(edit_url).status_code == 200
    assert refused(client.post(edit_url, post_form("Préparé", "action-publish")))
    assert refused(client.post(add_url(blog), post_form("Direct", "action-publish")))
    post.refresh_from_db()
    assert not post.live
    assert not PostPage.objects.filter(title="Direct").exists()
    # The executive publishes it; the page then discloses who prepared it.
    exec_client = login(executive)
    response = exec_client.post(edit_url, post_form("Préparé", "action-publish"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live and post.prepared_by == delegate


def test_administrator_unpublishes_but_cannot_edit_or_delete(login, administrator, post):
    client = login(administrator)
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=(post.pk,))))
    assert refused(client.post(reverse("wagtailadmin_pages:delete", args=(post.pk,))))
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(post.pk,)))
    assert response.status_code == 302
    post.refresh_from_db()
    assert not post.live


def test_bulk_actions_on_someone_elses_post_are_refused(login, colleague, post):
    client = login(colleague)
    for action in ("delete", "unpublish", "publish"):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        client.post(f"{url}?id={post.pk}", {})
        # Wagtail leaves out the objects the user may not act on: nothing happened.
        post.refresh_from_db()
        assert post.live


def test_explorer_shows_only_your_own_blog(login, employee, colleague, blog, colleague_post):
    client = login(employee)
    index = blog.get_parent()
    response = client.get(reverse("wagtailadmin_explore", args=(index.pk,)), follow=True)
    body = response.content.decode()
    assert colleague.blog.title.replace("'", "&#x27;") not in body
    other = client.get(reverse("wagtailadmin_explore", args=(colleague.blog.pk,)), follow=True)
    assert colleague_post.title not in other.content.decode()


def test_chooser_hides_the_drafts_of_others(login, employee, colleague, blog):
    services.post_create(actor=colleague, title="Secret en cours", body="Brouillon.")
    client = login(employee)
    response = client.get(reverse("wagtailadmin_choose_page_child", args=(colleague.blog.pk,)))
    assert "Secret en cours" not in response.content.decode()


def test_charter_gate_keeps_the_text_as_a_draft(employee_client, blog):
    from tests.governance.factories import PublishedCharterFactory

    PublishedCharterFactory()
    response = employee_client.get(add_url(blog))
    assert response.status_code == 302 and reverse("governance:charter") in response["Location"]
    response = employee_client.post(add_url(blog), post_form("Mon texte", "action-publish"))
    post = PostPage.objects.get(title="Mon texte")
    assert not post.live  # kept as a draft, published only after the charter is accepted
    assert response.status_code == 302 and reverse("governance:charter") in response["Location"]
    edit_url = reverse("wagtailadmin_pages:edit", args=(post.pk,))
    assert urlencode({"next": edit_url}) in response["Location"]


def test_admin_page_search_lists_only_your_own_blog(login, employee, colleague, blog):
    services.post_create(actor=colleague, title="Brouillon confidentiel", body="...")
    services.post_create(actor=employee, title="Brouillon à moi", body="...")
    client = login(employee)
    body = client.get(reverse("wagtailadmin_pages:search"), {"q": "Brouillon"}).content.decode()
    assert "Brouillon à moi" in body
    assert "Brouillon confidentiel" not in body


def test_admin_dashboard_and_explorer_open_for_an_employee(login, employee, blog, post):
    client = login(employee)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse("wagtailadmin_explore", args=(blog.pk,)))
    assert response.status_code == 200
    assert post.title in response.content.decode()


def test_delegate_joins_and_leaves_the_blog_writers(executive, delegate):
    blog = services.blog_ensure(actor=executive)
    group = f"Blog writers {blog.pk}"
    assert delegate.groups.filter(name=group).exists()
    services.delegation_revoke(actor=executive, executive=executive, delegate=delegate)
    assert not delegate.groups.filter(name=group).exists()
    assert executive.groups.filter(name=group).exists()


def test_author_previews_a_new_post_and_a_draft(employee_client, employee, blog):
    preview_add = reverse("wagtailadmin_pages:preview_on_add", args=("blogs", "postpage", blog.pk))
    response = employee_client.post(preview_add, post_form("Aperçu neuf"))
    assert response.json()["is_valid"]
    page = employee_client.get(preview_add)
    assert page.status_code == 200 and "Aperçu neuf" in page.content.decode()
    draft = services.post_create(actor=employee, title="Brouillon à voir", body="Bientôt.")
    preview_edit = reverse("wagtailadmin_pages:preview_on_edit", args=(draft.pk,))
    assert employee_client.post(preview_edit, post_form("Brouillon revu")).json()["is_valid"]
    page = employee_client.get(preview_edit)
    assert page.status_code == 200 and "Brouillon revu" in page.content.decode()


def test_no_preview_of_someone_elses_draft(login, employee, colleague, blog):
    draft = services.post_create(actor=employee, title="Pas pour toi", body="...")
    client = login(colleague)
    preview_edit = reverse("wagtailadmin_pages:preview_on_edit", args=(draft.pk,))
    assert refused(client.post(preview_edit, post_form("Pas pour toi")))
    response = client.get(preview_edit)
    assert "Pas pour toi" not in response.content.decode()


def test_site_wide_reports_do_not_show_others_drafts(login, employee, colleague, blog):
    services.post_create(actor=colleague, title="Brouillon confidentiel", body="...")
    client = login(employee)
    for name in ("site_history", "locked_pages", "aging_pages"):
        response = client.get(reverse(f"wagtailadmin_reports:{name}"), follow=True)
        assert "Brouillon confidentiel" not in response.content.decode()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_reports:page_types_usage") not in home


def test_administrators_still_have_the_page_types_report(login, administrator):
    home = login(administrator).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("wagtailadmin_reports:page_types_usage") in home


def test_write_for_an_executive_only_as_their_delegate(login, executive, delegate, colleague):
    response = login(delegate).get(reverse("blogs:write"), {"for": executive.username})
    blog = BlogPage.objects.get(person=executive)
    assert response.status_code == 302 and response["Location"] == add_url(blog)
    assert (
        login(colleague).get(reverse("blogs:write"), {"for": executive.username}).status_code == 404
    )


def test_delegates_page_is_for_executives(login, executive, employee, colleague):
    assert login(employee).get(reverse("blogs:delegates")).status_code == 404
    client = login(executive)
    response = client.post(reverse("blogs:delegates"), {"username": "nobody"})
    assert "Nobody active is called “nobody”" in response.content.decode()
    client.post(reverse("blogs:delegates"), {"username": colleague.username})
    assert executive.delegations_given.filter(delegate=colleague).exists()
    client.post(reverse("blogs:delegates"), {"remove": colleague.pk})
    assert not executive.delegations_given.exists()


def test_bulk_publish_waits_for_the_current_charter(login, employee, blog):
    from tests.governance.factories import PublishedCharterFactory

    draft = services.post_create(actor=employee, title="Brouillon", body="Texte.", publish=False)
    PublishedCharterFactory()  # a new charter, not accepted yet by the author
    client = login(employee)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client.post(f"{url}?id={draft.pk}", {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("governance:charter"))
    draft.refresh_from_db()
    assert not draft.live


API_ACTIONS = ["publish", "unpublish", "delete", "copy", "move", "revert_to_page_revision"]


@pytest.mark.parametrize("action", API_ACTIONS)
def test_the_admin_api_page_actions_do_not_exist(login, employee, blog, action):
    """Wagtail's admin API actions publish, delete, copy or move a page without the editor's
    hooks (charter gate, delegate rules, audit of deletions): Ruche's admin never calls them,
    so they are not served, to anyone."""
    from tests.factories import AdminFactory
    from tests.governance.factories import PublishedCharterFactory

    draft = services.post_create(actor=employee, title="Brouillon", body="Texte.", publish=False)
    PublishedCharterFactory()  # not accepted yet by the author
    for user in (employee, AdminFactory()):
        client = login(user)
        url = f"/admin/api/main/pages/{draft.pk}/action/{action}/"
        response = client.post(
            url, {"destination_page_id": blog.pk}, content_type="application/json"
        )
        assert response.status_code == 404, (user, response.status_code)
    draft.refresh_from_db()
    assert not draft.live
    assert PostPage.objects.filter(title="Brouillon").count() == 1


def test_the_admin_api_still_lists_pages_for_the_explorer(login, employee, colleague, blog):
    services.post_create(actor=employee, title="Mon billet", body="Texte.", publish=True)
    secret = services.post_create(actor=colleague, title="Secret", body="...", publish=False)
    client = login(employee)
    response = client.get(f"/admin/api/main/pages/?child_of={blog.pk}")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Mon billet"]
    assert client.get(f"/admin/api/main/pages/{secret.pk}/").status_code == 404
    listing = client.get(f"/admin/api/main/pages/?child_of={colleague.blog.pk}").content.decode()
    assert "Secret" not in listing
