"""Every main page, for each role, on a phone (390×844): nothing scrolls sideways and axe-core
(vendored in platform/core/static/vendor/axe-core) finds no critical or serious violation.

Also: the menu button of narrow screens, and the French header on one row at 1,366 px for the
roles with the longest navigation (executives, department heads).

Set RUCHE_AXE_REPORT=<file> to write every page's violations (all impacts) as JSON lines: that
is how the results in docs/accessibility.md were recorded.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activity.models import Verb
from blogs import services as blog_services
from communities import services as community_services
from communities.models import AccessMode, Role, ThreadKind
from interactions import services as interaction_services
from metrics.services import metrics_refresh
from people.models import Department
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import log_in
from tests.factories import AdminFactory, DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
AXE = "/static/vendor/axe-core/axe.min.js"
BLOCKING = ("critical", "serious")

# axe-core's violations, plus two checks axe leaves to people: every id named by an ARIA
# attribute exists (axe passes aria-describedby when the ids are missing), and every group of
# radio buttons has a fieldset with a legend (or a named radiogroup).
RUN_AXE = """async () => {
  const results = await window.axe.run(document, {resultTypes: ["violations"]});
  const found = results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    count: v.nodes.length,
  }));
  const dangling = [];
  for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    document.querySelectorAll(`[${attr}]`).forEach((el) => {
      const missing = el.getAttribute(attr).split(/\\s+/).filter(
        (id) => id && !document.getElementById(id));
      if (missing.length) dangling.push(`${el.tagName.toLowerCase()}#${el.id} ${attr}=${missing}`);
    });
  }
  if (dangling.length) found.push({id: "ruche-aria-idrefs", impact: "serious",
    help: "ARIA attributes must name ids that exist", nodes: dangling.slice(0, 5),
    count: dangling.length});
  const names = new Set(Array.from(document.querySelectorAll("input[type=radio]"), (r) => r.name));
  const ungrouped = Array.from(names).filter((name) => {
    const radio = document.querySelector(`input[type=radio][name="${name}"]`);
    const fieldset = radio.closest("fieldset");
    const group = radio.closest("[role=radiogroup]");
    const named = group && (group.hasAttribute("aria-label") ||
                            group.hasAttribute("aria-labelledby"));
    return !((fieldset && fieldset.querySelector("legend")) || named);
  });
  if (ungrouped.length) found.push({id: "ruche-radio-group", impact: "serious",
    help: "Radio buttons must be grouped in a fieldset with a legend", nodes: ungrouped,
    count: ungrouped.length});
  return found;
}"""

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.closest(".table-scroll"))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide};
}"""


@pytest.fixture(autouse=True)
def _fresh_content_types(live_server_url):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@dataclass
class Site:
    people: dict
    pages: list[tuple[str, str]] = field(default_factory=list)  # (name, url)


