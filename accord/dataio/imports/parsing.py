"""Text from a cell → a value: dates (German and ISO), times, numbers, choices by their German or
English label, countries by name or code, lists, and whole names split into their parts.

Each parser raises `ValueError` with a message for the user naming the value; the row processing
puts it on the row and field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from .columns import normalize_header

_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M", "%H:%M:%S.%f")
_LIST_SPLIT = re.compile(r"\s*[,;|/]\s*")
_INT = re.compile(r"(\d+)(?:[.,]0*)?")


def parse_date(text: str) -> dt.date:
    """ "31.12.2025", "31.12.25", "2025-12-31", "31/12/2025" (also with a time, which is dropped)."""
    value = text.strip()
    head = value.split("T")[0].split(" ")[0] if len(value) > 10 else value
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a valid date (write e.g. 31.12.2025 or 2025-12-31).")
        % {"value": text}
    )


def user_zone(user: Any) -> dt.tzinfo:
    name = getattr(user, "time_zone", "") or ""
    try:
        return ZoneInfo(name) if name else timezone.get_current_timezone()
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def parse_datetime(text: str, zone: dt.tzinfo) -> dt.datetime:
    """A date with an optional time; without a zone the user's zone is meant. A date alone is the
    start of that day."""
    value = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is None:
        date_part, _sep, time_part = value.partition(" ")
        time_part = time_part.strip().removesuffix("Uhr").strip()
        try:
            day = parse_date(date_part)
        except ValueError:
            raise ValueError(
                _(
                    "“%(value)s” is not a valid date and time (write e.g. 31.12.2025 14:30 or "
                    "2025-12-31T14:30)."
                )
                % {"value": text}
            ) from None
        clock = dt.time(0, 0)
        if time_part:
            for fmt in _TIME_FORMATS:
                try:
                    clock = dt.datetime.strptime(time_part, fmt).time()
                    break
                except ValueError:
                    continue
            else:
                raise ValueError(
                    _("“%(value)s” is not a valid time of day.") % {"value": time_part}
                )
        parsed = dt.datetime.combine(day, clock)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def parse_int(text: str, *, minimum: int = 0) -> int:
    """ "45", "45,0", "1 200" → a whole number."""
    match = _INT.fullmatch(text.strip().replace(" ", ""))
    if match is None:
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
    number = int(match.group(1))
    if number < minimum:
        raise ValueError(_("“%(value)s” is too small.") % {"value": text})
    return number


def split_list(text: str) -> list[str]:
    """ "Kunde, Lieferant" / "a; b" / "a | b" → the parts, without empty ones."""
    return [part for part in _LIST_SPLIT.split(text.strip()) if part]


@lru_cache(maxsize=64)
def _choice_lookup(choices: tuple[tuple[str, str], ...], extra: tuple[tuple[str, str], ...]):
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[normalize_header(value)] = value
        for language in ("en", "de"):
            with translation.override(language):
                lookup.setdefault(normalize_header(str(label)), value)
    for alias, value in extra:
        lookup.setdefault(normalize_header(alias), value)
    return lookup


def parse_choice(
    text: str, choices: Iterable[tuple[Any, Any]], extra: dict[str, str] | None = None
) -> str:
    """A choice by its stored value or its label in German or English (case and dashes ignored)."""
    key = tuple((str(v), str(label)) for v, label in choices)
    lookup = _choice_lookup(key, tuple(sorted((extra or {}).items())))
    found = lookup.get(normalize_header(text))
    if found is None:
        labels = ", ".join(str(label) for _v, label in key)
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels}
        )
    return found


@lru_cache(maxsize=1)
def _country_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in ("en", "de"):
        with translation.override(language):
            for code, name in countries:
                lookup.setdefault(normalize_header(str(name)), code)
    for code, _name in countries:
        lookup[normalize_header(code)] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            lookup.setdefault(normalize_header(alpha3), code)
    for alias, code in {
        "deutschland": "DE",
        "brd": "DE",
        "germany": "DE",
        "oesterreich": "AT",
        "schweiz": "CH",
        "uk": "GB",
        "england": "GB",
        "grossbritannien": "GB",
        "usa": "US",
        "vereinigtestaaten": "US",
        "holland": "NL",
        "niederlande": "NL",
    }.items():
        lookup.setdefault(alias, code)
    return lookup


def parse_country(text: str) -> str:
    """ "DE", "DEU", "Deutschland", "Germany" → "DE"."""
    code = _country_lookup().get(normalize_header(text))
    if code is None:
        raise ValueError(_("“%(value)s” is not a country we know.") % {"value": text})
    return code


_TITLES = ("prof. dr.", "prof.", "dr. med.", "dr.-ing.", "dr.", "dipl.-ing.", "dipl.-kfm.", "mag.")
_SALUTATIONS = ("herr", "frau", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "divers")


def split_name(text: str) -> dict[str, str]:
    """ "Dr. Anna Roth", "Roth, Anna", "Frau Prof. Dr. Anna-Lena von Roth" → salutation, academic
    title, first name, last name (the last word, with "von", "van", "de" … before it)."""
    rest = " ".join(text.split())
    parts: dict[str, str] = {}
    lowered = rest.casefold()
    for salutation in _SALUTATIONS:
        if lowered.startswith(salutation + " "):
            parts["salutation"] = rest[: len(salutation)]
            rest = rest[len(salutation) :].strip()
            break
    titles = []
    changed = True
    while changed:
        changed = False
        for title in _TITLES:
            if rest.casefold().startswith(title + " "):
                titles.append(rest[: len(title)])
                rest = rest[len(title) :].strip()
                changed = True
    if titles:
        parts["academic_title"] = " ".join(titles)
    if "," in rest:
        last, _sep, first = rest.partition(",")
        parts["last_name"], parts["first_name"] = last.strip(), first.strip()
        return parts
    words = rest.split(" ")
    cut = len(words) - 1
    while cut > 0 and words[cut - 1].casefold() in {"von", "van", "de", "der", "zu", "den", "vom"}:
        cut -= 1
    parts["first_name"] = " ".join(words[:cut])
    parts["last_name"] = " ".join(words[cut:])
    return parts
