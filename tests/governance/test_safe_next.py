"""core.http.safe_next: every "next" redirect of governance (charter gate, rights map) goes
through it, and it never sends anyone off the site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.http import safe_next


@pytest.mark.parametrize(
    "url",
    [
        "abc",
        "//evil",
        "//evil.example/path",
        "https://evil.example",
        "http://evil.example/governance/",
        "javascript:alert(1)",
        "/\x00/x",
        "",
    ],
)
def test_refuses_what_leaves_the_site_or_is_not_a_path(url):
    request = RequestFactory().post("/governance/charter/", {"next": url})
    assert safe_next(request, default="/governance/") == "/governance/"
    request = RequestFactory().get("/governance/charter/", {"next": url})
    assert safe_next(request) == "/"


def test_keeps_paths_of_this_site():
    request = RequestFactory().get("/x/", {"next": "/governance/rights/?q=laurent"})
    assert safe_next(request) == "/governance/rights/?q=laurent"
    request = RequestFactory().post("/x/", {"next": "http://testserver/blogs/"})
    assert safe_next(request) == "http://testserver/blogs/"


@pytest.mark.django_db
def test_the_charter_page_does_not_redirect_off_site(client, employee, charter):
    client.force_login(employee)
    response = client.post(
        "/governance/charter/",
        {"version": charter.version, "agree": "on", "next": "https://evil.example"},
    )
    assert response.status_code == 302
    assert response.url == "/"
