"""User text made safe for a page: one sanitiser and one plain-text renderer for every app.

Entry points, used by blogs (rich text), interactions (comments) and communities (threads):

- `sanitize_html(html)`: HTML from an editor or an import, reduced to an allow-list of tags and
  attributes; links only to http, https and mailto (or relative to this site) and always with
  `rel="noopener noreferrer nofollow"`; scripts, styles, event handlers, `javascript:` and
  `data:` URLs never survive. `sanitize_rich_text(html)` does the same for Wagtail rich text
  in its database format, keeping its internal-link and embed references.
- `render_user_text(text, mentions)`: plain text typed by an employee in a textarea,
  escaped, cut into paragraphs and line breaks, with http(s) URLs turned into safe links and
  `@username` turned into a link to that person's profile when `mentions` names them (the
  caller finds the people: `interactions.mentions`, since core sits below `people`).

Both are pure functions of their input, so their result can be stored at write time and
lists never re-render.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class Mentioned(Protocol):
    """A person a mention links to (core knows nothing more of people: the caller finds them,
    see `interactions.mentions.mentioned_users`)."""

    pk: int

    def get_absolute_url(self) -> str: ...


LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "*": {"lang", "dir"},
}
# Wagtail's rich-text images carry these classes for their alignment; nothing else may style.
ALLOWED_CLASSES: dict[str, set[str]] = {
    "img": {"richtext-image", "left", "right", "full-width"},
    "a": {"mention"},
}

# Content of these is dropped entirely (not just the tag): `<script>alert(1)</script>` leaves
# nothing, not the text "alert(1)".
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


# Wagtail stores rich text in its own "database format": internal links and embedded images
# and media are references, turned into HTML only when a page is rendered
# (`<a linktype="page" id="3">`, `<embed embedtype="image" id="5" format="left" alt="..."/>`).
# `sanitize_rich_text` keeps exactly these references, with checked values, and nothing else
# beyond the allow-list above.
_RICH_TEXT_VALUES = {
    ("a", "linktype"): {"page", "document"},
    ("embed", "embedtype"): {"image", "media"},
    ("embed", "format"): {"left", "right", "fullwidth"},
}


def _rich_text_attribute(tag: str, attribute: str, value: str) -> str | None:
    allowed = _RICH_TEXT_VALUES.get((tag, attribute))
    if allowed is not None:
        return value if value in allowed else None
    if attribute == "id" and tag in {"a", "embed"}:
        return value if value.isdigit() else None
    if tag == "embed" and attribute == "url":  # a media embed: the provider's page
        return value if re.match(r"https?://[^\s<>]+$", value, re.IGNORECASE) else None
    if tag == "embed":  # Wagtail finds embeds with a regular expression that stops at ">"
        return value.replace("<", "").replace(">", "")
    return value


_RICH_TEXT_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS) | {"embed"},
    clean_content_tags=set(_DROPPED_WITH_CONTENT) - {"embed"},
    attributes={
        **ALLOWED_ATTRIBUTES,
        "a": ALLOWED_ATTRIBUTES["a"] | {"linktype", "id"},
        "embed": {"embedtype", "id", "format", "alt", "url"},
    },
    attribute_filter=_rich_text_attribute,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_rich_text(html: str) -> str:
    """Like `sanitize_html`, for Wagtail rich text in its database format (a StreamField
    paragraph's value): also keeps internal page and document links and embedded images and
    media, with their ids, formats and URLs checked."""
    if not html:
        return ""
    cleaned = _RICH_TEXT_CLEANER.clean(str(html))
    # The serialiser writes HTML5 void tags (`<embed ...>`); Wagtail's rewriter only finds
    # embeds written as `<embed .../>`.
    return _EMBED_TAG_RE.sub(lambda m: f"<embed{m.group(1).rstrip()}/>", cleaned)


_EMBED_TAG_RE = re.compile(r"<embed(\b[^>]*?)/?>")


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allow-list above; safe to mark safe and put in a page.

    Relative URLs (`/people/camille.martin/`, `/media/...`) are kept: they point into the
    intranet. Any URL with another scheme than http, https or mailto is removed, so
    `javascript:` and `data:` never reach a page.
    """
    if not html:
        return ""
    return _CLEANER.clean(str(html))


# --- Plain text typed by an employee ----------------------------------------------------------

# A username after "@": letters, digits and . _ - + as Django allows (`camille.martin`), never
# ending on punctuation so that "merci @camille.martin." mentions camille.martin. The look-behind
# keeps e-mail addresses (claire@ruche.fr) from counting as mentions.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w](?:[\w.+-]*[\w])?)")
# http(s) URLs and www. addresses; trailing punctuation is trimmed below.
_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n\s*")
MAX_MENTIONS = 20


def extract_mentions(text: str) -> list[str]:
    """The distinct usernames mentioned with @ in `text`, in order, lower-cased, at most 20
    (a comment that names the whole company is not a way to notify the whole company)."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
        if len(seen) >= MAX_MENTIONS:
            break
    return list(seen)


def _trim_url(url: str) -> tuple[str, str]:
    """Split trailing punctuation off a URL found in prose; keep a closing parenthesis that
    belongs to the URL (Wikipedia-style `.../Foo_(bar)`)."""
    trailing = ""
    while url and url[-1] in _TRAILING_PUNCTUATION:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trailing = url[-1] + trailing
        url = url[:-1]
    return url, trailing


def _render_inline(text: str, mentions: Mapping[str, Mentioned]) -> str:
    """Escape one paragraph, linking URLs and known mentions; everything else is text."""
    tokens: list[tuple[int, int, str]] = []
    for match in _URL_RE.finditer(text):
        url, _trailing = _trim_url(match.group(0))
        if not url:
            continue
        href = url if "://" in url else f"https://{url}"
        link = (
            f'<a href="{escape(href)}" rel="{LINK_REL}">{escape(url)}</a>'
            if re.match(r"https?://[^/\s]", href, re.IGNORECASE)
            else escape(url)
        )
        tokens.append((match.start(), match.start() + len(url), link))
    for match in MENTION_RE.finditer(text):
        if any(start <= match.start() < end for start, end, _ in tokens):
            continue  # an @ inside a URL (https://host/@someone) is part of the URL
        person = mentions.get(match.group(1).lower())
        if person is None:
            continue
        link = (
            f'<a class="mention" href="{escape(person.get_absolute_url())}" '
            f'data-user-id="{person.pk}">@{escape(match.group(1))}</a>'
        )
        tokens.append((match.start(), match.end(), link))
    tokens.sort()
    out: list[str] = []
    position = 0
    for start, end, html in tokens:
        out.append(escape(text[position:start]))
        out.append(html)
        position = end
    out.append(escape(text[position:]))
    return "<br>".join("".join(out).split("\n"))


def render_user_text(text: str, mentions: Mapping[str, Mentioned]) -> SafeString:
    """Render plain text typed by an employee as safe HTML.

    Blank lines separate paragraphs, single line breaks become `<br>`, URLs become links
    (http/https only, `rel="noopener noreferrer nofollow"`), and `@username` links to the
    person's profile when `mentions` (lower-cased username -> person, found by the caller
    with `interactions.mentions.mentioned_users`; `{}` links nobody) names them. Core does
    not query people: it sits below them. Every other character
    is escaped, and the result goes through `sanitize_html` once more as a second line of
    defence.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    paragraphs = [p for p in _PARAGRAPH_BREAK_RE.split(text) if p.strip()]
    html = "".join(f"<p>{_render_inline(p.strip(), mentions)}</p>" for p in paragraphs)
    return mark_safe(sanitize_html(html))  # noqa: S308 - built from escaped parts, then cleaned


