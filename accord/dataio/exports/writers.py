"""CSV and XLSX writers for exports, and the one rule that keeps spreadsheets from running cells.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula by
spreadsheet programs (CSV injection, OWASP). `neutralise()` prefixes such text with a single quote;
both writers pass every text cell through it, and the XLSX writer also stores text as text, never as
a formula. Numbers, dates and booleans stay typed (a negative amount is a number, not a formula).

The writers take a header row and an iterable of rows of plain values (see
`accord.core.tables.AccordTable.export_rows`) and never hold more than a chunk of rows in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
EXCEL_MAX_CELL_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
CSV_CHUNK_BYTES = 64 * 1024
WIDTH_SAMPLE_ROWS = 100
# XML 1.0 cannot hold these control characters; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Progress = Callable[[int], None]


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with `'`; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- CSV ----------------------------------------------------------------------------------------
def csv_text(value: Any) -> Any:
    """A value as a CSV field: numbers as numbers, times without zone (already local), text
    neutralised."""
    kind = type(value)
    if kind is str:  # the common case, first
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """A file-like object whose write() hands back what the csv writer wrote."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], progress: Progress | None = None
) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks (with a BOM, so Excel reads umlauts right)."""
    writer = csv.writer(_Line())
    parts: list[str] = ["\ufeff", writer.writerow([csv_text(h) for h in headers])]
    size = 0
    done = 0
    for row in rows:
        line = writer.writerow([csv_text(v) for v in row])
        parts.append(line)
        size += len(line)
        done += 1
        if size >= CSV_CHUNK_BYTES:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
            if progress is not None:
                progress(done)
    if parts:
        yield "".join(parts).encode("utf-8")
    if progress is not None:
        progress(done)


def write_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: IO[bytes],
    progress: Progress | None = None,
) -> None:
    for chunk in csv_chunks(headers, rows, progress):
        out.write(chunk)


# --- XLSX ---------------------------------------------------------------------------------------
def xlsx_value(value: Any) -> Any:
    """A value as an XLSX cell value: typed where it is a number, date or boolean, else text."""
    if type(value) is str and len(value) <= EXCEL_MAX_CELL_CHARS and value.isprintable():
        return neutralise(value)  # the common case
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime | dt.time):
        return value.replace(tzinfo=None)  # already local; Excel has no time zones
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    return neutralise(text[:EXCEL_MAX_CELL_CHARS])


def _width(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 18
    if isinstance(value, dt.date):
        return 11
    return len(str(value))


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: IO[bytes] | str,
    *,
    title: str = "Export",
    progress: Progress | None = None,
    progress_every: int = 1000,
) -> int:
    """Write an .xlsx workbook (openpyxl write-only: rows go to disk as they come); returns the
    number of data rows. Text is written as text: never a formula, never an error value."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    iterator = iter(rows)
    sample: list[list[Any]] = []
    for row in iterator:
        sample.append([xlsx_value(v) for v in row])
        if len(sample) >= WIDTH_SAMPLE_ROWS:
            break
    for index, header in enumerate(headers, start=1):
        seen = [_width(r[index - 1]) for r in sample if index - 1 < len(r)]
        width = max([len(str(header)), *seen]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_value(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    done = 0
    limit = EXCEL_MAX_ROWS - 1

    def append(values: list[Any]) -> None:
        if any(isinstance(v, str) and v in ERROR_CODES for v in values):
            values = [_text_cell(sheet, v) if isinstance(v, str) else v for v in values]
        sheet.append(values)

    for values in sample:
        append(values)
        done += 1
    for row in iterator:
        if done >= limit:
            break
        append([xlsx_value(v) for v in row])
        done += 1
        if progress is not None and done % progress_every == 0:
            progress(done)
    workbook.save(out)
    if progress is not None:
        progress(done)
    return done


def _text_cell(sheet: Any, value: str) -> WriteOnlyCell:
    """A cell holding `value` as text even where openpyxl would read it as an error code."""
    cell = WriteOnlyCell(sheet, value=None)
    cell._value = value
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or "Export"
    return cleaned[:31]
