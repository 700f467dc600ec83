"""What a webhook carries, and how it is signed.

Body (JSON, UTF-8, keys sorted):

    {"id": "<delivery uuid>", "event": "person.updated", "created_at": "<ISO 8601, UTC>",
     "actor": {"id": 3, "name": "Anna Admin"} | null,
     "record": {"type": "person", "id": 12, "data": {…fields…}},
     "truncated": ["notes"]}                      # only when something was shortened

`data` holds the record's own fields (foreign keys as `<name>_id`, tags by name, many-to-many as id
lists) and its parts (a person's `emails`, `phones`, `positions`). References to records the
endpoint's owner may not see are left out (null, or missing from a list). Long texts are cut at
`MAX_TEXT_CHARS` and named in `truncated`; a body still larger than `MAX_BODY_BYTES` carries only the
record's id.

Signature: `X-Accord-Signature: sha256=<hex HMAC-SHA256 of "<X-Accord-Timestamp>.<raw body>" with the
endpoint's secret>`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

from django.db import models

from accord.core import visibility
from accord.core.models import OwnedModel

from .choices import TEST_EVENT

MAX_TEXT_CHARS = 10_000
MAX_CHILDREN = 100
MAX_BODY_BYTES = 256 * 1024
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SIGNATURE_HEADER = "X-Accord-Signature"


def generate_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


# --- record data ---------------------------------------------------------------------------------


def _governed(model: type[models.Model]) -> bool:
    """Whether the visibility rule decides who sees rows of this model."""
    return issubclass(model, OwnedModel) or bool(getattr(model, "visibility_parent", None))


def _visible_ids(viewer: Any, model: type[models.Model], ids: list[Any]) -> set[Any]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    if not _governed(model) or visibility.sees_everything(viewer):
        return set(ids)
    manager: Any = model._default_manager
    q = visibility.visibility_q(model, viewer)
    return set(manager.filter(q, pk__in=ids).values_list("pk", flat=True))


def _plain(value: Any, name: str, truncated: list[str]) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v, name, truncated) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, name, truncated) for k, v in value.items()}
    text = str(value).replace("\x00", "\ufffd")
    if len(text) > MAX_TEXT_CHARS:
        if name not in truncated:
            truncated.append(name)
        text = text[:MAX_TEXT_CHARS]
    return text


def _fields(
    obj: models.Model, viewer: Any, truncated: list[str], prefix: str = "", skip: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in type(obj)._meta.concrete_fields:
        if field.name == skip:
            continue
        value = field.value_from_object(obj)
        if field.is_relation:
            related = field.related_model
            if (
                value is not None
                and isinstance(related, type)
                and value not in _visible_ids(viewer, related, [value])
            ):
                value = None
            data[field.attname] = value
        else:
            data[field.name] = _plain(value, prefix + field.name, truncated)
    return data


def record_data(obj: models.Model, viewer: Any) -> tuple[dict[str, Any], list[str]]:
    """The record's fields, its many-to-many links and its parts, as `viewer` may see them."""
    truncated: list[str] = []
    data = _fields(obj, viewer, truncated)
    model = type(obj)
    for field in model._meta.many_to_many:
        related = field.related_model
        manager = getattr(obj, field.name)
        if related._meta.label_lower == "parties.tag":
            data[field.name] = sorted(manager.values_list("name", flat=True))
            continue
        ids = list(manager.values_list("pk", flat=True))
        visible = _visible_ids(viewer, related, ids)
        data[field.name] = sorted(i for i in ids if i in visible)
    for rel in model._meta.related_objects:
        child = rel.related_model
        if getattr(child, "visibility_parent", None) != rel.field.name:
            continue
        name = rel.get_accessor_name() or rel.name
        rows = list(child._default_manager.filter(**{rel.field.name: obj}).order_by("pk"))
        if len(rows) > MAX_CHILDREN:
            rows = rows[:MAX_CHILDREN]
            truncated.append(name)
        data[name] = [_fields(row, viewer, truncated, f"{name}.", rel.field.name) for row in rows]
    return data, truncated


# --- envelope and signature --------------------------------------------------------------------


def actor_data(actor: Any) -> dict[str, Any] | None:
    if actor is None:
        return None
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return {"id": actor.pk, "name": name or str(actor)}


def envelope(
    *,
    delivery_uuid: uuid.UUID,
    event: str,
    created_at: dt.datetime,
    actor: Any,
    record_type: str,
    record_id: Any,
    data: dict[str, Any] | None,
    truncated: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(delivery_uuid),
        "event": event,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "actor": actor_data(actor),
        "record": {"type": record_type, "id": record_id, "data": data},
    }
    if truncated:
        body["truncated"] = truncated
    if len(encode(body)) > MAX_BODY_BYTES:
        body["record"]["data"] = {"id": record_id}
        body["truncated"] = ["data"]
    return body


def ping_envelope(*, delivery_uuid: uuid.UUID, created_at: dt.datetime, actor: Any) -> dict:
    return {
        "id": str(delivery_uuid),
        "event": TEST_EVENT,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "actor": actor_data(actor),
        "record": None,
        "message": "This is a test event from Accord.",
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of "timestamp.body">`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does (see docs/webhooks.md); used by the tests."""
    return hmac.compare_digest(signature(secret, timestamp, body), header or "")


def signed_headers(
    *, secret: str, event: str, delivery_uuid: Any, timestamp: int, body: bytes, attempt: int
) -> dict[str, str]:
    return {
        "X-Accord-Event": event,
        "X-Accord-Delivery": str(delivery_uuid),
        "X-Accord-Timestamp": str(timestamp),
        "X-Accord-Attempt": str(attempt),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
