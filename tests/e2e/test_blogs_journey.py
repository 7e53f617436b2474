"""Blog journey: an employee writes and publishes a post with an image in Wagtail's editor, a
colleague finds it on the home feed and comments, and the author receives the e-mail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from blogs.models import PostPage
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

TITLE = "Adopter les médias sociaux, c'est plus qu'une technologie"


@pytest.fixture
def photo(tmp_path):
    from PIL import Image

    path = tmp_path / "ruche.png"
    Image.new("RGB", (320, 200), (240, 180, 30)).save(path)
    return path


def insert_block(page, label: str) -> None:
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=label).click()


def test_write_publish_find_comment_and_email(
    new_page, employee, colleague, password, photo, mailoutbox
):
    # The author: one click from the home page to the editor of a new post on their blog.
    author = new_page()
    log_in(author, employee.username, password)
    author.get_by_test_id("write-post").first.click()
    expect(author).to_have_url(re.compile(r"/admin/pages/add/blogs/postpage/\d+/$"))
    author.locator("#id_title").fill(TITLE)
    insert_block(author, "Paragraph")
    author.locator("[role=textbox][contenteditable=true]").last.click()
    author.keyboard.type("Ce sont des changements de comportement qui sont nécessaires.")
    insert_block(author, "Image")
    author.get_by_role("button", name="Choose an image").click()
    author.get_by_role("tab", name="Upload").click()
    chooser = author.get_by_role("dialog")
    chooser.locator("input[type=file]").set_input_files(str(photo))
    chooser.get_by_label("Title").fill("La ruche")
    chooser.get_by_role("button", name="Upload").click()
    expect(author.locator("[data-chooser-title]").first).to_contain_text("La ruche")
    # Wagtail autosaves a new page as a draft and moves the form to that draft's edit URL:
    # publish from there, as a person would once the editor shows the draft is saved. When the
    # autosave has not run once everything is quiet, save the draft by hand, as a person would.
    author.wait_for_load_state("networkidle")
    if "/add/" in author.url:
        author.get_by_role("button", name="Save draft").click()
    expect(author).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"), timeout=15_000)
    author.get_by_role("button", name="More actions").click()
    author.get_by_role("button", name="Publish").click()
    expect(author.locator("li.success")).to_contain_text("published")

    assert PostPage.objects.filter(title=TITLE).count() == 1
    post = PostPage.objects.get(title=TITLE)
    assert post.live and post.author == employee
    assert any(block.block_type == "image" for block in post.body)

    # The colleague finds it on the home feed, reads it and comments.
    reader = new_page()
    log_in(reader, colleague.username, password)
    reader.goto("/")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader).to_have_url(re.compile(re.escape(post.url) + "$"))
    expect(reader.locator(".post-body img")).to_be_visible()
    reader.get_by_label("Your comment").fill("Tout à fait d'accord : il faut mener la charge.")
    reader.get_by_role("button", name="Publish", exact=True).click()
    expect(
        reader.get_by_role("paragraph").filter(has_text="il faut mener la charge")
    ).to_be_visible()

    # The author receives the e-mail; the colleague, who acted, does not.
    to_author = [m for m in mailoutbox if employee.email in m.to]
    assert len(to_author) == 1, [m.subject for m in mailoutbox]
    assert TITLE in to_author[0].subject + to_author[0].body
    assert not [m for m in mailoutbox if colleague.email in m.to]
