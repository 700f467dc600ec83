"""Reading uploads: encodings, delimiters, XLSX, and the hostile files that must be refused with a
message naming the file and row, in bounded memory. No database needed."""

from __future__ import annotations

import tracemalloc

import pytest

from accord.dataio.imports import readers
from accord.dataio.imports.readers import FileRejected, inspect_table, iter_rows

from .files import entity_xlsx, opener, rezip, xlsx, zip_bomb_xlsx

GERMAN = "Firma;Straße;Ort;Betrag\nMüller & Söhne GmbH;Große Gasse 3;Köln;5 €\nÖko-Bäckerei;Übersee 1;Fürth;\n"


def read(data: bytes, name: str = "t.csv"):
    info = inspect_table(opener(data), name)
    return info, list(iter_rows(opener(data), name, info))


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")],
)
def test_csv_encodings_are_detected_and_umlauts_survive(encoding, expected):
    info, rows = read(GERMAN.encode(encoding))
    assert info.encoding == expected
    assert info.headers == ["Firma", "Straße", "Ort", "Betrag"]
    assert rows[0] == (2, ["Müller & Söhne GmbH", "Große Gasse 3", "Köln", "5 €"])
    assert rows[1][1][0] == "Öko-Bäckerei"


def test_latin1_that_is_not_windows_1252_falls_back_to_latin1():
    # 0x81 is undefined in Windows-1252 (and invalid UTF-8), a byte Latin-1 reads as a control
    data = "Name;Ort\nJörg Weiß;Gießen\x81\n".encode("latin-1")
    info, rows = read(data)
    assert info.encoding == "latin-1"
    assert rows[0][1][0] == "Jörg Weiß"


def test_bom_does_not_end_up_in_the_first_header():
    info, _rows = read("\ufeffE-Mail,Name\na@b.de,Anna\n".encode())
    assert info.headers[0] == "E-Mail"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter):
    text = delimiter.join(["Vorname", "Nachname", "E-Mail"]) + "\n"
    text += delimiter.join(["Anna", '"Roth, Dr."', "anna@roth.de"]) + "\n"
    info, rows = read(text.encode())
    assert info.delimiter == delimiter
    assert rows == [(2, ["Anna", "Roth, Dr.", "anna@roth.de"])]


def test_semicolon_file_with_commas_inside_values():
    text = "Firma;Notiz\nMüller GmbH;Kunde seit 2019, sehr zufrieden, bitte anrufen\n"
    info, rows = read(text.encode("cp1252"))
    assert info.delimiter == ";"
    assert rows[0][1][1] == "Kunde seit 2019, sehr zufrieden, bitte anrufen"


def test_rows_are_numbered_like_a_spreadsheet_and_blank_rows_skipped():
    text = 'Name,Notiz\nA,x\n,\n"B","zwei\nZeilen"\nC\n'
    _info, rows = read(text.encode())
    assert [r[0] for r in rows] == [2, 4, 5]
    assert rows[1][1] == ["B", "zwei\nZeilen"]
    assert rows[2][1] == ["C", ""]  # short rows are padded to the header's width


def test_binary_content_is_refused_naming_the_file_and_line():
    data = b"Name,Email\nAnna,a@b.de\n\x00\x01\x02PK\x03\x04 binary"
    with pytest.raises(FileRejected) as exc:
        read(data, "kontakte.csv")
    assert "kontakte.csv" in exc.value.message and "line 3" in exc.value.message
    assert "binary" in exc.value.message


def test_utf16_is_refused_as_binary():
    with pytest.raises(FileRejected, match="binary"):
        read("Name;Ort\nMüller;Köln\n".encode("utf-16"))


def test_a_100_mb_single_line_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.csv"
    chunk = b"A" * (1024 * 1024)
    with path.open("wb") as fh:  # written lazily, never held in memory, deleted with tmp_path
        fh.write(b"Name,Email\nAnna,a@b.de\n")
        for _i in range(100):
            fh.write(chunk)
        fh.write(b",x@y.de\n")
    tracemalloc.start()
    try:
        with pytest.raises(FileRejected) as exc:
            inspect_table(lambda: path.open("rb"), "huge.csv")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "huge.csv" in exc.value.message and "row 3" in exc.value.message
    assert "longer than" in exc.value.message
    assert peak < 20 * 1024 * 1024  # a few chunks, not the line


def test_an_overlong_field_spanning_lines_names_the_row():
    field = ("x" * 999 + "\n") * 1100  # 1.1 million characters in short lines, inside quotes
    data = f'Name,Notiz\nAnna,"{field}"\n'.encode()
    info = inspect_table(opener(data[:200]), "t.csv")  # the header is fine
    with pytest.raises(FileRejected) as exc:
        list(iter_rows(opener(data), "notes.csv", info))
    assert "notes.csv" in exc.value.message and "row 2" in exc.value.message


def test_empty_files_and_files_without_header_are_refused():
    with pytest.raises(FileRejected, match="empty"):
        read(b"")
    with pytest.raises(FileRejected, match="first row"):
        read(b";;;\nAnna;Roth\n")


def test_old_excel_and_fake_xlsx_are_refused():
    with pytest.raises(FileRejected, match="xls"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "alt.xls")
    with pytest.raises(FileRejected, match="not a ZIP"):
        read(b"Name\nAnna\n", "kontakte.xlsx")


def test_xlsx_is_read_with_types_turned_into_text():
    import datetime as dt

    data = xlsx(
        [
            ["Vorname", "Nachname", "PLZ", "Seit", "Umsatz"],
            ["Anna", "Müller", 10115, dt.datetime(2024, 3, 1), 1234.5],
            [None, None, None, None, None],
            ["Jörg", "Weiß", "01067", dt.date(2023, 1, 31), 7.0],
        ]
    )
    info, rows = read(data, "kontakte.xlsx")
    assert info.format == "xlsx" and info.sheet == "Tabelle1"
    assert info.headers == ["Vorname", "Nachname", "PLZ", "Seit", "Umsatz"]
    assert rows == [
        (2, ["Anna", "Müller", "10115", "2024-03-01", "1234.5"]),
        (4, ["Jörg", "Weiß", "01067", "2023-01-31", "7"]),
    ]


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_opening():
    with pytest.raises(FileRejected) as exc:
        read(zip_bomb_xlsx(), "bomb.xlsx")
    assert "bomb.xlsx" in exc.value.message and "ZIP bomb" in exc.value.message


def test_xml_entities_in_a_workbook_are_refused():
    with pytest.raises(FileRejected) as exc:
        read(entity_xlsx(), "lol.xlsx")
    assert "lol.xlsx" in exc.value.message and "entity" in exc.value.message


def test_a_damaged_workbook_is_refused_with_the_file_name():
    data = rezip(
        xlsx([["Name"], ["A"]]), replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}
    )
    with pytest.raises(FileRejected, match="kaputt.xlsx"):
        read(data, "kaputt.xlsx")


def test_a_truncated_workbook_is_refused():
    data = xlsx([["Name"], ["A"]])
    with pytest.raises(FileRejected, match="not a readable XLSX"):
        read(data[: len(data) // 2], "halb.xlsx")


def test_too_many_columns_are_refused():
    header = ",".join(f"c{i}" for i in range(readers.MAX_COLUMNS + 1))
    with pytest.raises(FileRejected, match="columns"):
        read(f"{header}\n".encode())
