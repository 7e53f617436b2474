"""The shared sanitiser and the plain-text renderer (core.html), used by every app."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core.html import extract_mentions, render_user_text, sanitize_html, sanitize_rich_text
from interactions.mentions import mentioned_users, render_with_mentions
from tests.factories import UserFactory

REL = "noopener noreferrer nofollow"


def _attributes(html: str) -> list[tuple[str, str, str]]:
    """Every (tag, attribute, value) a browser would see in `html`."""
    found: list[tuple[str, str, str]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name, value or "") for name, value in attrs)

    Collector().feed(str(html))
    return found


class TestSanitizeHtml:
    def test_script_and_style_are_dropped_with_their_content(self):
        html = sanitize_html("<p>Hi<script>alert(1)</script><style>p{}</style></p>")
        assert html == "<p>Hi</p>"

    def test_event_handlers_are_removed(self):
        html = sanitize_html(
            '<p onclick="alert(1)" onmouseover="x()">Hi<img src="/a.png" onerror="alert(2)"></p>'
        )
        assert _attributes(html) == [("img", "src", "/a.png")]

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
        ],
    )
    def test_dangerous_link_urls_are_removed(self, url):
        html = sanitize_html(f'<a href="{url}">click</a>')
        assert "href" not in html
        assert "click" in html

    def test_data_image_urls_are_removed(self):
        html = sanitize_html('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">')
        assert "data:" not in html

    def test_links_get_safe_rel_and_allowed_schemes_survive(self):
        html = sanitize_html(
            '<a href="https://example.com" rel="opener" target="_blank">a</a>'
            '<a href="mailto:claire@ruche.test">b</a><a href="/people/x/">c</a>'
        )
        assert html.count('rel="noopener noreferrer nofollow"') == 3
        assert 'href="https://example.com"' in html
        assert 'href="mailto:claire@ruche.test"' in html
        assert 'href="/people/x/"' in html
        assert "target=" not in html and 'rel="opener"' not in html

    def test_unknown_tags_and_attributes_are_stripped_but_text_kept(self):
        html = sanitize_html(
            '<div style="position:fixed" class="evil"><iframe src="https://x"></iframe><b>bold</b></div>'
        )
        assert html == "<b>bold</b>"

    def test_wagtail_rich_text_image_classes_survive_others_do_not(self):
        html = sanitize_html('<img class="richtext-image left evil" src="/media/a.jpg" alt="A">')
        assert 'class="richtext-image left"' in html

    def test_empty_input(self):
        assert sanitize_html("") == ""


class TestSanitizeRichText:
    """Wagtail's database format of rich text keeps its references, checked."""

    def test_references_are_kept_and_embeds_self_closed(self):
        html = sanitize_rich_text(
            '<p><a linktype="page" id="3">page</a>'
            '<embed embedtype="image" id="5" format="left" alt="A chart"/>'
            '<embed embedtype="media" url="https://video.example/watch?v=1"/></p>'
        )
        assert '<a linktype="page" id="3"' in html
        assert '<embed embedtype="image" id="5" format="left" alt="A chart"/>' in html
        assert '<embed embedtype="media" url="https://video.example/watch?v=1"/>' in html

    def test_bad_values_are_dropped(self):
        html = sanitize_rich_text(
            '<a linktype="external" id="x" onclick="a()">a</a>'
            '<embed embedtype="iframe" id="1 OR 1" format="huge" url="javascript:alert(1)"/>'
            '<embed embedtype="image" id="2" alt="a&gt;&lt;script&gt;"/>'
            '<script>alert(1)</script><a href="javascript:alert(2)">b</a>'
        )
        assert sorted(_attributes(html)) == [
            ("a", "rel", REL),
            ("a", "rel", REL),
            ("embed", "alt", "ascript"),
            ("embed", "embedtype", "image"),
            ("embed", "id", "2"),
        ]
        assert "alert" not in html

    @pytest.mark.django_db
    def test_wagtail_renders_what_is_kept(self):
        from wagtail.models import Page
        from wagtail.rich_text import expand_db_html

        home = Page.objects.filter(depth=2).first()
        html = expand_db_html(
            sanitize_rich_text(f'<p><a linktype="page" id="{home.pk}">home</a></p>')
        )
        assert f'<a href="{home.url}">home</a>' in html


class TestRenderUserText:
    def test_text_is_escaped(self):
        html = render_user_text("<script>alert(1)</script> & <b>bold</b>", {})
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html and "&amp;" in html

    def test_paragraphs_and_line_breaks(self):
        html = render_user_text("one\ntwo\n\n\nthree", {})
        assert html == "<p>one<br>two</p><p>three</p>"

    def test_urls_become_safe_links_without_trailing_punctuation(self):
        html = render_user_text("See https://example.com/page?a=1&b=2. And www.ruche.test!", {})
        assert (
            '<a href="https://example.com/page?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
            in html
        )
        assert f'<a href="https://www.ruche.test" rel="{REL}">www.ruche.test</a>!' in html

    def test_javascript_text_is_never_a_link(self):
        html = render_user_text("javascript:alert(1) and data:text/html,hi", {})
        assert "<a" not in html

    def test_url_with_quotes_cannot_break_out_of_the_attribute(self):
        html = render_user_text('https://example.com/"onmouseover="alert(1)', {})
        assert _attributes(html) == [("a", "href", "https://example.com/"), ("a", "rel", REL)]

    def test_result_is_safe_string(self):
        assert hasattr(render_user_text("hi", {}), "__html__")

    def test_blank_text(self):
        assert render_user_text("  \n ", {}) == ""


@pytest.mark.django_db
class TestMentions:
    def test_extract_mentions(self):
        text = "Merci @camille.martin. et @Camille.Martin, @bob-x+y! mail: claire@ruche.test"
        assert extract_mentions(text) == ["camille.martin", "bob-x+y"]

    def test_at_most_twenty_mentions(self):
        assert len(extract_mentions(" ".join(f"@user{i}" for i in range(30)))) == 20

    def test_only_active_existing_people_are_linked(self):
        camille = UserFactory(username="camille.martin")
        UserFactory(username="gone.person", is_active=False)
        text = "Bonjour @camille.martin, @gone.person et @nobody."
        html = render_with_mentions(text)
        assert f'href="{camille.get_absolute_url()}"' in html
        assert 'class="mention"' in html
        assert "@gone.person" in html and "/people/gone.person/" not in html
        assert "@nobody" in html and "/people/nobody/" not in html

    def test_lookup_is_case_insensitive_and_one_query(self, django_assert_num_queries):
        UserFactory(username="camille.martin")
        with django_assert_num_queries(1):
            people = mentioned_users(["Camille.Martin", "nobody"])
        assert list(people) == ["camille.martin"]

    def test_core_links_only_the_people_it_is_given(self):
        UserFactory(username="camille.martin")
        html = render_user_text("Bonjour @camille.martin", {})
        assert 'class="mention"' not in html and "@camille.martin" in html

    def test_mention_inside_a_url_is_part_of_the_url(self):
        UserFactory(username="someone")
        html = render_with_mentions("https://example.com/@someone")
        assert html.count("<a ") == 1
        assert 'href="https://example.com/@someone"' in html
