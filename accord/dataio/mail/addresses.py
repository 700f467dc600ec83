"""Plain rules about mail addresses and domains (no database)."""

from __future__ import annotations

from urllib.parse import urlsplit

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.de",
        "ymail.com",
        "hotmail.com",
        "hotmail.de",
        "outlook.com",
        "outlook.de",
        "live.com",
        "live.de",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aol.de",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "gmx.ch",
        "gmx.com",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "arcor.de",
        "online.de",
        "proton.me",
        "protonmail.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "zoho.com",
        "bluewin.ch",
    }
)
# Addresses nobody answers: never offered as people.
NO_REPLY_PREFIXES = (
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "mailer-daemon",
    "postmaster",
    "bounce",
)


def domain_of(value: str) -> str:
    """The domain of an address or a website ("https://www.example.com/x" → "example.com")."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "@" in value and "://" not in value:
        return value.rpartition("@")[2].strip(".")
    host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    return host.removeprefix("www.").strip(".")


def is_no_reply(address: str) -> bool:
    return address.partition("@")[0].startswith(NO_REPLY_PREFIXES)
