"""Pagination that never counts a whole table.

Lists count at most `ACCORD_LIST_COUNT_CAP` rows (`SELECT COUNT(*) FROM (… LIMIT cap+1)`), then say
"more than …"; deeper pages stay reachable by number and by "next", which is decided by fetching one
row more than the page shows. An unbounded COUNT(*) is what makes other CRMs' lists slow.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cached_property

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, cap=None):
        super().__init__(
            object_list, per_page, orphans=0, allow_empty_first_page=allow_empty_first_page
        )
        self.cap = cap or settings.ACCORD_LIST_COUNT_CAP

    def _queryset(self):
        """The queryset behind the list (django-tables2 hands us its rows wrapping it)."""
        data = getattr(getattr(self.object_list, "data", None), "data", None)
        return data if hasattr(data, "query") else self.object_list

    def _window(self, start: int, stop: int):
        """The rows start..stop. The page's ids are picked first from the index alone (no joins
        for the skipped rows), then its rows are loaded with their related records in the same
        query. Deep pages need this to stay cheap; first pages need it too, because with the
        joins in sight SQLite's planner may start from a small joined table (the stages of an
        opportunity) and sort every visible row instead of walking the list's order index."""
        qs = self._queryset()
        if not hasattr(qs, "query") or qs is self.object_list:
            return self.object_list[start:stop]
        ids = qs.values("pk")[start:stop]
        data = self.object_list.data  # the table's data wrapper: slice it like the table would
        window = qs.filter(pk__in=ids)
        data.data = window
        try:
            return self.object_list[0 : stop - start]
        finally:
            data.data = qs

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        """Rows up to the cap. Only the ids are counted: the order and the computed columns
        (spend, totals) of the list are left out, so they are not computed for every row."""
        qs = self._queryset()
        if not hasattr(qs, "query"):
            return len(qs[: self.cap + 1])
        return qs.order_by().values("pk")[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_display(self) -> str:
        if self.is_capped:
            return _("more than %(n)s") % {"n": f"{self.cap:,}"}
        return f"{self.count:,}"

    def validate_number(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(_("That page number is not an integer")) from exc
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        if not self.is_capped and number > self.num_pages:
            raise EmptyPage(_("That page contains no results"))
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self._window(bottom, bottom + self.per_page + 1))
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page


class CappedPage(Page):
    more = False

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class CappedCountPagination(PageNumberPagination):
    """Page-number pagination with a capped count (`count_capped` says when it was capped)."""

    django_paginator_class = CappedPaginator
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            OrderedDict(
                [
                    ("count", min(paginator.count, paginator.cap)),
                    ("count_capped", paginator.is_capped),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        base["properties"]["count_capped"] = {"type": "boolean"}
        return base
