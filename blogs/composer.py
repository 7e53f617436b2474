"""The composer's text as a post body: the editor's HTML cut into the post's StreamField blocks.

The composer (blogs/static/blogs/composer.js, with the Quill editor) sends the semantic HTML of
what was typed: paragraphs, lists, bold, italic, strikethrough, links, headings (h2, h3),
quotes, code blocks and images. It becomes the same blocks Wagtail's editor writes
(blogs.blocks.PostBodyBlock), so "Open in the full editor" shows the post as it was composed:

- headings -> `heading` blocks, quotes -> `quote`, code blocks -> `code`, images -> `image`
  (an image uploaded through the composer, by its id: `?image=<id>` on its address);
- everything else -> `paragraph` rich text, sanitised by `blogs.services.post_create`
  (core.html.sanitize_rich_text, the one sanitiser of user HTML).

Nothing here trusts the HTML: it is parsed (never run), only text is taken from headings,
quotes and code, and an image is kept only when the writer may read it (core.media).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from core.html import sanitize_html
from core.media import may_read_file
from people.models import User

MAX_BODY_CHARACTERS = 200_000
# The rendition the composer shows while writing (the post page makes its own).
COMPOSER_RENDITION = "max-1200x800"
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
_SPACES = re.compile(r"[ \t\u00a0]+")


def image_reference(image_id: int, url: str) -> str:
    """The address the composer shows an uploaded image at: its rendition, with its id."""
    return f"{url}{'&' if '?' in url else '?'}image={image_id}"


def _image_id(src: str) -> int | None:
    values = parse_qs(urlsplit(src or "").query).get("image", [])
    return int(values[0]) if values and values[0].isdigit() else None


@dataclass
class _Body:
    actor: User
    blocks: list[dict[str, Any]] = field(default_factory=list)
    paragraph: list[str] = field(default_factory=list)
    refused_images: int = 0

    def flush(self) -> None:
        html = "".join(self.paragraph).strip()
        self.paragraph.clear()
        if html and BeautifulSoup(html, "html.parser").get_text().strip():
            self.blocks.append({"type": "paragraph", "value": html})

    def add(self, block_type: str, value: Any) -> None:
        self.flush()
        self.blocks.append({"type": block_type, "value": value})

    def image(self, tag: Tag) -> None:
        image_id = _image_id(str(tag.get("src") or ""))
        image = (
            get_image_model().objects.filter(pk=image_id).first() if image_id is not None else None
        )
        if image is None or not may_read_file(self.actor, image.file.name):
            self.refused_images += 1
            return
        alt = _SPACES.sub(" ", str(tag.get("alt") or "")).strip()[:250]
        self.add("image", {"image": image.pk, "caption": "", "alt_text": alt})


def _text(tag: Tag) -> str:
    return "\n".join(_SPACES.sub(" ", line).strip() for line in tag.get_text("\n").splitlines())


def _inline(body: _Body, node: Tag) -> None:
    """A paragraph or a list: images inside it become image blocks where they stand."""
    if node.find("img") is None:
        body.paragraph.append(str(node))
        return
    opening = f"<{node.name}>"
    part: list[str] = []
    for child in node.children:
        if isinstance(child, Tag) and child.name == "img":
            if part:
                body.paragraph.append(opening + "".join(part) + f"</{node.name}>")
                part = []
            body.image(child)
        elif isinstance(child, Tag) and child.find("img") is not None:
            for image in child.find_all("img"):
                body.image(image)
                image.decompose()
            part.append(str(child))
        else:
            part.append(str(child) if isinstance(child, Tag) else escape(str(child)))
    if part:
        body.paragraph.append(opening + "".join(part) + f"</{node.name}>")


def blocks_from_html(html: str, *, actor: User) -> list[dict[str, Any]]:
    """The StreamField data (a list of blocks) of the composer's HTML, for `post_create`.

    Raises ValidationError on the body when it is too long or holds an image that was not
    uploaded through Ruche (pasted from another site): the writer is told, nothing is saved.
    """
    if len(html) > MAX_BODY_CHARACTERS:
        raise ValidationError({"body": _("This post is too long.")})
    body = _Body(actor=actor)
    soup = BeautifulSoup(html.replace("&nbsp;", " "), "html.parser")
    for node in soup.contents:
        if isinstance(node, NavigableString):
            if str(node).strip():
                body.paragraph.append(f"<p>{escape(str(node).strip())}</p>")
        elif not isinstance(node, Tag):
            continue
        elif node.name in _HEADINGS:
            if text := _text(node).replace("\n", " ").strip():
                body.add("heading", {"text": text[:200], "level": _HEADINGS[node.name]})
        elif node.name == "blockquote":
            if text := _text(node).strip():
                body.add("quote", {"text": text, "source": ""})
        elif node.name == "pre":
            if code := node.get_text().strip("\n"):
                body.add("code", {"language": "", "code": code})
        elif node.name == "img":
            body.image(node)
        elif node.name in {"p", "ul", "ol", "figure", "div"}:
            _inline(body, node)
        else:
            body.paragraph.append(str(node))
    body.flush()
    if body.refused_images:
        raise ValidationError(
            {
                "body": _(
                    "An image in your text was not uploaded to Ruche (pasted from another "
                    "site?): remove it, or add it again with the image button."
                )
            }
        )
    return body.blocks


def kept_html(html: str) -> str:
    """What the writer typed, made safe to show again in the composer after a refusal."""
    return sanitize_html(html[:MAX_BODY_CHARACTERS])
