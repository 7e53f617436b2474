"""Global search: the documents matching a query that the person may see, ranked.

One query finds the page of results and one counts them per kind (the kind filter's
figures, whose sum is the paginator's count), whatever the amount of content; the authors
come with the results (a join) and the community names in one more query.

Visibility is the owning apps' own: every kind contributes "its documents whose object is in
`SearchSource.visible(user)`" (the same selector its pages list from) as a subquery, so a
private community's thread, a draft or a hidden comment can match the words and still never
come back.

PostgreSQL: full-text search with French and English stemming, without accents
(`ruche_french`, `ruche_english`), ranked by `ts_rank` over title (A) and text (B), plus
trigram word similarity of the title (typos: "developement" finds "Développement"). SQLite
(`make run`): every folded word must appear in the folded title or text, titles first, then
newest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.utils import timezone

from core import content
from core.content import Label
from people.models import User
from search.indexing import ENGLISH, FRENCH, full_text
from search.models import SearchDocument
from search.sources import Source, plural, sources
from search.text import fold, highlight, terms

PAGE_SIZE = 20
TITLE_WORDS = 60
QUERY_MAX_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    query: str
    kind: str = ""
    community_id: int | None = None
    author: User | None = None
    since: date | None = None
    until: date | None = None


@dataclass
class Result:
    kind: str
    label: Label
    title: str
    # The title and an excerpt of the text, escaped, with the searched words in <mark>.
    title_html: str
    excerpt: str
    url: str
    date: datetime
    author: User | None
    community: str = ""


@dataclass
class SearchResults:
    page: Page[Any] | None
    results: list[Result] = field(default_factory=list)
    facets: list[tuple[str, Label, int]] = field(default_factory=list)
    total: int = 0


def _visible(user: User, chosen: list[Source]) -> Q:
    condition = Q(pk__in=[])
    for source in chosen:
        condition |= Q(kind=source.key, object_id__in=source.search.visible(user).values("pk"))
    return condition


def _bounds(day: date, *, end: bool) -> datetime:
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment, timezone.get_current_timezone())


def _filtered(documents: QuerySet[SearchDocument], filters: Filters) -> QuerySet[SearchDocument]:
    if filters.community_id is not None:
        documents = documents.filter(community_id=filters.community_id)
    if filters.author is not None:
        documents = documents.filter(author_id=filters.author.pk)
    if filters.since is not None:
        documents = documents.filter(date__gte=_bounds(filters.since, end=False))
    if filters.until is not None:
        documents = documents.filter(date__lte=_bounds(filters.until, end=True))
    return documents


def _matching(filters: Filters) -> QuerySet[SearchDocument]:
    """The documents matching the words, with a `rank` (higher is better)."""
    documents = SearchDocument.objects.all()
    if full_text():
        words = SearchQuery(filters.query, config=FRENCH, search_type="websearch") | SearchQuery(
            filters.query, config=ENGLISH, search_type="websearch"
        )
        folded = fold(filters.query)
        return documents.filter(
            Q(vector=words) | Q(folded_title__trigram_word_similar=folded)
        ).annotate(
            rank=SearchRank(F("vector"), words) + TrigramWordSimilarity(folded, "folded_title")
        )
    wanted = terms(filters.query)
    for term in wanted:
        documents = documents.filter(Q(folded_title__contains=term) | Q(folded_body__contains=term))
    in_title = Q()
    for term in wanted:
        in_title &= Q(folded_title__contains=term)
    return documents.annotate(
        rank=Case(When(in_title, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    )


def search(*, user: User, filters: Filters, page: str | int | None = None) -> SearchResults:
    """One page of what `user` may see matching `filters`, with the count of each kind."""
    if not (user.is_authenticated and user.is_active) or not terms(filters.query):
        return SearchResults(page=None)
    every = sources()
    base = _filtered(_matching(filters), filters).filter(_visible(user, every))
    counts = dict(base.order_by().values_list("kind").annotate(n=Count("pk")))
    facets = [(s.key, plural(s.key), counts.get(s.key, 0)) for s in every]
    chosen = base.filter(kind=filters.kind) if filters.kind else base
    total = counts.get(filters.kind, 0) if filters.kind else sum(counts.values())
    ranked = chosen.select_related("author__department").order_by("-rank", "-date", "-pk")
    paginator: Paginator[SearchDocument] = Paginator(_Counted(ranked, total), PAGE_SIZE)  # type: ignore[arg-type]
    current = paginator.get_page(page)
    labels = {s.key: s.label for s in every}
    documents: list[SearchDocument] = list(current.object_list)
    names = _community_names(documents)
    results = [
        Result(
            kind=d.kind,
            label=labels.get(d.kind, d.kind),
            title=d.title,
            title_html=highlight(d.title, filters.query, words=TITLE_WORDS) if d.title else "",
            excerpt=highlight(d.body, filters.query) if d.body else "",
            url=d.url,
            date=d.date,
            author=d.author,
            community=names.get(d.community_id, "") if d.community_id else "",
        )
        for d in documents
    ]
    return SearchResults(page=current, results=results, facets=facets, total=total)


def _community_names(documents: list[SearchDocument]) -> dict[int, str]:
    ids = {d.community_id for d in documents if d.community_id is not None}
    return content.communities().names(ids) if ids else {}


class _Counted:
    """The ranked documents, for Django's Paginator, with the count already known (the kind
    figures): slicing runs the one query of the page, `count()` none."""

    def __init__(self, documents: QuerySet[SearchDocument], total: int):
        self.documents = documents
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.documents[index]
