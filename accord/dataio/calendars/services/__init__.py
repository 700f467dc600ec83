"""Writes of the calendars app: uploads that start import jobs, the vCard and iCalendar imports
(run by the jobs, writing through the parties and interactions services), and the calendar
subscription tokens."""

from .feed import calendar_feed_revoke, calendar_feed_rotate, calendar_feed_touch, token_hash
from .ical import ical_import_run
from .uploads import calendar_import_start
from .vcard import vcard_import_run

__all__ = [
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "calendar_feed_touch",
    "calendar_import_start",
    "ical_import_run",
    "token_hash",
    "vcard_import_run",
]
