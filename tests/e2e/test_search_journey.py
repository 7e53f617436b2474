"""Global search in a real browser: the header's box, the results with the words marked, a
kind filter, a private thread kept out, and no Content-Security-Policy violation."""

from __future__ import annotations

import pytest

from blogs import services as blog_services
from communities.models import AccessMode, Role
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.e2e.conftest import log_in
from tests.e2e.test_csp_pages import _watched

pytestmark = pytest.mark.e2e


def test_search_from_the_header(new_page, employee, colleague, password):
    blog_services.post_create(
        actor=colleague, title="Préparer la réunion d'équipe", body="L'ordre du jour.", publish=True
    )
    public = CommunityFactory(name="Clients", slug="clients", access=AccessMode.OPEN)
    secret = CommunityFactory(name="Comité", slug="comite", access=AccessMode.PRIVATE)
    MembershipFactory(community=secret, user=colleague, role=Role.MANAGER)
    ThreadFactory(community=public, author=colleague, title="Compte rendu de réunion")
    ThreadFactory(community=secret, author=colleague, title="Réunion confidentielle")

    page = new_page()
    violations = _watched(page)
    log_in(page, employee.username, password)
    box = page.get_by_test_id("header-search")
    box.fill("reunion")
    box.press("Enter")
    page.wait_for_load_state()
    results = page.locator(".search-result")
    titles = results.locator("h3").all_inner_texts()
    assert sorted(titles) == ["Compte rendu de réunion", "Préparer la réunion d'équipe"]
    page.get_by_role("link", name="Threads (1)").or_(
        page.get_by_role("link", name="Discussions (1)")
    ).click()
    page.wait_for_url("**kind=thread**")
    assert results.locator("h3").all_inner_texts() == ["Compte rendu de réunion"]
    assert results.locator("h3 mark").first.inner_text() == "réunion"
    assert violations == []
