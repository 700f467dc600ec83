"""Reading the change history (django-simple-history) as who / when / what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class HistoryEntry:
    time: Any
    user: str | None
    action: str
    changes: list[dict[str, str]] = field(default_factory=list)
    reason: str = ""  # simple-history's change reason, e.g. "merged with “Anna Roth” (#12)"


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a removed field keeps its raw name
        return name


def record_merge(survivor: Any, loser: Any) -> None:
    """Remember that `loser` was merged into `survivor`, so the survivor's history shows both."""
    from django.contrib.contenttypes.models import ContentType

    from .models import MergedRecord

    MergedRecord.objects.create(
        content_type=ContentType.objects.get_for_model(type(survivor)),
        survivor_id=survivor.pk,
        loser_id=loser.pk,
    )


def _merged_ids(obj: Any) -> list[Any]:
    """The record's id and those of every record merged into it (and into those, and so on)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import MergedRecord

    content_type = ContentType.objects.get_for_model(type(obj))
    ids, frontier = [obj.pk], [obj.pk]
    while frontier and len(ids) < 1000:
        frontier = list(
            MergedRecord.objects.filter(
                content_type=content_type, survivor_id__in=frontier
            ).values_list("loser_id", flat=True)
        )
        frontier = [i for i in frontier if i not in ids]
        ids.extend(frontier)
    return ids


def history_entries(obj, limit: int = 100) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields changed with old and new values. Entries of
    records merged into this one are included, each compared with its own record's previous
    entry and marked with where it came from."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    ids = _merged_ids(obj)
    rows = history.all()
    if len(ids) > 1:
        # a merged record's deletion is the merge itself, shown by the survivor's own entry
        rows = history.model.objects.filter(id__in=ids).exclude(~Q(id=obj.pk), history_type="-")
    records = list(
        rows.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    for i, record in enumerate(records[:limit]):
        changes: list[dict[str, str]] = []
        previous = next((r for r in records[i + 1 :] if r.id == record.id), None)
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                changes.append(
                    {
                        "field": _label(type(obj), change.field),
                        "old": "" if change.old is None else str(change.old),
                        "new": "" if change.new is None else str(change.new),
                    }
                )
        entries.append(
            HistoryEntry(
                time=record.history_date,
                user=str(record.history_user) if record.history_user else None,
                action=_(ACTIONS.get(record.history_type, "changed")),
                changes=changes,
                reason=_reason(record, obj),
            )
        )
    return entries


def _reason(record: Any, obj: Any) -> str:
    reason = getattr(record, "history_change_reason", None) or ""
    if record.id == obj.pk:
        return reason
    origin = _("from the merged record #%(id)s") % {"id": record.id}
    return f"{origin} · {reason}" if reason else origin
