"""Column guessing from German and English headers, saved mappings, and reading cell values."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accord.dataio.imports import columns, parsing
from accord.dataio.imports.engine.matching import (
    domain_of,
    organization_name_key,
    person_name_key,
)
from accord.parties.choices import BuyingRole


def guess(kind: str, headers: list[str]) -> dict[str, str]:
    mapping = columns.guess_mapping(kind, headers)
    return {headers[int(i)]: key for i, key in mapping.items()}


def test_german_people_headers():
    headers = [
        "Anrede",
        "Titel",
        "Vorname",
        "Nachname",
        "E-Mail",
        "Telefon",
        "Handy",
        "Firma",
        "Position",
        "Abteilung",
        "Externe ID",
        "Bemerkung",
    ]
    assert guess("people", headers) == {
        "Anrede": "salutation",
        "Titel": "academic_title",
        "Vorname": "first_name",
        "Nachname": "last_name",
        "E-Mail": "email",
        "Telefon": "phone",
        "Handy": "mobile",
        "Firma": "organization",
        "Position": "job_title",
        "Abteilung": "department",
        "Externe ID": "external_id",
        "Bemerkung": "notes",
    }


def test_english_people_headers_and_variants():
    headers = ["First name", "Last Name", "EMAIL", "Phone", "Company", "Job title", "External id"]
    assert guess("people", headers) == {
        "First name": "first_name",
        "Last Name": "last_name",
        "EMAIL": "email",
        "Phone": "phone",
        "Company": "organization",
        "Job title": "job_title",
        "External id": "external_id",
    }
    assert guess("people", ["Name", "E-Mail-Adresse", "Organisation"]) == {
        "Name": "full_name",
        "E-Mail-Adresse": "email",
        "Organisation": "organization",
    }


def test_organization_headers_de_and_en():
    assert guess(
        "organizations",
        ["Firma", "Straße", "PLZ", "Ort", "Land", "USt-IdNr.", "Telefon", "Webseite", "E-Mail"],
    ) == {
        "Firma": "name",
        "Straße": "street",
        "PLZ": "postal_code",
        "Ort": "city",
        "Land": "country",
        "USt-IdNr.": "vat_id",
        "Telefon": "phone",
        "Webseite": "website",
        "E-Mail": "email",
    }
    assert guess(
        "organizations", ["Company", "Street", "ZIP", "City", "Country", "VAT", "Stadt"]
    ) == {
        "Company": "name",
        "Street": "street",
        "ZIP": "postal_code",
        "City": "city",
        "Country": "country",
        "VAT": "vat_id",
    }  # "Stadt" would be the city again: one column per field


def test_prefix_headers_and_unknown_ones():
    found = guess("people", ["E-Mail (geschäftlich)", "Telefon Zentrale", "Lieblingsfarbe"])
    assert found == {"E-Mail (geschäftlich)": "email", "Telefon Zentrale": "phone"}


def test_saved_mapping_applies_by_header_names_in_another_order():
    headers = ["Mail", "Kürzel", "Nachname"]
    saved = columns.mapping_to_saved(headers, {"0": "email", "2": "last_name"})
    assert saved == {"mail": "email", "nachname": "last_name"}
    other = ["NACHNAME", "Notiz", "mail"]
    assert columns.mapping_from_saved("people", other, saved) == {"0": "last_name", "2": "email"}


def test_required_fields():
    assert [f.key for f in columns.missing_required("people", {"0": "email"})] == ["last_name"]
    assert columns.missing_required("people", {"0": "full_name"}) == []
    assert [f.key for f in columns.missing_required("interactions", {"0": "subject"})] == [
        "occurred_at"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2025", dt.date(2025, 12, 31)),
        ("1.2.2024", dt.date(2024, 2, 1)),
        ("31.12.25", dt.date(2025, 12, 31)),
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("2025-12-31T10:00:00", dt.date(2025, 12, 31)),
        ("31/12/2025", dt.date(2025, 12, 31)),
    ],
)
def test_dates(text, expected):
    assert parsing.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2024", "2024-13-01", "gestern", "12/31/2025", "0.0.0"])
def test_invalid_dates_say_what_was_given(text):
    with pytest.raises(ValueError, match="not a valid date") as exc:
        parsing.parse_date(text)
    assert text in str(exc.value)


def test_datetimes_are_in_the_users_zone_unless_given():
    berlin = ZoneInfo("Europe/Berlin")
    assert parsing.parse_datetime("03.02.2026 14:05", berlin) == dt.datetime(
        2026, 2, 3, 14, 5, tzinfo=berlin
    )
    assert parsing.parse_datetime("2026-02-03T14:05:00Z", berlin) == dt.datetime(
        2026, 2, 3, 14, 5, tzinfo=dt.UTC
    )
    assert parsing.parse_datetime("03.02.2026", berlin).hour == 0
    assert parsing.parse_datetime("03.02.2026 9.30 Uhr", berlin).minute == 30
    with pytest.raises(ValueError, match="time of day"):
        parsing.parse_datetime("03.02.2026 25:00", berlin)
    with pytest.raises(ValueError, match="date and time"):
        parsing.parse_datetime("30.02.2026 10:00", berlin)


def test_choices_by_german_or_english_label_or_value():
    assert parsing.parse_choice("Decision maker", BuyingRole.choices) == "decision_maker"
    assert parsing.parse_choice("decision_maker", BuyingRole.choices) == "decision_maker"
    assert parsing.parse_choice(
        "Entscheider", BuyingRole.choices, {"entscheider": "decision_maker"}
    ) == ("decision_maker")
    with pytest.raises(ValueError, match="not one of"):
        parsing.parse_choice("Chef", BuyingRole.choices)


def test_countries_numbers_lists():
    assert parsing.parse_country("Deutschland") == "DE"
    assert parsing.parse_country("germany") == "DE"
    assert parsing.parse_country("AUT") == "AT"
    assert parsing.parse_country("Österreich") == "AT"
    assert parsing.parse_country("ch") == "CH"
    with pytest.raises(ValueError):
        parsing.parse_country("Atlantis")
    assert parsing.parse_int("45") == 45 and parsing.parse_int("45,0") == 45
    with pytest.raises(ValueError):
        parsing.parse_int("vier")
    assert parsing.split_list("Kunde, Lieferant; Partner") == ["Kunde", "Lieferant", "Partner"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Anna Roth", {"first_name": "Anna", "last_name": "Roth"}),
        ("Roth, Anna", {"first_name": "Anna", "last_name": "Roth"}),
        (
            "Frau Prof. Dr. Anna-Lena von Roth",
            {
                "salutation": "Frau",
                "academic_title": "Prof. Dr.",
                "first_name": "Anna-Lena",
                "last_name": "von Roth",
            },
        ),
        ("Müller", {"first_name": "", "last_name": "Müller"}),
    ],
)
def test_whole_names_are_split(text, parts):
    assert parsing.split_name(text) == parts


def test_matching_keys():
    assert organization_name_key("Müller GmbH & Co. KG") == "mueller"
    assert organization_name_key("GmbH") == "gmbh"
    assert person_name_key("Anna", "Müller") == person_name_key("Mueller", "anna")
    assert domain_of("https://www.mueller-bau.de/kontakt") == "mueller-bau.de"
    assert domain_of("info@Mueller-Bau.de") == "mueller-bau.de"
    assert domain_of("anna@gmail.com") == ""
    assert domain_of("mueller-bau.de") == "mueller-bau.de"
