"""The search document: one row per searchable object, with its words (never its visibility).

A document is derived data, like a cache: `search.indexing` writes it on commit of every save
of a searchable model and `manage.py search_reindex` rebuilds it. Who may see an object is not
stored here: each search joins the documents with the owning app's own selector
(`SearchSource.visible`), so hiding a post, leaving a private community or unpublishing a draft
changes what a search shows at once, without touching the index.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.BigIntegerField(_("object id"))
    title = models.TextField(_("title"), blank=True)
    body = models.TextField(_("text"), blank=True)
    # Lower case without accents ("Réunion" -> "reunion"): trigram matching on PostgreSQL,
    # the whole match on SQLite.
    folded_title = models.TextField(blank=True)
    folded_body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateTimeField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community_id = models.BigIntegerField(null=True, blank=True)
    # French and English stems of the title (weight A) and text (B), without accents (the
    # `ruche_french` and `ruche_english` configurations). NULL on SQLite.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object")
        ]
        indexes = [models.Index(fields=["kind", "date"], name="search_document_kind_date")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
