"""Recurrence rules of service schedules (RFC 5545 RRULE text, read by `dateutil.rrule`).

A schedule stores its rule as RRULE text without DTSTART, COUNT and UNTIL (those are fields of
the schedule), e.g. `FREQ=MONTHLY;INTERVAL=6`. The form offers simple choices ("every N weeks on
a weekday", "every N months on a day of the month or on the first/last weekday") and builds the
text with `build_rule`; a raw rule typed by the user is checked with `parse_rule`.

Occurrences are computed on naive local wall-clock times and made aware afterwards, so that
"every 6 months at 09:00" stays at 09:00 across daylight-saving changes. Pure Python: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil import rrule as du

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = {"WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY, "DAILY": du.DAILY}
FORBIDDEN_PARTS = ("DTSTART", "COUNT", "UNTIL")
MAX_RULE_LENGTH = 250


class RuleError(ValueError):
    """The rule text cannot be used; the message says why (English, the caller translates)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class SimpleRule:
    """The choices of the schedule form."""

    frequency: str  # WEEKLY, MONTHLY, YEARLY
    interval: int = 1
    weekday: str = ""  # MO … SU (weekly: the day; monthly with `ordinal`: which weekday)
    ordinal: int = 0  # monthly: 1..4 or -1 (last) `weekday` of the month
    month_day: int = 0  # monthly: the day of the month (1..31; months without it are skipped)


def build_rule(simple: SimpleRule) -> str:
    """ "FREQ=MONTHLY;INTERVAL=6" or "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO" …"""
    if simple.frequency not in FREQUENCIES:
        raise RuleError("frequency")
    if simple.interval < 1:
        raise RuleError("interval")
    parts = [f"FREQ={simple.frequency}"]
    if simple.interval != 1:
        parts.append(f"INTERVAL={simple.interval}")
    if simple.weekday and simple.weekday not in WEEKDAYS:
        raise RuleError("weekday")
    if simple.frequency == "WEEKLY" and simple.weekday:
        parts.append(f"BYDAY={simple.weekday}")
    elif simple.frequency == "MONTHLY":
        if simple.ordinal and simple.weekday:
            if simple.ordinal not in (1, 2, 3, 4, -1):
                raise RuleError("ordinal")
            parts.append(f"BYDAY={simple.ordinal}{simple.weekday}")
        elif simple.month_day:
            if not 1 <= simple.month_day <= 31:
                raise RuleError("month_day")
            parts.append(f"BYMONTHDAY={simple.month_day}")
    return ";".join(parts)


def normalize_rule(text: str) -> str:
    """Upper case, no "RRULE:" prefix, no spaces, no empty parts."""
    text = (text or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    return ";".join(p.strip() for p in text.replace(" ", "").split(";") if p.strip())


def parse_rule(text: str, start: dt.datetime | None = None) -> du.rrule:
    """The rule object for `text` (normalized) starting at `start` (naive); RuleError if the text
    is no usable rule: empty, too long, not RRULE syntax, with DTSTART/COUNT/UNTIL inside, or
    never occurring."""
    text = normalize_rule(text)
    if not text:
        raise RuleError("empty")
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError("too_long")
    names = {p.split("=", 1)[0] for p in text.split(";")}
    if "FREQ" not in names:
        raise RuleError("no_freq")
    found = [n for n in FORBIDDEN_PARTS if n in names]
    if found:
        raise RuleError("forbidden", ", ".join(found))
    start = start or dt.datetime(2000, 1, 1, 9, 0)
    try:
        rule = du.rrulestr(text, dtstart=start.replace(tzinfo=None), forceset=False)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RuleError("syntax", str(exc)) from None
    if not isinstance(rule, du.rrule):
        raise RuleError("syntax")
    try:
        first = rule.after(start.replace(tzinfo=None), inc=True)
    except (ValueError, OverflowError) as exc:
        raise RuleError("syntax", str(exc)) from None
    if first is None:
        raise RuleError("never")
    return rule


def occurrences(
    text: str,
    *,
    start: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
    until: dt.date | None = None,
    count: int | None = None,
    limit: int = 1000,
) -> Iterator[dt.datetime]:
    """The naive local starts of the occurrences in [window_start, window_end], the first at
    `start` (all naive local wall-clock times); `count` counts from the first occurrence ever,
    `until` is the last day an occurrence may fall on."""
    start = start.replace(second=0, microsecond=0)  # dateutil drops microseconds from DTSTART
    rule = parse_rule(text, start)
    kwargs: dict = {}
    if count:
        kwargs["count"] = count
    elif until is not None:
        kwargs["until"] = dt.datetime.combine(until, dt.time.max)
    if kwargs:
        rule = rule.replace(**kwargs)
    for found, when in enumerate(rule.xafter(max(window_start, start), inc=True)):
        if when > window_end or found >= limit:
            return
        yield when


def first_occurrences(text: str, *, start: dt.datetime, n: int = 5) -> list[dt.datetime]:
    """The first `n` occurrences from `start` (naive local)."""
    start = start.replace(second=0, microsecond=0)
    rule = parse_rule(text, start)
    return list(rule.xafter(start, count=n, inc=True))


def simple_from_rule(text: str) -> SimpleRule | None:
    """The form's choices that build exactly this rule, or None (a raw rule)."""
    text = normalize_rule(text)
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    freq = parts.pop("FREQ", "")
    if freq not in ("WEEKLY", "MONTHLY", "YEARLY"):
        return None
    try:
        interval = int(parts.pop("INTERVAL", "1"))
    except ValueError:
        return None
    weekday, ordinal, month_day = "", 0, 0
    byday = parts.pop("BYDAY", "")
    bymonthday = parts.pop("BYMONTHDAY", "")
    if parts:
        return None
    try:
        if byday:
            if "," in byday:
                return None
            weekday = byday[-2:]
            if byday[:-2]:
                ordinal = int(byday[:-2])
        if bymonthday:
            month_day = int(bymonthday)
    except ValueError:
        return None
    simple = SimpleRule(freq, interval, weekday, ordinal, month_day)
    try:
        return simple if build_rule(simple) == text else None
    except RuleError:
        return None
