"""What a column can be imported into, per kind of import, and the guess from its header.

Headers are compared in a normalised form (`normalize_header`: lower case, umlauts spelled out,
everything but letters and digits removed), so "E-Mail", "e-mail " and "EMAIL" are one header and
"Straße" matches "strasse". Each field lists the German and English headers it answers to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import ImportKind

IGNORE = ""  # a column mapped to nothing


@dataclass(frozen=True)
class TargetField:
    key: str
    label: str | Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str | Promise = ""


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_header(text: str) -> str:
    """ "E-Mail-Adresse" → "emailadresse", "Straße" → "strasse", "USt-IdNr." → "ustidnr"."""
    text = (text or "").strip().casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("", text)


_EXTERNAL_ID = (
    "externeid",
    "externalid",
    "extid",
    "externeid",
    "externenummer",
    "fremdid",
    "altid",
    "legacyid",
    "crmid",
    "id",
)
_EMAIL = ("email", "emailadresse", "emailaddress", "mail", "mailadresse", "emailgeschaeftlich")
_PHONE = (
    "telefon",
    "telefonnummer",
    "tel",
    "telnr",
    "fon",
    "phone",
    "phonenumber",
    "telephone",
    "telefongeschaeftlich",
    "businessphone",
    "workphone",
    "zentrale",
)
_ORGANIZATION = (
    "firma",
    "firmenname",
    "company",
    "companyname",
    "organisation",
    "organization",
    "organisationsname",
    "organizationname",
    "unternehmen",
    "arbeitgeber",
    "employer",
    "account",
    "accountname",
)
_ORGANIZATION_ID = (
    "firmaid",
    "firmenid",
    "firmennummer",
    "companyid",
    "organisationid",
    "organizationid",
    "accountid",
    "kundennummer",
    "kundennr",
    "externeidfirma",
    "firmaexterneid",
)
_PERSON_EMAIL = ("emailperson", "kontaktemail", "contactemail", "personemail", *_EMAIL)
_PERSON_ID = ("personid", "kontaktid", "contactid", "kontaktnummer", "personexterneid")
_NOTES = (
    "notizen",
    "notiz",
    "notes",
    "note",
    "bemerkung",
    "bemerkungen",
    "kommentar",
    "kommentare",
    "comment",
    "comments",
    "beschreibung",
    "description",
    "info",
    "hinweise",
)
_TAGS = ("tags", "tag", "schlagworte", "schlagwoerter", "stichworte", "labels", "kategorien")

FIELDS: dict[str, tuple[TargetField, ...]] = {
    ImportKind.ORGANIZATIONS: (
        TargetField("external_id", _("External id"), (*_EXTERNAL_ID, "kundennummer", "kundennr")),
        TargetField(
            "name", _("Name"), ("name", "firmenname", *_ORGANIZATION, "kunde"), required=True
        ),
        TargetField(
            "legal_name",
            _("Legal name"),
            ("rechtlichername", "legalname", "firmierung", "vollstaendigername", "registeredname"),
        ),
        TargetField(
            "roles",
            _("Roles"),
            ("rolle", "rollen", "role", "roles", "typ", "type", "art", "beziehung"),
            help=_("e.g. “Kunde, Lieferant” or “client, supplier”"),
        ),
        TargetField("industry", _("Industry"), ("branche", "industry", "sector", "sektor")),
        TargetField("size", _("Size"), ("groesse", "size", "unternehmensgroesse", "companysize")),
        TargetField(
            "website",
            _("Website"),
            (
                "website",
                "webseite",
                "homepage",
                "internet",
                "internetseite",
                "url",
                "web",
                "domain",
            ),
        ),
        TargetField("email", _("Email"), _EMAIL),
        TargetField("phone", _("Phone"), _PHONE),
        TargetField(
            "vat_id",
            _("VAT id"),
            (
                "ustidnr",
                "ustid",
                "ustidnummer",
                "umsatzsteuerid",
                "umsatzsteueridentifikationsnummer",
                "vat",
                "vatid",
                "vatnumber",
                "vatno",
                "vatregno",
            ),
        ),
        TargetField(
            "street",
            _("Street"),
            (
                "strasse",
                "strassehausnummer",
                "strasseundhausnummer",
                "strassenr",
                "street",
                "streetaddress",
                "address",
                "addressline1",
                "adresse",
                "anschrift",
            ),
        ),
        TargetField(
            "postal_code",
            _("Postal code"),
            ("plz", "postleitzahl", "postcode", "postalcode", "zip", "zipcode"),
        ),
        TargetField("city", _("City"), ("ort", "stadt", "city", "town", "sitz", "gemeinde")),
        TargetField(
            "region", _("Region / state"), ("bundesland", "region", "state", "kanton", "province")
        ),
        TargetField(
            "country",
            _("Country"),
            ("land", "country", "staat", "laendercode", "countrycode", "landiso"),
        ),
        TargetField("tags", _("Tags"), _TAGS),
        TargetField("notes", _("Notes"), _NOTES),
    ),
    ImportKind.PEOPLE: (
        TargetField("external_id", _("External id"), _PERSON_ID + _EXTERNAL_ID),
        TargetField(
            "salutation", _("Salutation"), ("anrede", "salutation", "prefix", "briefanrede")
        ),
        TargetField(
            "academic_title",
            _("Academic title"),
            ("titel", "akademischertitel", "academictitle", "grad"),
        ),
        TargetField(
            "first_name", _("First name"), ("vorname", "firstname", "givenname", "first", "rufname")
        ),
        TargetField(
            "last_name",
            _("Last name"),
            ("nachname", "lastname", "surname", "familienname", "familyname", "last", "zuname"),
            help=_("Required, unless a column holds the whole name."),
        ),
        TargetField(
            "full_name",
            _("Full name"),
            (
                "name",
                "vollername",
                "vollstaendigername",
                "fullname",
                "kontakt",
                "contact",
                "ansprechpartner",
                "person",
            ),
            help=_("“Dr. Anna Roth” or “Roth, Anna”, split into its parts."),
        ),
        TargetField("email", _("Email"), _EMAIL),
        TargetField(
            "email2",
            _("Second email"),
            ("email2", "emailprivat", "privateemail", "weitereemail", "otheremail"),
        ),
        TargetField("phone", _("Phone"), _PHONE),
        TargetField(
            "mobile",
            _("Mobile"),
            (
                "mobil",
                "mobile",
                "handy",
                "mobiltelefon",
                "mobilnummer",
                "mobilephone",
                "cell",
                "cellphone",
            ),
        ),
        TargetField("organization", _("Organization"), _ORGANIZATION),
        TargetField("organization_external_id", _("Organization's external id"), _ORGANIZATION_ID),
        TargetField(
            "job_title",
            _("Job title"),
            (
                "position",
                "jobtitle",
                "title",
                "funktion",
                "stellung",
                "berufsbezeichnung",
                "jobbezeichnung",
                "stelle",
                "job",
            ),
        ),
        TargetField("department", _("Department"), ("abteilung", "department", "bereich", "dept")),
        TargetField(
            "buying_role",
            _("Buying role"),
            ("kaufrolle", "buyingrole", "einkaufsrolle", "rolle", "role", "rolleimkauf"),
        ),
        TargetField(
            "start_date",
            _("In the position since"),
            (
                "seit",
                "since",
                "startdate",
                "beginn",
                "start",
                "eintritt",
                "eintrittsdatum",
                "positionseit",
            ),
        ),
        TargetField("tags", _("Tags"), _TAGS),
        TargetField("notes", _("Notes"), _NOTES),
    ),
    ImportKind.INTERACTIONS: (
        TargetField(
            "kind",
            _("Kind"),
            ("art", "typ", "kind", "type", "kanal", "channel", "aktivitaet", "activity"),
            help=_("Email, call, meeting, visit, letter or note (German or English); empty: note."),
        ),
        TargetField(
            "occurred_at",
            _("Date and time"),
            (
                "datum",
                "date",
                "zeit",
                "zeitpunkt",
                "time",
                "datetime",
                "datumuhrzeit",
                "wann",
                "when",
                "am",
            ),
            required=True,
        ),
        TargetField(
            "subject",
            _("Subject"),
            ("betreff", "subject", "titel", "title", "thema", "topic"),
            required=True,
        ),
        TargetField(
            "body",
            _("Text"),
            (
                "text",
                "inhalt",
                "body",
                "nachricht",
                "message",
                "protokoll",
                "gespraechsnotiz",
                *_NOTES,
            ),
        ),
        TargetField("direction", _("Direction"), ("richtung", "direction", "eingehendausgehend")),
        TargetField(
            "duration_minutes",
            _("Duration (minutes)"),
            (
                "dauer",
                "dauerminuten",
                "dauerinminuten",
                "duration",
                "durationminutes",
                "minuten",
                "minutes",
            ),
        ),
        TargetField("organization", _("Organization"), _ORGANIZATION),
        TargetField("organization_external_id", _("Organization's external id"), _ORGANIZATION_ID),
        TargetField("person_email", _("Person's email"), _PERSON_EMAIL),
        TargetField("person_external_id", _("Person's external id"), _PERSON_ID),
    ),
    ImportKind.FOLLOW_UPS: (
        TargetField(
            "title",
            _("Title"),
            ("titel", "title", "aufgabe", "task", "betreff", "subject", "todo", "was"),
            required=True,
        ),
        TargetField(
            "due_date",
            _("Due date"),
            (
                "faellig",
                "faelligam",
                "faelligkeit",
                "faelligkeitsdatum",
                "due",
                "duedate",
                "termin",
                "bis",
                "deadline",
                "datum",
                "date",
            ),
            required=True,
        ),
        TargetField("status", _("Status"), ("status", "stand", "zustand")),
        TargetField(
            "assignee",
            _("Assignee (email)"),
            (
                "zustaendig",
                "verantwortlich",
                "bearbeiter",
                "assignee",
                "assignedto",
                "owner",
                "besitzer",
            ),
        ),
        TargetField("organization", _("Organization"), _ORGANIZATION),
        TargetField("organization_external_id", _("Organization's external id"), _ORGANIZATION_ID),
        TargetField("person_email", _("Person's email"), _PERSON_EMAIL),
        TargetField("person_external_id", _("Person's external id"), _PERSON_ID),
        TargetField("notes", _("Notes"), _NOTES),
    ),
}


def fields_for(kind: str) -> tuple[TargetField, ...]:
    return FIELDS[kind]


def field_keys(kind: str) -> set[str]:
    return {f.key for f in FIELDS[kind]}


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Column number (as text) → field, for the headers recognised; each field taken once, by the
    first column that names it. Exact alias matches win over matches by prefix."""
    fields = FIELDS[kind]
    by_alias: dict[str, str] = {}
    for f in fields:
        for alias in (f.key.replace("_", ""), *f.aliases):
            by_alias.setdefault(alias, f.key)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    normalized = [normalize_header(h) for h in headers]
    for index, header in enumerate(normalized):
        key = by_alias.get(header)
        if key and key not in taken:
            mapping[str(index)] = key
            taken.add(key)
    # "E-Mail (geschäftlich)", "Telefon Zentrale": a header that starts with an alias (4+ letters)
    for index, header in enumerate(normalized):
        if str(index) in mapping or not header:
            continue
        for alias, key in sorted(by_alias.items(), key=lambda item: -len(item[0])):
            if len(alias) >= 4 and header.startswith(alias) and key not in taken:
                mapping[str(index)] = key
                taken.add(key)
                break
    return mapping


def mapping_from_saved(kind: str, headers: list[str], columns: dict[str, str]) -> dict[str, str]:
    """Apply a saved mapping (normalised header → field) to this file's headers."""
    keys = field_keys(kind)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = columns.get(normalize_header(header))
        if key and key in keys and key not in taken:
            mapping[str(index)] = key
            taken.add(key)
    return mapping


def mapping_to_saved(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {
        normalize_header(headers[int(i)]): key
        for i, key in mapping.items()
        if key and i.isdigit() and int(i) < len(headers)
    }


def missing_required(kind: str, mapping: dict[str, str]) -> list[TargetField]:
    """Required fields no column is mapped to (a person needs a last name or a full name)."""
    chosen = set(mapping.values())
    missing = [f for f in FIELDS[kind] if f.required and f.key not in chosen]
    if kind == ImportKind.PEOPLE and not chosen & {"last_name", "full_name"}:
        missing.append(next(f for f in FIELDS[kind] if f.key == "last_name"))
    return missing


# purchase orders and deliveries (procurement): their columns live in their own module
from .columns_purchases import PURCHASE_FIELDS  # noqa: E402

FIELDS.update(PURCHASE_FIELDS)
