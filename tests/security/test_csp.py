"""The Content-Security-Policy: on every response, strict on Ruche's pages (no inline script),
relaxed only on Wagtail's admin. The browser's own verdict is in tests/e2e/test_csp_pages.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from blogs.blocks import ALLOWED_EMBED_HOSTS

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
ROOT = Path(settings.BASE_DIR)
# Ruche's own templates: every app folder but the virtualenv.
TEMPLATES = sorted(
    path
    for path in ROOT.rglob("templates/**/*.html")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response[HEADER].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_kind_of_response_carries_the_policy(client, employee_client):
    anonymous = type(client)()
    responses = [
        anonymous.get(reverse("login")),
        anonymous.get("/"),  # a redirect to the login page
        anonymous.get(reverse("healthz")),
        employee_client.get("/"),
        employee_client.get(reverse("notifications:centre")),
        employee_client.get("/no/such/page/"),
        employee_client.get("/static/core/ruche.css"),
    ]
    for response in responses:
        assert HEADER in response, response


def test_ruche_pages_allow_no_inline_script(employee_client):
    policy = _policy(employee_client.get("/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"][0] == "'self'"
    assert all(value.startswith(("ws://", "wss://")) for value in policy["connect-src"][1:])
    assert "'unsafe-inline'" not in " ".join(policy["script-src"] + policy["style-src"])
    assert "'unsafe-eval'" not in employee_client.get("/")[HEADER]


def test_wagtail_admin_alone_gets_the_relaxed_policy(client, administrator):
    client.force_login(administrator)
    admin = _policy(client.get("/admin/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["frame-ancestors"] == ["'self'"]  # the page preview frames Ruche's own page
    for path in ("/", "/django-admin/", "/adminx/", "/metrics/"):
        assert "'unsafe-inline'" not in _policy(client.get(path))["script-src"], path


def test_every_embed_provider_can_show_its_player():
    """A video allowed in a post (blogs.blocks) must not be blocked by frame-src; the two lists
    are kept together here."""
    player_of = {
        "youtube.com": "https://www.youtube.com",
        "www.youtube.com": "https://www.youtube.com",
        "youtu.be": "https://www.youtube.com",
        "vimeo.com": "https://player.vimeo.com",
        "player.vimeo.com": "https://player.vimeo.com",
        "www.dailymotion.com": "https://www.dailymotion.com",
        "dai.ly": "https://geo.dailymotion.com",
        "www.slideshare.net": "https://www.slideshare.net",
    }
    assert set(player_of) == set(ALLOWED_EMBED_HOSTS)
    frames = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]
    assert set(player_of.values()) <= set(frames)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_of_ruche_runs_inline_script():
    """Every script is a static file (<app>/static/<app>/*.js): no <script> with a body, no
    onclick=..., no javascript: URL. The policy would block them; this says where."""
    assert len(TEMPLATES) > 50
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)[:60]}"
        for path in TEMPLATES
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_ruche_markup_has_no_style_attribute():
    """Style attributes are allowed only for the embed providers' oEmbed HTML (settings); Ruche's
    own pages style through its style sheets (e-mails excepted: they are not web pages)."""
    found = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES
        if "/email/" not in str(path) and re.search(r"\sstyle\s*=", path.read_text())
    ]
    assert found == []
