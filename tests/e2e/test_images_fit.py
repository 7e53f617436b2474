"""Posts fit a phone: at 390 × 844 a post with a wide image, a long URL and a long line of
code is no wider than the screen, and the image comes from a srcset of renditions."""

from __future__ import annotations

import json

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from blogs import services
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

LONG_URL = "https://intranet.example.com/" + "documents-partages/" * 12 + "rapport-annuel.pdf"


@pytest.fixture
def wide_image(tmp_path, employee):
    from PIL import Image

    path = tmp_path / "panorama.png"
    Image.new("RGB", (2400, 600), (240, 180, 30)).save(path)
    with path.open("rb") as handle:
        return get_image_model().objects.create(
            title="Panorama", file=ImageFile(handle, name="panorama.png"), uploaded_by_user=employee
        )


def test_a_post_fits_a_phone(browser, live_server_url, employee, colleague, password, wide_image):
    body = [
        {"type": "paragraph", "value": f"<p>Le rapport est ici : {LONG_URL}</p>"},
        {"type": "image", "value": {"image": wide_image.pk, "caption": "", "alt_text": "Panorama"}},
        {
            "type": "code",
            "value": {"language": "python", "code": "x = " + "'abcdefghij' + " * 30 + "'fin'"},
        },
        {"type": "paragraph", "value": "<p>" + "Anticonstitutionnellement" * 6 + "</p>"},
    ]
    post = services.post_create(
        actor=employee, title="Un billet large", body=json.loads(json.dumps(body)), publish=True
    )
    context = browser.new_context(
        base_url=live_server_url, viewport={"width": 390, "height": 844}, locale="fr-FR"
    )
    try:
        page = context.new_page()
        log_in(page, colleague.username, password)
        page.goto(post.url)
        image = page.locator(".post-image img")
        image.wait_for()
        page.wait_for_load_state("networkidle")
        assert "480w" in (image.get_attribute("srcset") or "")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], widths
        box = image.bounding_box()
        assert box is not None and box["width"] <= 390
    finally:
        context.close()
