"""Validation of identifiers a company record carries: VAT ids and phone numbers."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError


def normalize_vat_id(value: str, country: str = "") -> str:
    """Return the compact VAT id or raise ValidationError naming what is wrong.

    EU VAT ids carry their country prefix (DE123456789); other countries are checked with their own
    VAT module when the organization's country is known (CH, GB, NO …).
    """
    compact = "".join(value.split()).upper().replace("-", "").replace(".", "")
    if not compact:
        return ""
    cc = country.upper()
    if compact[:2].isdigit() and (cc.lower() in eu_vat.MEMBER_STATES or cc == "GR"):
        compact = (
            "EL" if cc == "GR" else cc
        ) + compact  # typed without its prefix: take the country's
    try:
        if compact[:2].lower() in eu_vat.MEMBER_STATES or compact[:2] == "EL":
            return eu_vat.validate(compact)
        module = get_cc_module(country.lower(), "vat") if country else None
        if module is None:
            raise ValidationError(
                _(
                    "“%(value)s” is not a valid VAT id: start it with the country code, e.g. DE123456789."
                ),
                params={"value": value},
                code="invalid_vat",
            )
        return module.validate(compact)
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid VAT id."), params={"value": value}, code="invalid_vat"
        ) from exc


def normalize_phone(value: str, country: str = "DE") -> str:
    """Return the number in E.164 form (+4930123456) or raise ValidationError."""
    value = value.strip()
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, (country or "DE").upper())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), params={"value": value}, code="invalid_phone"
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            params={"value": value},
            code="invalid_phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def format_phone(value: str) -> str:
    """International display form of a stored E.164 number."""
    if not value:
        return ""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(value, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return value
