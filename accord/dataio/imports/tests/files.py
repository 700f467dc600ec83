"""Test files built in memory: XLSX workbooks (also hostile ones) and CSV text."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def xlsx(rows: list[list[object]], title: str = "Tabelle1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rezip(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a ZIP with some members replaced or added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def zip_bomb_xlsx() -> bytes:
    """A real workbook plus a part that unpacks to 30 MB from a few kilobytes."""
    return rezip(xlsx([["Name"], ["Müller GmbH"]]), add={"xl/media/image1.bin": b"\0" * 30_000_000})


def entity_xlsx() -> bytes:
    """A workbook whose sheet declares entities (a "billion laughs" in small)."""
    data = xlsx([["Name"], ["Müller GmbH"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    hostile = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' + body
    )
    return rezip(data, replace={"xl/worksheets/sheet1.xml": hostile.encode()})


def opener(data: bytes):
    return lambda: io.BytesIO(data)
