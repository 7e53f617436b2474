"""Mentions in HTML (core.html): found in the text, never in tags, links, code or URLs."""

from __future__ import annotations

from dataclasses import dataclass

from core.html import extract_html_mentions, link_html_mentions


@dataclass
class Person:
    pk: int
    username: str

    def get_absolute_url(self) -> str:
        return f"/people/{self.username}/"


def test_extracts_mentions_from_text_only():
    html = (
        '<p title="@nope">Bonjour @Sophie.Laurent et @marc,</p>'
        '<p><a href="/x">@linked</a> <code>@code</code></p><pre>@pre</pre>'
        "<p>https://exemple.fr/@url claire@ruche.fr</p>"
    )
    assert extract_html_mentions(html) == ["sophie.laurent", "marc"]


def test_links_known_people_and_leaves_the_rest():
    sophie = Person(3, "sophie.laurent")
    html = "<p>Merci @sophie.laurent. Et @inconnu !</p><p><code>@sophie.laurent</code></p>"
    linked = link_html_mentions(html, {"sophie.laurent": sophie})
    assert linked == (
        '<p>Merci <a class="mention" href="/people/sophie.laurent/" data-user-id="3">'
        "@sophie.laurent</a>. Et @inconnu !</p><p><code>@sophie.laurent</code></p>"
    )


def test_nothing_to_link_leaves_the_html_as_it_is():
    html = "<p>Sans mention</p>"
    assert link_html_mentions(html, {}) == html
    assert link_html_mentions("", {"a": Person(1, "a")}) == ""
