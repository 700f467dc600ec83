"""Identifiers that must be valid, not just look so: VAT ids, phone numbers, mail addresses, domains.

VAT ids carry a correct check digit (computed for Germany with ISO 7064 Mod 11,10 as python-stdnum
does, drawn until python-stdnum accepts them elsewhere); phone numbers are drawn within real
dialling codes until `phonenumbers` calls them valid.
"""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers
from stdnum import get_cc_module, luhn
from stdnum.de import vat as de_vat
from stdnum.eu import vat as eu_vat
from stdnum.iso7064 import mod_11_10

from .places import CITIES_BY_COUNTRY, COUNTRIES, City

_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "å": "a",
        "Å": "A",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "œ": "oe",
    }
)


def ascii_slug(text: str, sep: str = "-") -> str:
    """'Müller & Söhne' → 'mueller-soehne' (for host names and mail addresses)."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def mail_local_part(first_name: str, last_name: str) -> str:
    """'Hans-Hermann', 'von der Heide' → 'hans-hermann.von-der-heide'."""
    parts = (ascii_slug(first_name), ascii_slug(last_name))
    return ".".join(p for p in parts if p) or "kontakt"


def german_vat_id(rng: random.Random) -> str:
    """DE + 8 digits + the ISO 7064 Mod 11,10 check digit (first digit not 0)."""
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    vat = "DE" + digits + mod_11_10.calc_check_digit(digits)
    assert de_vat.is_valid(vat)
    return vat


# How a VAT id is written per country: "#" is a random digit.
_VAT_PATTERNS = {
    "AT": "ATU########",
    "CH": "CHE#########MWST",
    "GB": "GB#########",
    "SE": "SE##########01",
    "NL": "NL#########B01",
    "DK": "DK########",
    "NO": "NO#########MVA",
    "PL": "PL##########",
    "CZ": "CZ########",
    "IT": "IT###########",
    "ES": "ESB########",
    "BE": "BE0#########",
}


def french_vat_id(rng: random.Random) -> str:
    """FR + 2-digit key + SIREN (8 digits + Luhn check digit)."""
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    siren = digits + luhn.calc_check_digit(digits)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def vat_id(country: str, rng: random.Random) -> str:
    """A VAT id python-stdnum accepts for the country, written with its country prefix
    (DE123456788, ATU12345675, CHE123456789MWST), or "" where the country has none (US)."""
    if country == "DE":
        return german_vat_id(rng)
    if country == "FR":
        return french_vat_id(rng)
    pattern = _VAT_PATTERNS.get(country)
    if pattern is None:
        return ""
    module = get_cc_module(country.lower(), "vat")
    for _ in range(2000):
        candidate = "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)
        if module.is_valid(candidate):
            if country.lower() in eu_vat.MEMBER_STATES:
                return eu_vat.compact(candidate)
            return candidate
    return ""


def _valid(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return False


def _fallback(country: str, mobile: bool) -> str:
    kind = (
        phonenumbers.PhoneNumberType.MOBILE if mobile else phonenumbers.PhoneNumberType.FIXED_LINE
    )
    example = phonenumbers.example_number_for_type(country, kind)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def landline(city: City, rng: random.Random) -> str:
    """An E.164 number in the city's dialling area, valid according to `phonenumbers`."""
    country = COUNTRIES[city.country]
    area = city.area_code.lstrip("0") if country.code != "IT" else city.area_code
    for _ in range(60):
        length = rng.choice(country.national_lengths) - len(area)
        if length < 4:
            length = 4
        first = str(rng.randint(2, 9))
        rest = "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
        number = f"+{country.calling_code}{area}{first}{rest}"
        if country.code == "US" and (first + rest)[:3] == "555":
            continue
        if _valid(number):
            return number
    return _fallback(country.code, mobile=False)


def mobile(country_code: str, rng: random.Random) -> str:
    country = COUNTRIES[country_code]
    if not country.mobile_prefixes:
        return landline(rng.choice(CITIES_BY_COUNTRY[country_code]), rng)
    for _ in range(60):
        prefix = rng.choice(country.mobile_prefixes)
        length = country.mobile_length - len(prefix)
        if country.code == "DE" and prefix.startswith("17"):
            length = rng.choice((7, 8))
        digits = "".join(str(rng.randint(0, 9)) for _ in range(length))
        number = f"+{country.calling_code}{prefix}{digits}"
        if _valid(number):
            return number
    return _fallback(country.code, mobile=True)
