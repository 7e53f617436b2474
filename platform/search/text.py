"""Text helpers shared by the index and the search page: folding and highlighting.

`fold` is what PostgreSQL's `unaccent` + `lower` do, in Python: the folded columns let SQLite
match "reunion" to "réunion" too, and trigram similarity compare words without accents.
`highlight` marks the searched words in an excerpt, the same way on both databases (the
stemmers are approximated by a shared prefix: "réunions" is marked for "reunion").
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_WORD = re.compile(r"\w+", re.UNICODE)
EXCERPT_WORDS = 40


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def terms(query: str) -> list[str]:
    """The folded words of a query (operators and quotes of websearch syntax dropped)."""
    return [w for w in _WORD.findall(fold(query)) if w not in {"or", "ou"}]


def _stem(term: str) -> str:
    # Shorter words are compared whole; longer ones by a prefix that survives plurals and
    # most inflections ("équipes", "developing").
    return term if len(term) <= 4 else term[: max(4, len(term) - 2)]


def _matches(word: str, stems: list[str]) -> bool:
    folded = fold(word)
    return any(folded.startswith(stem) for stem in stems)


def highlight(text: str, query: str, *, words: int = EXCERPT_WORDS) -> SafeString:
    """An escaped excerpt of `text` around the first searched word, each searched word in
    `<mark>`; the beginning of the text when no word matches (a trigram or a stemmed match)."""
    stems = [_stem(t) for t in terms(query)]
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return mark_safe(escape(text[:300]))  # noqa: S308 (escaped just before)
    first = next((i for i, m in enumerate(tokens) if _matches(m.group(), stems)), 0)
    start_index = max(0, first - words // 4)
    end_index = min(len(tokens), start_index + words)
    start = tokens[start_index].start() if start_index else 0
    end = tokens[end_index - 1].end() if end_index < len(tokens) else len(text)
    pieces: list[str] = ["… " if start else ""]
    position = start
    for match in tokens[start_index:end_index]:
        pieces.append(escape(text[position : match.start()]))
        word = escape(match.group())
        pieces.append(f"<mark>{word}</mark>" if _matches(match.group(), stems) else word)
        position = match.end()
    pieces.append(escape(text[position:end]))
    if end < len(text):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 (every piece escaped above)
