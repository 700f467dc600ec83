"""Writes of the exports app: start export jobs, write their files, back up and restore.

`lists` exports one list as CSV/XLSX, `full` everything a user may see as JSON, `backup` the whole
instance (`accord backup` / `accord restore`).
"""

from .full import FULL_EXPORT_JOB, run_full_export, start_full_export, write_full_export
from .lists import (
    FORMATS,
    LIST_EXPORT_JOB,
    direct_export_limit,
    export_filename,
    start_list_export,
    user_time_zone,
    write_list_file,
)

__all__ = [
    "FORMATS",
    "FULL_EXPORT_JOB",
    "LIST_EXPORT_JOB",
    "direct_export_limit",
    "export_filename",
    "run_full_export",
    "start_full_export",
    "start_list_export",
    "user_time_zone",
    "write_full_export",
    "write_list_file",
]
