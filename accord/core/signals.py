"""`record_changed`: one signal for every create, update and delete made through the services.

Sent inside the service's transaction (so whatever a receiver writes commits or rolls back with the
change itself) by `core.services.model_create` / `model_update` / `model_delete`, and therefore by
every domain service built on them. Receivers get:

* `sender`: the model class;
* `instance`: the record (for "deleted": still in the database, just before the delete);
* `action`: "created", "updated" or "deleted";
* `actor`: the user who made the change, or None for a system write;
* `origin` (deletes only): the record the caller deleted; rows removed with it by cascade are
  announced too, each with the same `origin`.

Bulk writers (imports) send it for each record they create or update, inside `batch()`: while a
batch is open, receivers may keep what they looked up for the first record (the active webhook
endpoints) instead of asking the database again for each of thousands of records. Queryset updates
of denormalised fields send nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.dispatch import Signal

CREATED = "created"
UPDATED = "updated"
DELETED = "deleted"
ACTIONS = (CREATED, UPDATED, DELETED)

record_changed = Signal()

_batch: ContextVar[dict[str, Any] | None] = ContextVar("accord_record_batch", default=None)


@contextmanager
def batch() -> Iterator[dict[str, Any]]:
    """Many changes in a row: receivers may memoise lookups in `batch_cache()` until it ends."""
    outer = _batch.get()
    if outer is not None:
        yield outer
        return
    memo: dict[str, Any] = {}
    token = _batch.set(memo)
    try:
        yield memo
    finally:
        _batch.reset(token)


def batch_cache() -> dict[str, Any] | None:
    """The open batch's memo (a dict receivers may fill), or None outside a batch."""
    return _batch.get()


def send_record_changed(
    instance: models.Model, action: str, actor: Any, *, origin: models.Model | None = None
) -> None:
    """Announce one change; a receiver's error propagates (and rolls the change back)."""
    kwargs: dict[str, Any] = {"instance": instance, "action": action, "actor": actor}
    if action == DELETED:
        kwargs["origin"] = origin if origin is not None else instance
    record_changed.send(sender=type(instance), **kwargs)
