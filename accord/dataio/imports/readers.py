"""Reading an uploaded table (CSV or XLSX) row by row, with bounded memory, refusing hostile files.

`inspect_table()` runs once, right after the upload, before anything else reads the file: it finds the
format, the encoding and the delimiter, checks the whole file for what would make a later step fail or
eat the server's memory (binary content, a line of 100 MB, a ZIP bomb disguised as a workbook, XML
with a DTD or entities) and returns the header row with a few sample rows. `iter_rows()` then streams
the data rows, numbered as a spreadsheet numbers them (the header is row 1).

Every refusal is a `FileRejected` whose message names the file and, where it can, the row.
No Django import: the rules here are plain Python and tested without a database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

# A physical line (bytes) longer than this is refused before the CSV parser sees it.
MAX_LINE_BYTES = 1_000_000
# One field (a multi-line note, say) may be at most this long.
MAX_FIELD_CHARS = 1_000_000
MAX_COLUMNS = 250
SAMPLE_ROWS = 5
CHUNK = 1 << 20
# XLSX: a workbook is a ZIP of XML parts. Refused when the parts unpack to more than this …
XLSX_MAX_UNCOMPRESSED = 400 * 1024 * 1024
# … or one part unpacks more than this many times its packed size (XML sheets pack 5–30 times;
# a ZIP bomb thousands of times). Small parts are not judged by their ratio.
XLSX_MAX_RATIO = 200
XLSX_RATIO_MIN_SIZE = 1024 * 1024
XLSX_MAX_MEMBERS = 10_000
# openpyxl keeps the shared strings of a workbook in memory: bound them.
XLSX_MAX_SHARED_STRINGS = 64 * 1024 * 1024
CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
DELIMITERS = (",", ";", "\t", "|")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


class FileRejected(Exception):
    """The file cannot be imported; `message` says why, naming the file (and row)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class TableInfo:
    """What the inspection found: format, encoding, delimiter, header and sample rows."""

    format: str
    headers: list[str]
    sample: list[list[str]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    total_hint: int | None = None  # data rows, where cheaply known (progress only)


Opener = Callable[[], IO[bytes]]


def detect_format(filename: str, head: bytes) -> str:
    """ "xlsx" for a ZIP (whatever the name says), "csv" otherwise; a name ending in .xlsx that is
    not a ZIP is refused."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileRejected(
            _("“%(file)s” is not a valid XLSX workbook (it is not a ZIP archive).")
            % {"file": filename}
        )
    if filename.lower().endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            _(
                "“%(file)s” is an old Excel workbook (.xls); save it as .xlsx or CSV and upload "
                "it again."
            )
            % {"file": filename}
        )
    return "csv"


def inspect_table(open_file: Opener, filename: str) -> TableInfo:
    """Check the whole file and read its header and first rows; raise FileRejected if unusable."""
    with open_file() as fh:
        head = fh.read(8)
    fmt = detect_format(filename, head)
    if fmt == "xlsx":
        return _inspect_xlsx(open_file, filename)
    return _inspect_csv(open_file, filename)


def iter_rows(open_file: Opener, filename: str, info: TableInfo) -> Iterator[tuple[int, list[str]]]:
    """The data rows as (row number, cells as text), the header being row 1; blank rows skipped.

    Every row has exactly as many cells as the header (cut or padded)."""
    width = len(info.headers)
    source = _xlsx_rows if info.format == "xlsx" else _csv_rows
    for number, cells in source(open_file, filename, info):
        if number == 1:
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            cells = cells[:width]
        if any(c.strip() for c in cells):
            yield number, cells


# --- CSV ---------------------------------------------------------------------------------------


def _where(row: int, line: int) -> str:
    if row == line:
        return _("row %(row)s") % {"row": row}
    return _("row %(row)s (line %(line)s)") % {"row": row, "line": line}


def scan_csv(open_file: Opener, filename: str) -> str:
    """Read the raw bytes once: refuse binary content and overlong lines, and return the first of
    UTF-8 (with or without BOM), Windows-1252 and Latin-1 that decodes the whole file."""
    decoders = {enc: codecs.getincrementaldecoder(enc)() for enc in CSV_ENCODINGS[:-1]}
    failed: set[str] = set()
    line, row, line_bytes, in_quotes, size = 1, 1, 0, False, 0
    with open_file() as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if b"\x00" in chunk:
                before = chunk[: chunk.index(b"\x00")]
                nul_line = line + before.count(b"\n")
                raise FileRejected(
                    _(
                        "“%(file)s” contains binary data (a NUL byte on line %(line)s): it is not a "
                        "CSV text file. Save it as CSV (UTF-8 or Windows-1252) and upload it again."
                    )
                    % {"file": filename, "line": nul_line}
                )
            parts = chunk.split(b"\n")
            for i, part in enumerate(parts):
                line_bytes += len(part)
                if line_bytes > MAX_LINE_BYTES:
                    raise FileRejected(
                        _(
                            "“%(file)s”, %(where)s: the line is longer than %(limit)s characters; "
                            "the file is damaged or not a CSV file."
                        )
                        % {
                            "file": filename,
                            "where": _where(row, line),
                            "limit": f"{MAX_LINE_BYTES:,}",
                        }
                    )
                if part.count(b'"') % 2:
                    in_quotes = not in_quotes
                if i < len(parts) - 1:  # a newline follows this part
                    line += 1
                    line_bytes = 0
                    if not in_quotes:
                        row += 1
            for enc, decoder in decoders.items():
                if enc in failed:
                    continue
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    failed.add(enc)
    if size == 0:
        raise FileRejected(_("“%(file)s” is empty.") % {"file": filename})
    for enc, decoder in decoders.items():
        if enc not in failed:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return enc
    return CSV_ENCODINGS[-1]  # Latin-1 decodes every byte


def _text_stream(open_file: Opener, encoding: str) -> tuple[IO[bytes], io.TextIOWrapper]:
    raw = open_file()
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline="")


def _sniff_delimiter(sample: str) -> str:
    """csv.Sniffer on a sample; when it fails or disagrees with the header, count candidates in the
    header line (outside quotes)."""
    lines = [ln for ln in sample.splitlines() if ln.strip()][:20]
    if not lines:
        return ","
    header = lines[0]

    def width(delim: str, text: str) -> int:
        return len(next(csv.reader([text], delimiter=delim), []))

    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in DELIMITERS and width(sniffed, header) > 1:
        return sniffed
    counts = {d: width(d, header) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] > 1 else ","


def _csv_reader(text: io.TextIOWrapper, delimiter: str):
    csv.field_size_limit(MAX_FIELD_CHARS)
    return csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)


def _inspect_csv(open_file: Opener, filename: str) -> TableInfo:
    encoding = scan_csv(open_file, filename)
    raw, text = _text_stream(open_file, encoding)
    with raw:
        sample = text.read(64 * 1024)
        cut = sample.rfind("\n")
        delimiter = _sniff_delimiter(sample[: cut + 1] if cut > 0 else sample)
    info = TableInfo(format="csv", headers=[], encoding=encoding, delimiter=delimiter)
    rows: list[list[str]] = []
    for number, cells in _csv_rows(open_file, filename, info):
        if number == 1:
            info.headers = _headers(cells, filename)
            continue
        if any(c.strip() for c in cells):
            rows.append(cells)
        if len(rows) >= SAMPLE_ROWS:
            break
    if not info.headers:
        raise FileRejected(_("“%(file)s” is empty.") % {"file": filename})
    width = len(info.headers)
    info.sample = [(r + [""] * width)[:width] for r in rows]
    return info


def _csv_rows(open_file: Opener, filename: str, info: TableInfo) -> Iterator[tuple[int, list[str]]]:
    raw, text = _text_stream(open_file, info.encoding or "utf-8-sig")
    with raw:
        reader = _csv_reader(text, info.delimiter or ",")
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileRejected(
                    _("“%(file)s”, row %(row)s: %(reason)s")
                    % {"file": filename, "row": number + 1, "reason": _csv_reason(exc)}
                ) from exc
            except UnicodeDecodeError as exc:  # the file changed since it was inspected
                raise FileRejected(
                    _("“%(file)s”, row %(row)s: the text is not in %(encoding)s.")
                    % {"file": filename, "row": number + 1, "encoding": info.encoding}
                ) from exc
            number += 1
            yield number, [c.strip() for c in cells]


def _csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return _("a field is longer than %(limit)s characters.") % {"limit": f"{MAX_FIELD_CHARS:,}"}
    return _("the row cannot be read as CSV (%(error)s).") % {"error": exc}


def _headers(cells: list[str], filename: str) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    if not cells:
        raise FileRejected(
            _("“%(file)s”: the first row must name the columns, but it is empty.")
            % {"file": filename}
        )
    if len(cells) > MAX_COLUMNS:
        raise FileRejected(
            _("“%(file)s” has %(n)s columns; at most %(max)s can be imported.")
            % {"file": filename, "n": len(cells), "max": MAX_COLUMNS}
        )
    return [c.strip() or _("Column %(n)s") % {"n": i + 1} for i, c in enumerate(cells)]


# --- XLSX --------------------------------------------------------------------------------------


def _not_xlsx(filename: str, reason: str) -> FileRejected:
    return FileRejected(
        _("“%(file)s” is not a readable XLSX workbook: %(reason)s")
        % {"file": filename, "reason": reason}
    )


def check_xlsx_archive(open_file: Opener, filename: str) -> None:
    """Before openpyxl opens it: a valid ZIP, of sane unpacked size, whose XML has no DTD."""
    with open_file() as fh:
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise _not_xlsx(filename, _("the ZIP archive is damaged.")) from exc
        with archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_MEMBERS:
                raise _not_xlsx(filename, _("it holds too many parts."))
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(
                n.startswith("xl/worksheets/") for n in names
            ):
                raise _not_xlsx(filename, _("it has no worksheet."))
            total = 0
            for member in members:
                total += member.file_size
                packed = max(member.compress_size, 1)
                bomb = member.file_size > XLSX_RATIO_MIN_SIZE and (
                    member.file_size / packed > XLSX_MAX_RATIO
                )
                if bomb or total > XLSX_MAX_UNCOMPRESSED:
                    raise FileRejected(
                        _(
                            "“%(file)s” unpacks to far more data than a workbook holds (a ZIP "
                            "bomb?) and was not opened."
                        )
                        % {"file": filename}
                    )
                if member.filename == "xl/sharedStrings.xml" and (
                    member.file_size > XLSX_MAX_SHARED_STRINGS
                ):
                    raise FileRejected(
                        _("“%(file)s” is too large to import as XLSX; save it as CSV instead.")
                        % {"file": filename}
                    )
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    _check_xml_prolog(archive, member, filename)


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str) -> None:
    """XML in a workbook never declares a DTD or entities: refuse any that does (entity expansion,
    external entities). Only the prolog is read — a DTD must come before the first element."""
    carry = b""
    try:
        with archive.open(member) as part:
            while True:
                chunk = part.read(64 * 1024)
                if not chunk:
                    return
                if not carry and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise _not_xlsx(filename, _("its XML is not UTF-8."))
                data = carry + chunk
                element = _ELEMENT_START.search(data)
                end = element.start() if element else len(data)
                if b"<!DOCTYPE" in data[:end] or b"<!ENTITY" in data[:end]:
                    raise FileRejected(
                        _(
                            "“%(file)s” contains XML with a document type or entity declarations "
                            "(%(part)s), which a workbook never needs; it was not opened."
                        )
                        % {"file": filename, "part": member.filename}
                    )
                if element:
                    return
                carry = data[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise _not_xlsx(filename, _("the ZIP archive is damaged.")) from exc


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def _open_workbook(open_file: Opener, filename: str):
    import openpyxl
    from defusedxml import DefusedXmlException

    check_xlsx_archive(open_file, filename)
    fh = open_file()
    try:
        workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
    except DefusedXmlException as exc:
        fh.close()
        raise FileRejected(
            _("“%(file)s” contains XML with entity declarations; it was not opened.")
            % {"file": filename}
        ) from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        fh.close()
        raise _not_xlsx(
            filename, _("it could not be opened (%(error)s).") % {"error": exc}
        ) from exc
    return fh, workbook


def _inspect_xlsx(open_file: Opener, filename: str) -> TableInfo:
    fh, workbook = _open_workbook(open_file, filename)
    try:
        if not workbook.worksheets:
            raise _not_xlsx(filename, _("it has no worksheet."))
        sheet = workbook.worksheets[0]
        total = sheet.max_row - 1 if sheet.max_row else None
        info = TableInfo(format="xlsx", headers=[], sheet=sheet.title, total_hint=total)
    finally:
        workbook.close()
        fh.close()
    rows: list[list[str]] = []
    for number, cells in _xlsx_rows(open_file, filename, info):
        if number == 1:
            info.headers = _headers(cells, filename)
            continue
        if any(cells):
            rows.append(cells)
        if len(rows) >= SAMPLE_ROWS:
            break
    if not info.headers:
        raise FileRejected(_("“%(file)s” is empty.") % {"file": filename})
    width = len(info.headers)
    info.sample = [(r + [""] * width)[:width] for r in rows]
    return info


def _xlsx_rows(
    open_file: Opener, filename: str, info: TableInfo
) -> Iterator[tuple[int, list[str]]]:
    from defusedxml import DefusedXmlException

    fh, workbook = _open_workbook(open_file, filename)
    number = 0
    try:
        sheet = (
            workbook[info.sheet] if info.sheet in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except DefusedXmlException as exc:
                raise FileRejected(
                    _("“%(file)s” contains XML with entity declarations; it was not opened.")
                    % {"file": filename}
                ) from exc
            except Exception as exc:  # noqa: BLE001 - a damaged sheet: name the row
                raise FileRejected(
                    _("“%(file)s”, row %(row)s: the worksheet cannot be read (%(error)s).")
                    % {"file": filename, "row": number + 1, "error": exc}
                ) from exc
            number += 1
            if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
                raise FileRejected(
                    _("“%(file)s”, row %(row)s has more than %(max)s columns.")
                    % {"file": filename, "row": number, "max": MAX_COLUMNS}
                )
            yield number, [_cell_text(v) for v in values[:MAX_COLUMNS]]
    finally:
        workbook.close()
        fh.close()
