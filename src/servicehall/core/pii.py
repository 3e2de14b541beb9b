"""Encryption at rest for short personal data (e.g. resident ID numbers).

Plain Python (no Django): the caller passes the key material, typically via
:meth:`PIICipher.from_setting` on a base64 setting.

From one 32-byte master key two independent subkeys are derived with
HKDF-SHA256:

* ``info=b"servicehall-pii-aead"``  -> AES-256-GCM key for :meth:`PIICipher.encrypt`
* ``info=b"servicehall-blind-index"`` -> HMAC-SHA256 key for :meth:`PIICipher.blind_index`

Token format: ``"v1:" + urlsafe_b64(nonce[12] + ciphertext + tag[16])``, with a
fresh random nonce per call.  The version prefix is also bound to the
ciphertext as AES-GCM associated data.

The blind index works on the exact string given; normalize first (e.g. with
:func:`servicehall.core.identifiers.normalize_id_number`) so that equal values
get equal indexes.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["PIICipher", "PIIKeyError", "generate_key"]

KEY_LENGTH = 32
NONCE_LENGTH = 12
TAG_LENGTH = 16
TOKEN_PREFIX = "v1:"

_AEAD_INFO = b"servicehall-pii-aead"
_INDEX_INFO = b"servicehall-blind-index"
_AAD_V1 = b"servicehall-pii:v1"


class PIIKeyError(Exception):
    """Bad key material, or a token that cannot be decrypted with this key."""


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LENGTH, salt=None, info=info).derive(key)


def _b64decode_lenient(value: str) -> bytes:
    """Decode standard or urlsafe base64, padding optional.  Raises ValueError."""
    text = value.strip().rstrip("=")
    if len(text) % 4 == 1:
        raise ValueError("impossible base64 length")
    text = text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(str(exc)) from None


class PIICipher:
    """AES-256-GCM encryption plus an HMAC-SHA256 blind index."""

    __slots__ = ("_aead", "_index_key")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, (bytes, bytearray)):
            raise PIIKeyError(f"PII key must be bytes, not {type(key).__name__}")
        if len(key) != KEY_LENGTH:
            raise PIIKeyError(f"PII key must be exactly {KEY_LENGTH} bytes, got {len(key)}")
        master = bytes(key)
        self._aead = AESGCM(_derive(master, _AEAD_INFO))
        self._index_key = _derive(master, _INDEX_INFO)

    def __repr__(self) -> str:
        return "PIICipher(<key hidden>)"

    @classmethod
    def from_setting(cls, value: str) -> PIICipher:
        """Build a cipher from base64 (standard or urlsafe, padding optional)."""
        if not isinstance(value, str) or not value.strip():
            raise PIIKeyError(
                "PII key setting is empty; set it to the base64 encoding of 32 random bytes "
                "(see servicehall.core.pii.generate_key())"
            )
        try:
            key = _b64decode_lenient(value)
        except ValueError:
            raise PIIKeyError(
                "PII key setting is not valid base64; expected the base64 encoding of "
                "32 random bytes (see servicehall.core.pii.generate_key())"
            ) from None
        if len(key) != KEY_LENGTH:
            raise PIIKeyError(
                f"PII key setting must decode to exactly {KEY_LENGTH} bytes, got {len(key)}"
            )
        return cls(key)

    def encrypt(self, plaintext: str) -> str:
        """Encrypt ``plaintext``; every call uses a new random nonce."""
        nonce = os.urandom(NONCE_LENGTH)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), _AAD_V1)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token produced by :meth:`encrypt`.

        Raises :class:`PIIKeyError` on an unknown format, malformed data,
        tampering or a wrong key.
        """
        if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
            raise PIIKeyError("cannot decrypt PII token: unknown format or version")
        try:
            blob = _b64decode_lenient(token[len(TOKEN_PREFIX) :])
        except ValueError:
            raise PIIKeyError("cannot decrypt PII token: malformed base64") from None
        if len(blob) < NONCE_LENGTH + TAG_LENGTH:
            raise PIIKeyError("cannot decrypt PII token: too short")
        nonce, sealed = blob[:NONCE_LENGTH], blob[NONCE_LENGTH:]
        try:
            data = self._aead.decrypt(nonce, sealed, _AAD_V1)
        except InvalidTag:
            raise PIIKeyError(
                "cannot decrypt PII token: wrong key or data has been tampered with"
            ) from None
        return data.decode("utf-8")

    def blind_index(self, plaintext: str) -> str:
        """Deterministic keyed hash (64 hex chars) for equality lookups."""
        mac = hmac.HMAC(self._index_key, hashes.SHA256())
        mac.update(plaintext.encode("utf-8"))
        return mac.finalize().hex()


def generate_key() -> str:
    """Return a new random key as standard base64 (44 characters)."""
    return base64.b64encode(os.urandom(KEY_LENGTH)).decode("ascii")