# --- Mentions in HTML (a post body) -----------------------------------------------------------

_TAG_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
# Text inside these is never a mention: a link already, or code someone quoted.
_NO_MENTION_TAGS = frozenset({"a", "code", "pre", "script", "style", "textarea"})


def _html_text_pieces(html: str) -> list[tuple[str, bool]]:
    """`html` cut into tags and text, each text piece marked True when a mention there may be
    linked (not inside a link, code or preformatted block)."""
    pieces: list[tuple[str, bool]] = []
    depth = 0
    for piece in _TAG_RE.split(html or ""):
        if not piece:
            continue
        if piece.startswith("<"):
            tag = _TAG_NAME_RE.match(piece)
            if tag and tag.group(2).lower() in _NO_MENTION_TAGS and not piece.endswith("/>"):
                depth = max(0, depth - 1) if tag.group(1) else depth + 1
            pieces.append((piece, False))
        else:
            pieces.append((piece, depth == 0))
    return pieces


def _mentions_outside_urls(text: str) -> list[re.Match[str]]:
    urls = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
    return [m for m in MENTION_RE.finditer(text) if not any(s <= m.start() < e for s, e in urls)]


def extract_html_mentions(html: str) -> list[str]:
    """`extract_mentions` for HTML (rich text): the usernames named with @ in its text, not
    in tags, links, code or URLs; distinct, lower-cased, at most 20."""
    seen: dict[str, None] = {}
    for text, linkable in _html_text_pieces(html):
        if not linkable:
            continue
        for match in _mentions_outside_urls(text):
            seen.setdefault(match.group(1).lower(), None)
            if len(seen) >= MAX_MENTIONS:
                return list(seen)
    return list(seen)


def link_html_mentions(html: str, mentions: Mapping[str, Mentioned]) -> str:
    """`html` (already safe: sanitised rich text) with each `@username` that `mentions` names
    turned into a link to that person's profile, as `render_user_text` does for plain text.
    Mentions inside links, code and URLs stay text."""
    if not mentions or "@" not in (html or ""):
        return html or ""
    out: list[str] = []
    for text, linkable in _html_text_pieces(html):
        if not linkable or "@" not in text:
            out.append(text)
            continue
        position = 0
        for match in _mentions_outside_urls(text):
            person = mentions.get(match.group(1).lower())
            if person is None:
                continue
            out.append(text[position : match.start()])
            out.append(
                f'<a class="mention" href="{escape(person.get_absolute_url())}" '
                f'data-user-id="{person.pk}">@{escape(match.group(1))}</a>'
            )
            position = match.end()
        out.append(text[position:])
    return "".join(out)
