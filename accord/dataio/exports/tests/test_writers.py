"""Formula neutralisation (OWASP CSV injection) and the CSV/XLSX writers, without a database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from accord.dataio.exports.writers import csv_chunks, neutralise, write_csv, write_xlsx

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("lead", TRIGGERS)
def test_text_starting_with_a_trigger_gets_a_quote(lead):
    assert neutralise(f"{lead}1+2") == f"'{lead}1+2"


@pytest.mark.parametrize("value", ["Müller", "a=b", " =1", "'=1", "", "1+2", "x-1"])
def test_other_text_stays(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-1, -1.5, Decimal("-12.50"), 0, True, None, dt.date(2024, 1, 1)])
def test_non_text_stays(value):
    assert neutralise(value) is value


def _csv(rows, headers=("A", "B")) -> list[list[str]]:
    out = io.BytesIO()
    write_csv(list(headers), rows, out)
    text = out.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _xlsx(rows, headers=("A", "B")):
    out = io.BytesIO()
    written = write_xlsx(list(headers), rows, out, title="Test: [x]")
    assert written == len(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    return sheet


@pytest.mark.parametrize("lead", TRIGGERS)
def test_csv_neutralises_each_trigger(lead):
    rows = _csv([[f"{lead}cmd|' /C calc'!A0", "ok"]])
    assert rows[1] == [f"'{lead}cmd|' /C calc'!A0", "ok"]


def test_csv_keeps_numbers_and_neutralises_numeric_looking_text():
    rows = _csv([[-5, "-1+2"], [Decimal("-12.50"), "+49 30 1234"], [1.5, True]])
    assert rows[1] == ["-5", "'-1+2"]
    assert rows[2] == ["-12.50", "'+49 30 1234"]
    assert rows[3] == ["1.5", "true"]


def test_csv_writes_times_without_zone_and_headers_neutralised_too():
    when = dt.datetime(2024, 5, 1, 14, 3, 9, tzinfo=dt.UTC)
    rows = _csv([[when, dt.date(2024, 5, 2)]], headers=("=Name", "Date"))
    assert rows[0] == ["'=Name", "Date"]
    assert rows[1] == ["2024-05-01 14:03:09", "2024-05-02"]


def test_csv_streams_in_chunks_and_quotes_separators_and_newlines():
    rows = [[f"row {i}; with, comma", "line\nbreak"] for i in range(5000)]
    chunks = list(csv_chunks(["A", "B"], rows))
    assert len(chunks) > 1  # not one big string
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8")[1:], newline="")))
    assert parsed[1] == ["row 0; with, comma", "line\nbreak"] and len(parsed) == 5001


@pytest.mark.parametrize("lead", TRIGGERS)
def test_xlsx_neutralises_each_trigger_and_writes_text_never_a_formula(lead):
    sheet = _xlsx([[f"{lead}SUM(A1:A2)", "x"]])
    cell = sheet["A2"]
    assert cell.data_type == "s"
    # text with the quote in front (XML reads a carriage return back as a line feed)
    assert cell.value == f"'{lead}SUM(A1:A2)".replace("\r", "\n")


def test_xlsx_keeps_numbers_dates_and_booleans_typed():
    when = dt.datetime(2024, 5, 1, 14, 3, tzinfo=dt.UTC)
    sheet = _xlsx([[-5, "-1+2"], [Decimal("-12.5"), when], [True, dt.date(2024, 5, 2)]])
    assert sheet["A2"].value == -5 and sheet["A2"].data_type == "n"
    assert sheet["B2"].value == "'-1+2" and sheet["B2"].data_type == "s"
    assert sheet["A3"].value == -12.5
    assert sheet["B3"].value == dt.datetime(2024, 5, 1, 14, 3)  # no zone: Excel has none
    assert sheet["A4"].value is True
    assert sheet["B4"].value == dt.datetime(2024, 5, 2)


def test_xlsx_writes_error_codes_as_text_and_drops_control_characters():
    sheet = _xlsx([["#N/A", "bad\x00\x07text"]])
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "#N/A"
    assert sheet["B2"].value == "badtext"


def test_xlsx_header_row_is_bold_and_frozen():
    sheet = _xlsx([["a", "b"]], headers=("Name", "+Header"))
    assert sheet["A1"].value == "Name" and sheet["A1"].font.bold
    assert sheet["B1"].value == "'+Header"
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Test   x"
