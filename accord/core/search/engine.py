"""Global search: the words a user typed → the records they may see, grouped by kind.

Plan per kind, two queries: (1) one statement takes a bounded set of matching ids from the
full-text index (`backends`, a subquery), applies the visibility rule to it
(`Model.objects.visible_to(user)`) and returns the ids to show — newest first, or for ranked kinds
with the names that order them (`query.name_ranking`); (2) the few records shown, loaded with what
their line needs.
Cost is therefore bounded by the candidate limits, whatever the size of the tables (measured with
`bench/search_probe.py`: 1–11 ms CPU for `search()` at a million interactions on SQLite). The price:
for a word found in more than `CANDIDATES_NEWEST` interactions (or `CANDIDATES_RANKED[_PARTIAL]`
organizations or people) only those candidates are considered, so a member who sees few of them
may get fewer hits than exist, and "10+" means "more than 10 among the candidates".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import NoReverseMatch

from .. import visibility
from .backends import candidate_ids, candidates
from .query import name_ranking, parse_terms
from .registry import SearchEntry, entries, entry_for_model, get_entry

# Organizations, people: the newest matches considered, in the name and anywhere — more for users
# who see only part of the records, so that enough of them remain visible.
CANDIDATES_RANKED = 60
CANDIDATES_RANKED_PARTIAL = 250
CANDIDATES_NEWEST = 1000  # interactions: the newest matches considered
MAX_LIMIT = 100


@dataclass
class SearchResult:
    """One hit, ready to show: a title, a line of context and where it links."""

    kind: str
    pk: Any
    title: str
    subtitle: str
    url: str | None
    obj: models.Model = field(repr=False)


@dataclass
class SearchGroup:
    """The hits of one kind; `has_more` when more than `limit` were found."""

    kind: str
    label: Any
    icon: str
    results: list[SearchResult]
    has_more: bool
    limit: int
    more_url: str = ""  # set by the page: where "show more of this kind" leads

    def __iter__(self) -> Iterator[SearchResult]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __bool__(self) -> bool:
        return bool(self.results)

    @property
    def count(self) -> int:
        return len(self.results)

    @property
    def count_display(self) -> str:
        """The count to show: "3", or "10+" when there are more than shown."""
        return f"{len(self.results)}+" if self.has_more else str(len(self.results))


def _visible(entry: SearchEntry, user: Any) -> models.QuerySet:
    return entry.model._default_manager.visible_to(user)


def _result(entry: SearchEntry, obj: models.Model) -> SearchResult:
    try:
        url: str | None = entry.url(obj)
    except NoReverseMatch:
        url = None  # the app has no page for it (yet): show the hit without a link
    subtitle = entry.subtitle(obj) if entry.subtitle else ""
    return SearchResult(
        kind=entry.kind,
        pk=obj.pk,
        title=str(entry.title(obj)),
        subtitle=str(subtitle or ""),
        url=url,
        obj=obj,
    )


def _loaded(entry: SearchEntry, qs: models.QuerySet) -> models.QuerySet:
    if entry.select_related:
        qs = qs.select_related(*entry.select_related)
    if entry.prefetch_related:
        qs = qs.prefetch_related(*entry.prefetch_related)
    return qs


def _ranked(entry: SearchEntry, user: Any, terms: list[str], limit: int):
    """Visible candidates ordered by name (`query.name_ranking`)."""
    qs = entry.model._default_manager.all()
    cap = CANDIDATES_RANKED
    if not visibility.sees_everything(user):
        qs, cap = _visible(entry, user), CANDIDATES_RANKED_PARTIAL
    cap = max(limit + 1, cap)
    rows = qs.filter(pk__in=candidates(entry, terms, cap, ranked=True))
    rows = rows.order_by().values_list("pk", *entry.name_fields)
    key = name_ranking(terms)
    ranked = sorted((key(" ".join(filter(None, row[1:]))), row[0]) for row in rows)
    top = [pk for _, pk in ranked]
    return top[: limit + 1]


def _newest(entry: SearchEntry, user: Any, terms: list[str], limit: int):
    """The newest visible records among the newest candidates."""
    cap = max(limit + 1, CANDIDATES_NEWEST)
    qs = _visible(entry, user).filter(pk__in=candidates(entry, terms, cap, ranked=False))
    qs = qs.order_by(f"-{entry.newest_first}", "-pk").values_list("pk", flat=True)
    return list(qs[: limit + 1])


def _search_entry(entry: SearchEntry, user: Any, terms: list[str], limit: int) -> SearchGroup:
    top = (_newest if entry.newest_first else _ranked)(entry, user, terms, limit)
    objs: list[models.Model] = []
    if top:
        shown = entry.model._default_manager.filter(pk__in=top[:limit]).order_by()
        found = _loaded(entry, shown).in_bulk()
        objs = [found[pk] for pk in top[:limit] if pk in found]
    return SearchGroup(
        kind=entry.kind,
        label=entry.kind_label,
        icon=entry.icon,
        results=[_result(entry, obj) for obj in objs],
        has_more=len(top) > limit,
        limit=limit,
    )


def search(
    user: Any, query: str | None, *, kinds: Iterable[str] | None = None, limit: int = 10
) -> dict[str, SearchGroup]:
    """The records matching `query` that `user` may see, by kind (in registration order).

    Every registered kind (or those in `kinds`; unknown ones are ignored) has a group, possibly
    empty. An empty query, or one without letters or digits, finds nothing.
    """
    limit = max(1, min(int(limit), MAX_LIMIT))
    wanted = set(kinds) if kinds is not None else None
    chosen = [e for e in entries() if wanted is None or e.kind in wanted]
    terms = parse_terms(query)
    groups: dict[str, SearchGroup] = {}
    for entry in chosen:
        if not terms or not visibility.is_authenticated(user):
            groups[entry.kind] = SearchGroup(
                entry.kind, entry.kind_label, entry.icon, [], False, limit
            )
        else:
            groups[entry.kind] = _search_entry(entry, user, terms, limit)
    return groups


def search_ids(model: type[models.Model], query: str | None, limit: int = 1000) -> list[int]:
    """Ids of `model` rows matching `query`, at most `limit` (the newest matches; for ranked kinds
    the newest name matches and the newest matches anywhere) — no visibility applied.

    For features that filter their own (visibility-checked) querysets by the same words, e.g.
    `qs.filter(pk__in=search_ids(Organization, q))`.
    """
    entry = entry_for_model(model)
    return candidate_ids(entry, parse_terms(query), limit, ranked=entry.newest_first is None)


__all__ = [
    "SearchGroup",
    "SearchResult",
    "get_entry",
    "search",
    "search_ids",
]
