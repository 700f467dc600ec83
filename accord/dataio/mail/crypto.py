"""Secrets at rest (IMAP passwords): Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF.

The key comes from `settings.ACCORD_FIELD_KEY` when set (a dedicated secret, so that rotating
`SECRET_KEY` does not lock the passwords away), else from `SECRET_KEY`. Decryption also tries the
keys of `SECRET_KEY_FALLBACKS` and `SECRET_KEY`, so a rotation or a newly set field key keeps old
values readable; they are written with the current key at their next change.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SALT = b"accord.field-encryption.v1"
INFO = b"mail-account-password"


class DecryptionError(Exception):
    """The value was written with a key this installation no longer has."""


def _derive(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _secrets() -> list[str]:
    field_key = getattr(settings, "ACCORD_FIELD_KEY", "") or ""
    found = [field_key] if field_key else []
    found.append(settings.SECRET_KEY)
    found += list(getattr(settings, "SECRET_KEY_FALLBACKS", []) or [])
    return list(dict.fromkeys(s for s in found if s))


def _fernet() -> MultiFernet:
    return MultiFernet([_derive(s) for s in _secrets()])


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError(str(exc)) from exc
