"""Model fields for personal identifiers: encrypted at rest, masked in the audit log."""

from functools import lru_cache

from django.conf import settings
from django.db import models

from .identifiers import mask_id_number
from .pii import PIICipher


@lru_cache(maxsize=4)
def _cipher(key: str) -> PIICipher:
    return PIICipher.from_setting(key)


def cipher() -> PIICipher:
    return _cipher(settings.PII_KEY)


class EncryptedIDNumberField(models.TextField):
    """Stores an ID number as AES-GCM ciphertext; Python code sees the plain value.

    Equality lookups go through a separate blind-index column (see `blind_index`)."""

    audit_masked = True

    def mask(self, value: str | None) -> str:
        return mask_id_number(value) if value else ""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return cipher().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return cipher().encrypt(value)


def blind_index(value: str) -> str:
    return cipher().blind_index(value) if value else ""


LOOKUP_TAIL_LENGTH = 6


def tail_index(identifier: str) -> str:
    """A keyed hash of the last 6 characters (letters upper-cased) of an ID number or credit
    code, so the anonymous progress lookup checks them without decrypting anything. Domain
    separated from `blind_index` of whole values; empty for a value shorter than 6."""
    tail = (identifier or "").strip().upper()[-LOOKUP_TAIL_LENGTH:]
    if len(tail) != LOOKUP_TAIL_LENGTH:
        return ""
    return cipher().blind_index(f"tail:{tail}")
