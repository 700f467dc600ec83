"""Webhook settings with their defaults (each may be set in the Django settings).

* `ACCORD_WEBHOOK_ALLOWED_HOSTS`: hosts allowed although internal (also managed on a page).
* `ACCORD_WEBHOOK_TIMEOUT`: seconds to connect and per read (default 5); 2× that in total.
* `ACCORD_WEBHOOK_RETRY_DELAYS`: seconds before each retry (default 1 min, 5 min, 30 min, 2 h,
  6 h, 12 h: seven attempts over about 21 hours).
* `ACCORD_WEBHOOK_DISABLE_AFTER_FAILURES`: failed attempts in a row, across deliveries, after which
  an endpoint is disabled (default 10) …
* `ACCORD_WEBHOOK_DISABLE_MIN_FAILING`: … provided it has been failing for at least this many
  seconds (default 3600), so that a receiver's short outage does not disable it.
* `ACCORD_WEBHOOK_LOG_DAYS`: finished deliveries are kept this many days (default 30).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULT_RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600)


def allowed_hosts_setting() -> list[str]:
    return list(getattr(settings, "ACCORD_WEBHOOK_ALLOWED_HOSTS", []) or [])


def timeout() -> float:
    return float(getattr(settings, "ACCORD_WEBHOOK_TIMEOUT", 5))


def retry_delays() -> list[timedelta]:
    seconds = getattr(settings, "ACCORD_WEBHOOK_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)
    return [timedelta(seconds=float(s)) for s in seconds]


def max_attempts() -> int:
    return len(retry_delays()) + 1


def disable_after_failures() -> int:
    return int(getattr(settings, "ACCORD_WEBHOOK_DISABLE_AFTER_FAILURES", 10))


def disable_min_failing() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "ACCORD_WEBHOOK_DISABLE_MIN_FAILING", 3600)))


def log_days() -> int:
    return int(getattr(settings, "ACCORD_WEBHOOK_LOG_DAYS", 30))
