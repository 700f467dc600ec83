"""The two time zones Accord counts in.

* `company_zone()`: the company's (`TIME_ZONE`, e.g. Europe/Berlin). Periods, months, "today" of a
  daily job and business days are counted in it, whoever looks.
* `user_zone(user)`: the zone a user chose in their profile, the company's when they chose none (or
  an unknown one). Times shown to or written for one person (a reminder's text) use it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings


def company_zone() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def user_zone(user: Any) -> dt.tzinfo:
    name = getattr(user, "time_zone", "") or ""
    if not name:
        return company_zone()
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return company_zone()
