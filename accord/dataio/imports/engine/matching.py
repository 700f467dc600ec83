"""Finding the existing record a row describes: exact keys and similar names.

Exact keys (external id, VAT id, web domain, email address) are looked up in dictionaries; similar
names are compared with rapidfuzz's `token_sort_ratio` (word order ignored: "Roth, Anna" is "Anna
Roth") only within a block of candidates that share a key — the folded last name and first initial
of a person, the first three letters of an organization's name without its legal form — so a row
costs a few comparisons, not one per stored record.

Indexes hold only records the importing user may see (they are filled from `visible_to(user)`
querysets by the selectors), plus the records the import itself creates, so that a file that names
the same person twice matches its own earlier row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

FUZZY_THRESHOLD = 90
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})
_WORDS = re.compile(r"[a-z0-9]+")
LEGAL_FORMS = frozenset(
    [
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "gbr",
        "ev",
        "se",
        "ug",
        "kgaa",
        "co",
        "cokg",
        "haftungsbeschraenkt",
        "partg",
        "eg",
        "inc",
        "ltd",
        "llc",
        "llp",
        "corp",
        "corporation",
        "plc",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "as",
        "oy",
    ]
)
FREEMAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "web.de",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "gmx.ch",
        "t-online.de",
        "yahoo.com",
        "yahoo.de",
        "hotmail.com",
        "hotmail.de",
        "outlook.com",
        "outlook.de",
        "live.com",
        "live.de",
        "icloud.com",
        "me.com",
        "aol.com",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "protonmail.com",
        "proton.me",
        "arcor.de",
        "1und1.de",
        "online.de",
    ]
)


@lru_cache(maxsize=32768)
def fold(text: str) -> str:
    """Lower case, umlauts spelled out, accents dropped: "Müller" → "mueller", "José" → "jose"."""
    text = (text or "").casefold().translate(_UMLAUTS)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def organization_name_key(name: str) -> str:
    """The words of a name without legal forms: "Müller GmbH & Co. KG" → "mueller"."""
    kept = [w for w in words(name) if w not in LEGAL_FORMS]
    return " ".join(kept or words(name))


def exact_name_key(name: str) -> str:
    """How an organization named in a people file is looked up: case and spacing ignored only."""
    return " ".join((name or "").casefold().split())


def person_name_key(first: str, last: str) -> str:
    """The words of both names, sorted: "Roth, Anna" and "Anna Roth" have the same key. (The
    words of each name apart: a first and a last name repeat far more often than the pair.)"""
    return " ".join(sorted(words(first) + words(last)))


def person_block(first: str, last: str) -> str:
    """The first three letters of the (folded) last name and the first initial: "Rothe, Anna" and
    "Anna Roth" meet in "rot|a"."""
    last_letters = "".join(words(last))
    first_words = words(first)
    return f"{last_letters[:3]}|{first_words[0][:1] if first_words else ''}"


def domain_of(value: str) -> str:
    """The registered host of a website or email address, without "www.": "https://www.x.de/a" →
    "x.de"; freemail domains (gmail.com, web.de …) say nothing about an organization: ""."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "@" in value and "/" not in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    host = host.removeprefix("www.").strip(".")
    return "" if host in FREEMAIL else host


@dataclass
class Similar:
    """An existing record whose name resembles a row's: shown to the user for a decision."""

    record_id: int
    label: str
    score: int
    identical: bool
    facts: Any = None  # what the index keeps beside the name (a person's email, organization)


class NameIndex:
    """Names by block, for similar-name matches (`best()`)."""

    def __init__(self, scorer: Any = fuzz.token_sort_ratio) -> None:
        self.scorer = scorer
        # per block, parallel lists (rapidfuzz takes the keys as they are): ids, comparable keys,
        # labels to show, facts
        self.blocks: dict[str, tuple[list[int], list[str], list[str], list[Any]]] = {}

    def add(self, block: str, record_id: int, key: str, label: str, facts: Any = None) -> None:
        if not key:
            return
        ids, keys, labels, extra = self.blocks.setdefault(block, ([], [], [], []))
        ids.append(record_id)
        keys.append(key)
        labels.append(label)
        extra.append(facts)

    def best(self, block: str, key: str) -> Similar | None:
        found_block = self.blocks.get(block)
        if not key or found_block is None:
            return None
        ids, keys, labels, extra = found_block
        found = process.extractOne(key, keys, scorer=self.scorer, score_cutoff=FUZZY_THRESHOLD)
        if found is None:
            return None
        _choice, score, index = found
        return Similar(
            ids[index], labels[index], int(round(score)), keys[index] == key, extra[index]
        )


class OrganizationIndex:
    """The organizations a user may see, by external id, VAT id, domain, exact name and similar
    name; records the import creates are added as it goes (with temporary negative ids)."""

    def __init__(self) -> None:
        self.by_external: dict[str, int] = {}
        self.by_vat: dict[str, int] = {}
        self.by_domain: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.country: dict[int, str] = {}
        self.names = NameIndex()

    def add(
        self,
        record_id: int,
        *,
        name: str,
        external_id: str = "",
        vat_id: str = "",
        website: str = "",
        email: str = "",
        country: str = "",
    ) -> None:
        if external_id:
            self.by_external.setdefault(external_id.strip(), record_id)
        if vat_id:
            self.by_vat.setdefault(vat_id.upper(), record_id)
        for domain in {domain_of(website), domain_of(email)} - {""}:
            self.by_domain.setdefault(domain, record_id)
        if name:
            self.by_name.setdefault(exact_name_key(name), record_id)
            key = organization_name_key(name)
            self.names.add(key[:3], record_id, key, name)
        if country:
            self.country[record_id] = country

    def exact(
        self, *, external_id: str = "", vat_id: str = "", website: str = "", email: str = ""
    ) -> tuple[int, str] | None:
        """(record id, which key matched) for the first exact key found."""
        if external_id and external_id in self.by_external:
            return self.by_external[external_id], "external_id"
        if vat_id and vat_id.upper() in self.by_vat:
            return self.by_vat[vat_id.upper()], "vat_id"
        for domain in (domain_of(website), domain_of(email)):
            if domain and domain in self.by_domain:
                return self.by_domain[domain], "domain"
        return None

    def similar(self, name: str) -> Similar | None:
        key = organization_name_key(name)
        return self.names.best(key[:3], key)


class PersonNameIndex:
    """The people a user may see by name block, for similar names; with each person's primary
    email and organization, so that a same-named person with another address or employer is not
    taken for the same one without asking."""

    def __init__(self) -> None:
        # the keys hold their words sorted already: `token_sort_ratio` would split and sort them
        # again for every comparison; `ratio` of the keys is the same score
        self.names = NameIndex(scorer=fuzz.ratio)

    def add(
        self, record_id: int, *, first: str, last: str, email: str, organization_id: int | None
    ) -> None:
        label = f"{first} {last}".strip()
        facts = (email or "", organization_id)
        self.names.add(
            person_block(first, last), record_id, person_name_key(first, last), label, facts
        )

    def similar(self, *, first: str, last: str) -> Similar | None:
        return self.names.best(person_block(first, last), person_name_key(first, last))
