"""The private calendar subscription: a secret token per user, stored only as its SHA-256 hash.

The token is made by `secrets.token_urlsafe(32)` (256 bits) and returned once, by
`calendar_feed_rotate`, so the page can show the URL; afterwards nobody — not even an administrator
with the database — can rebuild it. Rotating replaces it (the old URL stops working at once);
revoking deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import visibility

from ..models import CalendarFeed

# A subscribed client polls every few minutes; `last_used_at` need not be written every time.
TOUCH_INTERVAL = dt.timedelta(minutes=10)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def calendar_feed_rotate(*, actor: Any) -> str:
    """Create the user's subscription, or replace its token; returns the new token (shown once)."""
    if not visibility.is_authenticated(actor):
        raise PermissionDenied(_("Sign in first."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=actor,
            defaults={
                "token_hash": token_hash(token),
                "created_at": timezone.now(),
                "last_used_at": None,
            },
        )
    return token


def calendar_feed_revoke(*, actor: Any) -> bool:
    """Delete the user's subscription; its URL answers 404 from now on. True if there was one."""
    if not visibility.is_authenticated(actor):
        raise PermissionDenied(_("Sign in first."))
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(user=actor).delete()
    return bool(deleted)


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    """Note that the feed was fetched (at most every few minutes a write)."""
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_INTERVAL:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
