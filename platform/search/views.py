"""The search page: parse, call the selector, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from core.types import AuthenticatedRequest
from search import selectors
from search.forms import SearchForm


def search(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    results, query = None, ""
    if form.is_valid():
        filters = form.filters()
        query = filters.query
        results = selectors.search(user=request.user, filters=filters, page=request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        # `search_query` fills the header's search box too.
        {"form": form, "query": query, "search_query": query, "results": results},
    )