def _site() -> Site:
    """A small organisation with one person per role and content on every main page."""
    sales = DepartmentFactory(name="Ventes et relations clients", slug="ventes")
    people = {
        "employee": UserFactory(username="emma", department=sales),
        "executive": ExecutiveFactory(username="elise", department=sales, preferred_language="fr"),
        "community manager": UserFactory(
            username="camille", department=sales, is_community_manager=True
        ),
        "department head": UserFactory(username="denis", department=sales),
        "administrator": AdminFactory(username="root", department=sales),
    }
    Department.objects.filter(pk=sales.pk).update(head=people["department head"])
    employee, executive = people["employee"], people["executive"]

    blog_services.blog_ensure(actor=employee)
    post = blog_services.post_create(
        actor=employee,
        title="Adopter les médias sociaux",
        body="Ce sont des changements de comportement qui sont nécessaires.",
        tags=["adoption"],
        publish=True,
    )
    blog_services.blog_ensure(actor=executive)
    leader_post = blog_services.post_create(
        actor=executive,
        title="Ce que j'ai appris en écoutant nos équipes",
        body="Merci pour vos questions, voici mes réponses.",
        publish=True,
    )
    interaction_services.comment_create(
        author=people["administrator"], target=post, body="Bravo, très clair."
    )
    interaction_services.comment_create(
        author=employee, target=leader_post, body="Merci pour ce message."
    )

    community = CommunityFactory(name="Clients d'abord", slug="clients", access=AccessMode.OPEN)
    MembershipFactory(community=community, user=people["community manager"], role=Role.MANAGER)
    for person in (employee, executive, people["department head"], people["administrator"]):
        MembershipFactory(community=community, user=person)
    thread = community_services.thread_create(
        actor=employee,
        community=community,
        kind=ThreadKind.QUESTION,
        title="Qui traite les retours des clients professionnels ?",
        body="La logistique ou le service après-vente ?",
    )
    interaction_services.comment_create(
        author=people["community manager"], target=thread, body="La logistique, @emma."
    )

    # A month of participation, rolled up: the dashboards show their charts and tables.
    day = timezone.localdate() - timedelta(days=1)
    joined_long_ago(*people.values())
    for offset, person in enumerate(people.values()):
        event(person, Verb.COMMENTED, at(day - timedelta(days=offset)), target=employee)
        event(person, Verb.VIEWED, at(day - timedelta(days=offset + 1)), target=executive)
    metrics_refresh(since=day - timedelta(days=6), until=day)

    pages = [
        ("home", "/"),
        ("post", post.url),
        ("leader post", leader_post.url),
        ("blogs", reverse("blogs:index")),
        ("blog search", reverse("blogs:search") + "?q=adopter"),
        ("communities", reverse("communities:index")),
        ("community", community.get_absolute_url()),
        ("thread", thread.get_absolute_url()),
        ("new thread", reverse("communities:thread_create", args=[community.slug])),
        ("people", reverse("people:directory")),
        ("profile", employee.get_absolute_url()),
        ("my profile edit", reverse("people:profile_edit_own")),
        ("department", reverse("people:department", args=[sales.slug])),
        ("notifications", reverse("notifications:centre")),
        ("notification settings", reverse("notifications:settings")),
        ("metrics", reverse("metrics:dashboard")),
        ("metrics department", reverse("metrics:report", args=[f"department-{sales.pk}"])),
        ("metrics leader", reverse("metrics:report", args=[f"leader-{executive.pk}"])),
        ("metrics communities", reverse("metrics:report", args=["communities"])),
        ("metrics criteria", reverse("metrics:criteria")),
        ("governance", reverse("governance:index")),
        ("charter", reverse("governance:charter")),
        ("audit log", reverse("governance:audit_log")),
        ("moderation", reverse("governance:moderation_queue")),
        ("rights", reverse("governance:rights_map")),
        ("calendar", reverse("governance:calendar")),
        ("calendar week", reverse("governance:calendar_week")),
        ("questionnaire", reverse("governance:questionnaire_summary")),
        ("questionnaire form", reverse("governance:questionnaire_fill")),
        ("delegates", reverse("blogs:delegates")),
        ("feed settings", reverse("blogs:feed_settings")),
        ("search", reverse("search:search") + "?q=clients"),
        ("composer", reverse("blogs:compose")),
    ]
    return Site(people=people, pages=pages)


def _axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    return page.evaluate(RUN_AXE)


