"""The Content-Security-Policy in a real browser: Chromium visits Ruche's main pages (their
scripts run, their websockets connect) and any violation the browser reports fails the test.

Violations are caught twice: the `securitypolicyviolation` event of each page (reported to the
test through an exposed function, so that navigations lose none), and Chromium's console
message ("Refused to execute inline script because it violates ... Content Security Policy").
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from blogs import services as blog_services
from communities.models import AccessMode, Role
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.e2e.conftest import log_in
from tests.factories import AdminFactory

pytestmark = pytest.mark.e2e

LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__rucheCspViolation(
    [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(" | ")
  );
});
"""


@pytest.fixture(autouse=True)
def _fresh_content_types(live_server_url):
    # Earlier transactional tests flushed and recreated the content types: the process-wide
    # cache could point at stale ids.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _watched(page) -> list[str]:
    violations: list[str] = []

    def report(text: str) -> None:
        violations.append(text)

    page.expose_function("__rucheCspViolation", report)
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")


def test_main_pages_raise_no_policy_violation(new_page, employee, password):
    admin = AdminFactory(username="root")
    admin.set_password(password)
    admin.save()
    blog_services.blog_ensure(actor=employee)
    post = blog_services.post_create(
        actor=employee,
        title="Adopter les médias sociaux",
        body="Ce sont des changements de comportement qui sont nécessaires.",
        publish=True,
    )
    community = CommunityFactory(name="Clients", slug="clients", access=AccessMode.OPEN)
    MembershipFactory(community=community, user=admin, role=Role.MANAGER)
    thread = ThreadFactory(community=community, author=admin, title="Retours clients")

    anonymous = new_page()
    seen_anonymous = _watched(anonymous)
    _visit(anonymous, reverse("login"))
    assert seen_anonymous == []

    page = new_page()
    violations = _watched(page)
    log_in(page, admin.username, password)
    for url in (
        "/",
        post.url,
        community.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("notifications:centre"),
        reverse("governance:index"),
        reverse("governance:audit_log"),
        reverse("metrics:dashboard"),
        reverse("blogs:feed_settings"),
    ):
        _visit(page, url)
        assert violations == [], (url, violations)
    # Wagtail's admin, under its own relaxed policy (settings: CSP_RELAXED_DIRECTIVES): its
    # dashboard and its page editor run without a violation too.
    for url in ("/admin/", f"/admin/pages/{post.pk}/edit/"):
        response = page.goto(url)
        assert response is not None and response.status < 400, url
        page.wait_for_load_state("networkidle")
        assert violations == [], (url, violations)
    page.goto("/")
    # The watch works, and the policy bites: an inline handler injected into the page is
    # refused and reported.
    page.evaluate(
        """() => {
        const button = document.createElement("button");
        button.setAttribute("onclick", "document.title = 'pwned'");
        document.body.append(button);
        button.click();
    }"""
    )
    page.wait_for_timeout(300)
    assert page.title() != "pwned"
    assert any("script-src" in v for v in violations), violations
