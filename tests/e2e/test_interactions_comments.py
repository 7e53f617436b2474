"""Comments and reactions in a browser, on a real blog post: publish with a mention, react
without a reload (progressive enhancement), reply, edit, delete (the reply stays)."""

import re

import pytest
from playwright.sync_api import expect

from blogs import services as blog_services
from interactions.models import Comment, Reaction
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_comment_react_reply_edit_and_delete_on_a_post(new_page, employee, colleague, password):
    blog_services.blog_ensure(actor=employee)
    post = blog_services.post_create(
        actor=employee, title="Adopter les médias sociaux", body="Bonjour.", publish=True
    )
    page = new_page()
    log_in(page, colleague.username, password)
    page.goto(post.get_absolute_url())

    # Publish a comment that mentions the author and tries to inject markup.
    page.get_by_label("Your comment").fill("Merci @claire.employee <script>alert(1)</script>")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    comment = Comment.objects.get()
    body = page.locator(f"#comment-{comment.pk} .comment-body")
    expect(body.get_by_role("link", name="@claire.employee")).to_have_attribute(
        "href", employee.get_absolute_url()
    )
    expect(body).to_contain_text("<script>alert(1)</script>")  # shown as text, never run

    # React to the post: the count changes in place, without a navigation.
    page.evaluate("window.__samePage = true")
    like = page.locator(f"#reactions-post-{post.pk} button[data-kind=like]")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("[data-count]")).to_have_text("1")
    assert page.evaluate("window.__samePage") is True
    assert Reaction.objects.filter(user=colleague, kind="like").count() == 1
    insightful = page.locator(f"#reactions-comment-{comment.pk} button[data-kind=insightful]")
    insightful.click()
    expect(insightful.locator("[data-count]")).to_have_text("1")
    assert Reaction.objects.get(user=colleague, kind="insightful").target == comment

    # Reply (the form opens from the comment), then edit the comment.
    page.locator(f"#comment-{comment.pk} details.comment-reply > summary").first.click()
    page.get_by_label("Your reply").first.fill("Et une précision.")
    page.get_by_role("button", name="Publish the reply").first.click()
    expect(page.locator(".comment-body").get_by_text("Et une précision.")).to_be_visible()

    page.locator(f"#comment-{comment.pk} details.comment-edit > summary").first.click()
    page.locator(f"#edit-body-{comment.pk}").fill("Merci beaucoup")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(f"#comment-{comment.pk} .comment-body").first).to_have_text(
        "Merci beaucoup"
    )
    expect(page.locator(f"#comment-{comment.pk}").get_by_text("(edited)").first).to_be_visible()

    # Delete: the comment reads "Comment removed" and its reply stays.
    page.locator(f"#comment-{comment.pk} details.comment-delete > summary").first.click()
    page.get_by_role("button", name="Delete my comment").first.click()
    expect(page.get_by_text("Comment removed", exact=True)).to_be_visible()
    expect(page.locator(".comment-body").get_by_text("Et une précision.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
