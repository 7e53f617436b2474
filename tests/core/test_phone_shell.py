"""The shell every page shares on a phone: the web app manifest and its icons, the favicon, the
header's menu button and search box, and the shared field include's ARIA wiring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image

pytestmark = pytest.mark.django_db


def _manifest(client, language: str) -> tuple[object, dict]:
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE=language)
    return response, json.loads(response.content.decode("utf-8"))


def test_manifest_is_public_typed_and_translated(client):
    response, english = _manifest(client, "en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert english["name"] == "Ruche, the internal platform"
    assert english["lang"] == "en"
    assert english["start_url"] == "/" and english["display"] == "standalone"

    _response, french = _manifest(client, "fr")
    assert french["name"] == "Ruche, la plateforme interne"
    assert french["lang"] == "fr"
    assert "blogue" in french["description"]


def test_manifest_icons_exist_at_their_stated_sizes(client):
    _response, manifest = _manifest(client, "en")
    purposes = set()
    for icon in manifest["icons"]:
        relative = icon["src"].removeprefix("/static/")
        path = finders.find(relative)
        assert path, icon["src"]
        width, height = (int(n) for n in icon["sizes"].split("x"))
        with Image.open(path) as image:
            assert image.size == (width, height), icon
        assert client.get(icon["src"]).status_code == 200
        purposes.add(icon.get("purpose", "any"))
    assert purposes == {"any", "maskable"}
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes


def test_maskable_icon_is_full_bleed():
    """A launcher crops the maskable icon to any shape: its corners must be painted."""
    with Image.open(finders.find("core/icons/icon-maskable-512.png")) as image:
        assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_favicon_is_served_and_linked(client, employee):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("core/icons/favicon.ico")
    assert Path(finders.find("core/icons/favicon.ico")).stat().st_size > 0

    client.force_login(employee)
    page = client.get("/people/").content.decode()
    assert 'rel="icon"' in page and "core/icons/favicon.ico" in page
    assert 'rel="manifest" href="/manifest.webmanifest"' in page


def test_header_has_a_menu_button_controlling_the_menu_and_the_search_box(client, employee):
    client.force_login(employee)
    with translation.override("en"):
        page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-controls="site-menu"' in page and 'id="site-menu"' in page
    assert "data-menu-button" in page and "core/menu.js" in page
    assert 'action="/search/"' in page and 'name="q"' in page
    assert '<label for="header-search-q"' in page


def test_login_page_links_the_manifest_without_the_menu(client):
    page = client.get("/accounts/login/").content.decode()
    assert "/manifest.webmanifest" in page
    assert "data-menu-button" not in page


class _Form(forms.Form):
    name = forms.CharField(help_text="Your name as colleagues know it.")
    kind = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one."
    )


def test_field_include_gives_the_help_the_id_django_names():
    form = _Form()
    html = render_to_string("core/includes/field.html", {"field": form["name"]})
    assert 'aria-describedby="id_name_helptext"' in html
    assert 'id="id_name_helptext"' in html


def test_field_include_groups_choices_in_a_fieldset_with_a_legend():
    form = _Form()
    html = render_to_string("core/includes/field.html", {"field": form["kind"]})
    assert html.strip().startswith("<fieldset")
    assert "<legend>Kind" in html
    assert 'aria-describedby="id_kind_helptext"' in html and 'id="id_kind_helptext"' in html


def test_field_include_marks_the_language_of_a_foreign_help_text():
    form = _Form()
    html = render_to_string("core/includes/field.html", {"field": form["name"], "help_lang": "fr"})
    assert 'id="id_name_helptext" lang="fr"' in html
