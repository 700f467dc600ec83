"""Reading the change history (django-simple-history) as who / when / what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


def history_entries(obj, limit: int = 100) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields changed with old and new values."""
    history = getattr(obj, "history", None)
    if history is None:
        return []
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    for i, record in enumerate(records[:limit]):
        changes: list[dict[str, str]] = []
        previous = records[i + 1] if i + 1 < len(records) else None
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
                reason=getattr(record, "history_change_reason", None) or "",
            )
        )
    return entries
