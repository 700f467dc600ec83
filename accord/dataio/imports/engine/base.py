"""The row pipeline every kind of import shares: read → plan → apply, batch by batch.

`read()` turns a row's cells into typed values with errors by field (nothing is looked up yet);
`plan()` matches a batch against what exists (exact keys, similar names) and decides per row:
create, update, skip or error; `apply()` writes a planned batch through the domain's bulk services.
A dry run reads and plans every row and applies nothing; the import does all three, one committed
transaction per batch. Both run the same code, so the dry run says what the import will do.

Records the run plans to create get temporary negative ids, registered in the indexes at once so
that a later row naming the same record matches it; `apply()` maps them to the real ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..choices import DuplicateMode, FuzzyDefault, RowAction
from ..columns import fields_for
from ..parsing import user_zone
from .matching import Similar


@dataclass
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class RowData:
    """One file row: the typed values, the errors found reading it, a label to show it by."""

    row: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    label: str = ""


@dataclass
class Planned:
    """What will happen to a row, and why."""

    data: RowData
    action: str = RowAction.CREATE
    target: int | None = None  # the matched (or, for a create, the temporary) record id
    reason: str = ""
    similar: Similar | None = None
    decision: str = ""  # for a similar name: "same" or "new"
    payload: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def row(self) -> int:
        return self.data.row


class Handler:
    """Base of the per-kind handlers (organizations, people, interactions, follow-ups)."""

    kind = ""

    def __init__(self, *, run: Any, actor: Any, dry_run: bool) -> None:
        self.run = run
        self.actor = actor
        self.dry_run = dry_run
        self.mapping = {int(i): key for i, key in (run.mapping or {}).items() if key}
        headers = list(run.headers or [])
        self.column_of = {key: headers[i] for i, key in self.mapping.items() if i < len(headers)}
        self.index_of = {key: i for i, key in self.mapping.items()}
        self.labels = {f.key: str(f.label) for f in fields_for(self.kind)}
        self.zone = user_zone(actor)
        self.reason = _("Import “%(file)s” (#%(id)s)") % {"file": run.filename, "id": run.pk}
        self._next_temp = 0
        self.resolved: dict[int, int] = {}
        self.decisions: dict[str, str] = dict(run.fuzzy_decisions or {})
        self.prepare()

    # --- set up ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Build what matching needs (indexes of visible records)."""

    def prefetch(self, batch: list[tuple[int, list[str]]]) -> None:
        """The next batch's cells, before it is read: slow checks may start on them."""

    def close(self) -> None:
        """The run is over (helpers stop)."""

    def temp_id(self) -> int:
        self._next_temp -= 1
        return self._next_temp

    def resolve(self, record_id: int | None) -> int | None:
        if record_id is None:
            return None
        return self.resolved.get(record_id, record_id)

    # --- reading ----------------------------------------------------------------------------
    def read(self, row: int, cells: list[str]) -> RowData:
        raw = {key: cells[i] for i, key in self.mapping.items() if i < len(cells) and cells[i]}
        data = RowData(row=row, raw=raw)
        self.parse(data)
        return data

    def parse(self, data: RowData) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def column(self, key: str) -> str:
        return self.column_of.get(key) or self.labels.get(key, key)

    def fail(self, data: RowData, key: str, message: str) -> None:
        data.errors.append(
            RowError(data.row, self.column(key), str(message), data.raw.get(key, "")[:200])
        )

    def fail_all(self, data: RowData, errors: dict[str, list[str]], keys: dict[str, str]) -> None:
        """Errors by model field → errors by the column the value came from."""
        for name, messages in errors.items():
            for message in messages:
                self.fail(data, keys.get(name, name), message)

    def convert(
        self, data: RowData, key: str, parser: Callable[[str], Any], default: Any = None
    ) -> Any:
        text = data.raw.get(key)
        if not text:
            return default
        try:
            return parser(text)
        except ValueError as exc:
            self.fail(data, key, str(exc))
            return default

    # --- deciding ---------------------------------------------------------------------------
    def similar_decision(self, data: RowData, similar: Similar) -> str:
        """ "same" or "new" for a row whose name resembles a record's: the user's choice for this
        row, else the import's default (identical names: same; similar ones: new)."""
        chosen = self.decisions.get(str(data.row))
        if chosen in ("same", "new"):
            return chosen
        default = self.run.fuzzy_default
        if default == FuzzyDefault.SAME:
            return "same"
        if default == FuzzyDefault.NEW:
            return "new"
        return "same" if similar.identical else "new"

    def matched_action(self) -> str:
        mode = self.run.on_duplicate
        if mode == DuplicateMode.SKIP:
            return RowAction.SKIP
        if mode == DuplicateMode.CREATE:
            return RowAction.CREATE
        return RowAction.UPDATE

    def refuse(self, planned: Planned, column_key: str, message: str) -> None:
        planned.action = RowAction.ERROR
        self.fail(planned.data, column_key, message)

    # --- the batch ----------------------------------------------------------------------------
    def plan(self, batch: list[RowData]) -> list[Planned]:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, planned: list[Planned]) -> dict[str, int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def extra_counts(self, planned: list[Planned]) -> dict[str, int]:
        """Counts beyond create/update/skip/error (e.g. organizations created for people)."""
        return {}
