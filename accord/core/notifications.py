"""Notifications: the one way every app tells a user something that needs their attention.

`notify(user, key=..., title=...)` keeps one notification per user and key: a reminder job that
runs every hour can call it on every run and the user hears of each date once. The text is
rendered in the user's language by the caller (wrap it in `translation.override`), or passed as
lazy strings, which are rendered here in the language of the site. A mail goes out too when the
user has an address and `ACCORD_NOTIFY_BY_MAIL` is on (default).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification

KEY_MAX = 200


def notify(
    user: Any,
    *,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    due_on: date | None = None,
) -> Notification | None:
    """Tell `user` once about `key`; returns the new notification, or None when the user was
    already told (or is inactive)."""
    if user is None or not getattr(user, "is_active", False):
        return None
    key = key[:KEY_MAX]
    if Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user,
                key=key,
                kind=kind[:40],
                title=str(title)[:300],
                body=str(body),
                url=url[:500],
                due_on=due_on,
            )
    except IntegrityError:  # told by a concurrent run a moment ago
        return None
    if getattr(settings, "ACCORD_NOTIFY_BY_MAIL", True) and user.email:
        transaction.on_commit(lambda: _mail(note))
    return note


def notify_many(users: Iterable[Any], **kwargs: Any) -> list[Notification]:
    """`notify` for each user (e.g. every member of the team that owns a record)."""
    sent = []
    for user in users:
        note = notify(user, **kwargs)
        if note is not None:
            sent.append(note)
    return sent


def _mail(note: Notification) -> None:
    link = note.url
    base = getattr(settings, "ACCORD_BASE_URL", "")
    if link and base and link.startswith("/"):
        link = base.rstrip("/") + link
    text = "\n\n".join(part for part in (note.body, link) if part)
    send_mail(note.title, text, None, [note.user.email], fail_silently=True)


def unread(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def user_notifications(
    user: Any, *, unread: bool = False, kind: str = "", q: str = ""
) -> QuerySet[Notification]:
    """The user's notifications, newest first, narrowed the way the list page and the API let
    a user narrow them: only the unread ones, one kind, a word in the title."""
    qs = Notification.objects.filter(user=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def kinds_of(user: Any) -> list[str]:
    """The kinds of notification the user has received, for the list's kind filter."""
    kinds = (
        Notification.objects.filter(user=user)
        .exclude(kind="")
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    )
    return list(kinds)


def unread_count(user: Any) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return unread(user).count()


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `ids` is None); returns how many."""
    qs = unread(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
