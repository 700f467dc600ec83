"""The search page: `/search/?q=…&kind=…`; htmx requests (live search) get only the results."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .engine import search
from .query import MAX_QUERY_LENGTH
from .registry import get_entry

LIMIT_ALL_KINDS = 10
LIMIT_ONE_KIND = 50


@require_GET
@login_required
def search_page(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not query:
        return HttpResponse("")  # live search with an empty box: close the results
    entry = get_entry(request.GET.get("kind", ""))
    kind = entry.kind if entry else ""
    limit = LIMIT_ONE_KIND if kind else LIMIT_ALL_KINDS
    groups = list(search(request.user, query, kinds=[kind] if kind else None, limit=limit).values())
    page_url = reverse("search")
    for group in groups:
        group.more_url = (
            f"{page_url}?{urlencode({'q': query, 'kind': group.kind})}"
            if group.has_more and not kind
            else ""
        )
    context = {
        "query": query,
        "kind": kind,
        "kind_label": entry.kind_label if entry else "",
        "groups": [g for g in groups if g.results],
        "searched": bool(query),
        "all_kinds_url": f"{page_url}?{urlencode({'q': query})}",
    }
    if htmx and not htmx.boosted:
        return render(request, "core/partials/search_results.html", context)
    return render(request, "core/search.html", context)
