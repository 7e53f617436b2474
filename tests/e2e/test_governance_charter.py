"""Journey: an employee writes a thread, is stopped by the charter gate, accepts the charter and
finds their text intact; an administrator then hides the thread from the moderation queue and
the author reads why."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def setting(employee, administrator):
    from communities.models import Role
    from tests.communities.factories import CommunityFactory, MembershipFactory
    from tests.governance.factories import PublishedCharterFactory

    community = CommunityFactory(slug="qualite", name="Qualité")
    MembershipFactory(community=community, user=employee)
    MembershipFactory(community=community, user=administrator, role=Role.MANAGER)
    return {"community": community, "charter": PublishedCharterFactory()}


def test_charter_gate_keeps_the_text_then_moderation_explains(
    new_page, employee, colleague, administrator, password, setting
):
    page = new_page()
    log_in(page, employee.username, password)
    page.goto("/communities/qualite/threads/new/")
    page.get_by_label("Title").fill("Une idée pour le service client")
    page.get_by_label("Text").fill("Et si nous partagions nos réponses types ?")
    page.get_by_role("button", name=re.compile("Publish|Post|Start", re.I)).click()

    expect(page).to_have_url(re.compile(r"/governance/charter/"))
    expect(page.get_by_test_id("charter-gate")).to_be_visible()
    page.get_by_label("I have read the charter and I agree to follow it.").check()
    page.get_by_test_id("charter-accept").click()

    expect(page).to_have_url(re.compile(r"/communities/qualite/threads/new/"))
    expect(page.get_by_label("Title")).to_have_value("Une idée pour le service client")
    expect(page.get_by_label("Text")).to_have_value("Et si nous partagions nos réponses types ?")

    # The thread is published; a colleague reports it, an administrator hides it from the
    # queue with an explanation, and the author reads why.
    page.get_by_role("button", name=re.compile("Publish|Post|Start", re.I)).click()
    expect(page).to_have_url(re.compile(r"/communities/qualite/threads/\d+/"))
    from communities.models import Thread
    from console import services

    thread = Thread.objects.get(title="Une idée pour le service client")
    services.report_create(reporter=colleague, kind="thread", object_id=thread.pk, reason="spam")

    moderator = new_page()
    log_in(moderator, administrator.username, password)
    moderator.goto("/governance/moderation/")
    moderator.get_by_label("Explanation for the author").fill("Merci de passer par l'équipe.")
    moderator.get_by_role("button", name="Hide the content").click()
    expect(
        moderator.get_by_text("The content is hidden and its author was told why.")
    ).to_be_visible()

    page.goto("/governance/moderation/mine/")
    expect(page.get_by_text("Merci de passer par l'équipe.")).to_be_visible()