def _record(role: str, name: str, url: str, violations: list[dict]) -> None:
    target = os.environ.get("RUCHE_AXE_REPORT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"role": role, "page": name, "url": url, "violations": violations}))
        out.write("\n")


def _readable(problems: list[tuple[str, str, dict]]) -> str:
    lines = []
    for name, url, v in problems:
        lines.append(f"{name} ({url}): [{v['impact']}] {v['id']}: {v['help']} × {v['count']}")
        lines.extend(f"    {node}" for node in v["nodes"])
    return "\n".join(lines)


ROLES = ["employee", "executive", "community manager", "department head", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_fit_a_phone_and_pass_axe(role, new_page, password):
    site = _site()
    person = site.people[role]
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, person.username, password)

    visited, refused, wide, problems = [], [], [], []
    for name, url in site.pages:
        response = page.goto(url)
        assert response is not None and response.status < 500, (name, url)
        if response.status in (403, 404):
            refused.append(name)
            continue
        assert response.status < 400, (name, url, response.status)
        page.wait_for_load_state("networkidle")
        visited.append(name)
        fit = page.evaluate(OVERFLOW)
        if fit["scrollWidth"] > fit["innerWidth"]:
            wide.append((name, url, fit))
        violations = _axe(page)
        _record(role, name, url, violations)
        problems += [(name, url, v) for v in violations if v["impact"] in BLOCKING]

    # The pages everyone has, whatever their role; administrators have every page.
    for name in ("home", "post", "thread", "communities", "community", "people", "profile"):
        assert name in visited, (role, name)
    assert "notifications" in visited and "governance" in visited
    if role == "administrator":
        assert refused == ["delegates"], refused  # an executive's page
    if role != "employee":
        assert "metrics" in visited, role
    assert wide == [], wide
    assert problems == [], "axe-core, critical and serious violations:\n" + _readable(problems)


def test_login_page_fits_a_phone_and_passes_axe(new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(reverse("login"))
    fit = page.evaluate(OVERFLOW)
    assert fit["scrollWidth"] <= fit["innerWidth"], fit
    violations = _axe(page)
    _record("anonymous", "login", reverse("login"), violations)
    blocking = [("login", "/accounts/login/", v) for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], _readable(blocking)


def test_the_menu_button_opens_the_navigation_on_a_phone(new_page, employee, password):
    page = new_page()
    page.set_viewport_size(PHONE)
    log_in(page, employee.username, password)
    page.goto("/")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.locator(f"#{button.get_attribute('aria-controls')}")
    expect(menu).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 0.15 * PHONE["height"], header

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Communities")).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    # Escape closes it and gives the focus back to the button.
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    # On a wide screen there is no button: the navigation is always there.
    page.set_viewport_size(LAPTOP)
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="Communities")).to_be_visible()


@pytest.mark.parametrize("role", ["executive", "department head"])
def test_french_header_fits_one_row_at_1366(role, new_page, password):
    site = _site()
    person = site.people[role]
    person.preferred_language = "fr"
    person.save(update_fields=["preferred_language"])
    page = new_page(locale="fr-FR")
    page.set_viewport_size(LAPTOP)
    log_in(page, person.username, password)
    page.goto(reverse("metrics:dashboard"))
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "fr"
    rows = page.evaluate(
        """() => {
      const items = document.querySelectorAll(
        ".site-header .brand, .site-header .main-nav li, .site-header .header-tools > *");
      const visible = Array.from(items).filter((el) => el.offsetParent !== null);
      const tops = visible.map((el) => {
        const box = el.getBoundingClientRect();
        return Math.round(box.top + box.height / 2);
      });
      return {count: visible.length, spread: Math.max(...tops) - Math.min(...tops),
              height: document.querySelector(".site-header").getBoundingClientRect().height};
    }"""
    )
    assert rows["count"] > 8, rows
    assert rows["spread"] <= 8, rows  # every item's middle on the same line
    assert rows["height"] < 80, rows


def test_the_editor_tag_field_has_a_label(new_page, employee, password):
    """Wagtail's page editor (where "Write a post" leads): its tag box (drawn by tag-it) and its
    rich-text boxes (Draftail) are named after their field's label."""
    blog_services.blog_ensure(actor=employee)
    post = blog_services.post_create(actor=employee, title="Brouillon", body="Texte.")
    page = new_page()
    log_in(page, employee.username, password)
    page.goto(f"/admin/pages/{post.pk}/edit/")
    box = page.locator("ul.tagit input").first
    expect(box).to_have_attribute("aria-labelledby", "id_tags-label")
    expect(page.get_by_role("textbox", name="Tags", exact=True)).to_have_count(1)
    _axe(page)
    unnamed = page.evaluate(
        """async () => (await window.axe.run(document, {runOnly: {type: "rule",
            values: ["label", "aria-input-field-name"]}})).violations.map((v) => v.id)"""
    )
    assert unnamed == [], unnamed
